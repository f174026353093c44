// The ratchet of PROTOCOL.md section 5 between two JavaScript parties: a random two-party model
// with reordering, drops, replays and tampering, and the limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utf8 } from '../lib/bytes.mjs';
import { failureOf } from '../lib/failure.mjs';
import { Limits } from '../lib/limits.mjs';
import { x25519Public } from '../lib/primitives.mjs';
import { decrypt, encrypt, initAlice, initBob, stateFingerprint } from '../lib/ratchet.mjs';
import { Drbg } from '../selftest/drbg.mjs';

function pair(rng) {
  const common = {
    rootKey: rng.bytes(32),
    headerKeyA: rng.bytes(32),
    nextHeaderKeyB: rng.bytes(32),
    associatedData: rng.bytes(288),
  };
  const bobPriv = rng.bytes(32);
  return {
    alice: initAlice({ ...common, bobRatchetPublic: x25519Public(bobPriv), aliceRatchetPrivate: rng.bytes(32) }),
    bob: initBob({ ...common, bobRatchetPrivate: bobPriv }),
  };
}

/** Two parties with their states, a send helper and a receive helper. */
class Model {
  constructor(label) {
    this.rng = new Drbg(label);
    this.s = pair(this.rng);
    this.count = 0;
  }

  send(from, text = `m${this.count++}`) {
    const r = encrypt(this.s[from], utf8(text), this.rng.bytes(24));
    this.s[from] = r.state;
    return { from, text, header: r.header, ciphertext: r.ciphertext };
  }

  /** Delivers m to the other party; returns the failure name or null. */
  deliver(m) {
    const to = m.from === 'alice' ? 'bob' : 'alice';
    const before = stateFingerprint(this.s[to]);
    try {
      const r = decrypt(this.s[to], m.header, m.ciphertext, () => this.rng.bytes(32));
      assert.equal(Buffer.from(r.plaintext).toString(), m.text);
      this.s[to] = r.state;
      return null;
    } catch (e) {
      if (e.failure === undefined) throw e;
      assert.equal(stateFingerprint(this.s[to]), before, 'a failed decrypt changed the state');
      return e.failure;
    }
  }

  /** Delivers and expects success. */
  ok(m) {
    assert.equal(this.deliver(m), null);
  }
}

test('ratchet: random two-party model with reordering, drops, replays and tampering', () => {
  for (let run = 0; run < 6; run++) {
    const m = new Model(`model-${run}`);
    const rng = new Drbg(`schedule-${run}`);
    // Per party: number of DH ratchet steps (its sending chain id), and the chain ids received.
    const chain = { alice: 0, bob: 0 };
    const received = { alice: [], bob: [] };
    const inFlight = [];
    const delivered = [];
    let bobReady = false;
    let successes = 0;
    for (let step = 0; step < 400; step++) {
      const action = rng.int(10);
      if (action < 3 || (action < 5 && !bobReady)) {
        const msg = m.send('alice');
        inFlight.push({ ...msg, chain: chain.alice });
      } else if (action < 5) {
        const msg = m.send('bob');
        inFlight.push({ ...msg, chain: chain.bob });
      } else if (action < 8 && inFlight.length > 0) {
        const msg = inFlight.splice(rng.int(inFlight.length), 1)[0];
        const to = msg.from === 'alice' ? 'bob' : 'alice';
        const seen = received[to];
        const isNew = seen.length === 0 || msg.chain > seen.at(-1);
        const remembered = seen.slice(-Limits.MaxReceiverChains).includes(msg.chain);
        const failure = m.deliver(msg);
        if (isNew || remembered) {
          assert.equal(failure, null, `run ${run} step ${step}`);
          successes++;
          if (isNew) {
            seen.push(msg.chain);
            chain[to] += 1; // the receiver ratcheted: new sending chain
            if (to === 'bob') bobReady = true;
          }
          delivered.push(msg);
        } else {
          assert.equal(failure, 'InvalidHeader', `run ${run} step ${step}: forgotten chain`);
        }
      } else if (action === 8 && delivered.length > 0) {
        const msg = delivered[rng.int(delivered.length)];
        const to = msg.from === 'alice' ? 'bob' : 'alice';
        const remembered = received[to].slice(-Limits.MaxReceiverChains).includes(msg.chain);
        assert.equal(m.deliver(msg), remembered ? 'Duplicate' : 'InvalidHeader');
      } else if (action === 9 && inFlight.length > 0) {
        const msg = inFlight[rng.int(inFlight.length)];
        const to = msg.from === 'alice' ? 'bob' : 'alice';
        const seen = received[to];
        const reachable = seen.length === 0 || msg.chain > seen.at(-1) || seen.slice(-Limits.MaxReceiverChains).includes(msg.chain);
        const header = Uint8Array.from(msg.header);
        header[30] ^= 4;
        assert.equal(m.deliver({ ...msg, header }), 'InvalidHeader');
        const ciphertext = Uint8Array.from(msg.ciphertext);
        ciphertext[5] ^= 4;
        assert.equal(m.deliver({ ...msg, ciphertext }), reachable ? 'InvalidCiphertext' : 'InvalidHeader');
      }
    }
    assert.ok(successes > 50, `run ${run}: ${successes} deliveries`);
    assert.ok(chain.alice + chain.bob > 10, `run ${run}: few ratchet steps`);
  }
});

test('ratchet: a responder cannot send before receiving (NotReady); long plaintexts are refused', () => {
  const m = new Model('not-ready');
  assert.equal(failureOf(() => encrypt(m.s.bob, utf8('x'), new Uint8Array(24))), 'NotReady');
  assert.equal(failureOf(() => encrypt(m.s.alice, new Uint8Array(65537), new Uint8Array(24))), 'PlaintextTooLong');
  const big = encrypt(m.s.alice, new Uint8Array(65536), new Uint8Array(24));
  assert.equal(big.ciphertext.length, 81920 + 16);
  assert.equal(big.header.length, 80);
});

test('ratchet: the sixth receiving chain forgets the oldest previous chain and its skipped keys', () => {
  for (const extraChains of [4, 5]) {
    const m = new Model(`chains-${extraChains}`);
    const x = m.send('alice');
    m.ok(m.send('alice')); // Bob: chain A0 current, x skipped
    for (let i = 0; i < extraChains; i++) {
      m.ok(m.send('bob'));
      m.ok(m.send('alice')); // Bob: a new receiving chain
    }
    // 1 + 4 chains: A0 is still remembered; 1 + 5: forgotten.
    assert.equal(m.deliver(x), extraChains === 4 ? null : 'InvalidHeader');
  }
});

test('ratchet: at most MaxSkippedMessageKeys skipped keys, the oldest evicted', () => {
  const m = new Model('eviction');
  const a0 = [];
  for (let i = 0; i <= 2000; i++) a0.push(m.send('alice', `a0-${i}`));
  m.ok(a0[2000]); // 2000 skipped keys: a0[0..1999]
  m.ok(m.send('bob'));
  const a1 = [m.send('alice', 'a1-0'), m.send('alice', 'a1-1')];
  m.ok(a1[1]); // one more skipped key (a1[0]) evicts a0[0]
  assert.equal(m.deliver(a0[0]), 'Duplicate');
  m.ok(a0[1]);
  m.ok(a1[0]);
  m.ok(a0[1999]);
  assert.equal(m.deliver(a0[1999]), 'Duplicate');
});

test('ratchet: the gap limits, current chain and previous chain (pn)', () => {
  // Current chain: n - Nr = 2001 is too big, 2000 is fine.
  for (const gap of [2000, 2001]) {
    const m = new Model(`gap-${gap}`);
    const msgs = [];
    for (let i = 0; i <= gap; i++) msgs.push(m.send('alice', `${i}`));
    assert.equal(m.deliver(msgs[gap]), gap === 2000 ? null : 'TooBigGap');
  }
  // A new chain with n > 2000.
  {
    const m = new Model('gap-new-chain');
    m.ok(m.send('alice'));
    let last;
    for (let i = 0; i <= 2001; i++) last = m.send('bob', `${i}`);
    assert.equal(m.deliver(last), 'TooBigGap');
  }
  // A new chain whose pn leaves more than 2000 keys of the current chain to skip.
  for (const sent of [2001, 2002]) {
    const m = new Model(`gap-pn-${sent}`);
    const first = [];
    for (let i = 0; i < sent; i++) first.push(m.send('alice', `${i}`));
    m.ok(first[0]); // Bob: Nr = 1
    m.ok(m.send('bob')); // Alice ratchets, PN = sent
    const next = m.send('alice', 'next');
    assert.equal(m.deliver(next), sent - 1 > 2000 ? 'TooBigGap' : null);
  }
});

test('ratchet: malformed input is refused before any work', () => {
  const m = new Model('malformed');
  const msg = m.send('alice');
  assert.equal(m.deliver({ ...msg, header: msg.header.subarray(0, 79) }), 'Malformed');
  assert.equal(m.deliver({ ...msg, ciphertext: msg.ciphertext.subarray(0, 79) }), 'Malformed');
  assert.equal(m.deliver({ ...msg, ciphertext: new Uint8Array(0) }), 'Malformed');
  m.ok(msg);
});
