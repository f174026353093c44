// Sender keys (PROTOCOL.md section 7) between a JavaScript sender and receivers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concat, u32be, utf8 } from '../lib/bytes.mjs';
import { failureOf } from '../lib/failure.mjs';
import { kdfCk } from '../lib/kdf.mjs';
import { encode } from '../lib/protobuf.mjs';
import {
  createSender,
  deleteExpiredKeys,
  distributionMessage,
  emptyReceiver,
  parseDistribution,
  parseSenderKeyMessage,
  processDistribution,
  receiverDecrypt,
  receiverFingerprint,
  rotateSender,
  senderEncrypt,
  senderFromState,
} from '../lib/senderkeys.mjs';
import { SenderKeyDistribution, SenderKeyMessage } from '../lib/wire.mjs';
import { Drbg } from '../selftest/drbg.mjs';

const Day = 86400000;

function setup(label) {
  const rng = new Drbg(label);
  const sender = createSender((n) => rng.bytes(n));
  return { rng, sender, receiver: processDistribution(emptyReceiver(), distributionMessage(sender)) };
}

function post(ctx, text, expires = 0) {
  const r = senderEncrypt(ctx.sender, utf8(text), expires);
  ctx.sender = r.state;
  return r.message;
}

/** The sender's post at `iteration` (its earlier posts reached no one). */
function postAt(sender, iteration, text = 'x') {
  let s = sender;
  while (s.iteration < iteration) s = { ...s, iteration: s.iteration + 1, chainKey: kdfCk(s.chainKey).nextChainKey };
  return senderEncrypt(s, utf8(text), 0).message;
}

test('sender keys: creation and rotation draw chain ids again while 0 or equal to the current one', () => {
  const draws = [new Uint8Array(16).fill(1), u32be(0), u32be(0), u32be(5), new Uint8Array(32).fill(2), new Uint8Array(32).fill(3)];
  const sender = createSender((n) => {
    const next = draws.shift();
    assert.equal(next.length, n);
    return next;
  });
  assert.equal(sender.chainId, 5);
  assert.equal(sender.iteration, 0);
  const rotation = [u32be(5), u32be(0), u32be(9), new Uint8Array(32).fill(4), new Uint8Array(32).fill(5)];
  const rotated = rotateSender(sender, (n) => {
    const next = rotation.shift();
    assert.equal(next.length, n);
    return next;
  });
  assert.equal(rotated.chainId, 9);
  assert.deepEqual(rotated.distributionId, sender.distributionId);
  assert.equal(rotation.length, 0);
});

test('sender keys: out-of-order delivery, duplicates, state unchanged on failure', () => {
  const ctx = setup('order');
  const msgs = [];
  for (let i = 0; i < 5; i++) msgs.push(post(ctx, `post ${i}`));
  let receiver = ctx.receiver;
  for (const i of [3, 0, 4, 1, 2]) {
    const r = receiverDecrypt(receiver, msgs[i], 0);
    assert.equal(Buffer.from(r.plaintext).toString(), `post ${i}`);
    const snapshot = receiverFingerprint(r.receiver);
    assert.equal(failureOf(() => receiverDecrypt(r.receiver, msgs[i], 0)), 'Duplicate');
    assert.equal(receiverFingerprint(r.receiver), snapshot);
    receiver = r.receiver;
  }
});

test('sender keys: a member that joins late cannot open earlier posts (Duplicate)', () => {
  const rng = new Drbg('late');
  const ctx = { sender: createSender((n) => rng.bytes(n)) };
  const early = post(ctx, 'early');
  const receiver = processDistribution(emptyReceiver(), distributionMessage(ctx.sender));
  assert.equal(failureOf(() => receiverDecrypt(receiver, early, 0)), 'Duplicate');
  assert.equal(failureOf(() => receiverDecrypt(receiver, post(ctx, 'later'), 0)), null);
});

test('sender keys: expiry is "not after the receiver clock"', () => {
  const ctx = setup('expiry');
  const m = post(ctx, 'status', 1000);
  assert.equal(failureOf(() => receiverDecrypt(ctx.receiver, m, 1000)), 'Expired');
  assert.equal(failureOf(() => receiverDecrypt(ctx.receiver, m, 999)), null);
  const forever = post(ctx, 'no expiry', 0);
  assert.equal(failureOf(() => receiverDecrypt(ctx.receiver, forever, 2 ** 52)), null);
});

test('sender keys: gap and skipped-key limits, per record', () => {
  const ctx = setup('gaps');
  const at = (i) => postAt(ctx.sender, i, `p${i}`);
  assert.equal(failureOf(() => receiverDecrypt(ctx.receiver, at(2001), 0)), 'TooBigGap');
  let { receiver } = receiverDecrypt(ctx.receiver, at(2000), 0); // 2000 skipped keys: 0..1999
  receiver = receiverDecrypt(receiver, at(2002), 0).receiver; // one more (2001): evicts iteration 0
  assert.equal(failureOf(() => receiverDecrypt(receiver, at(0), 0)), 'Duplicate');
  assert.equal(failureOf(() => receiverDecrypt(receiver, at(1), 0)), null);
  assert.equal(failureOf(() => receiverDecrypt(receiver, at(2001), 0)), null);

  // The bound holds across generations: keys of another generation are evicted first when older.
  const second = rotateSender(ctx.sender, (n) => ctx.rng.bytes(n));
  receiver = processDistribution(ctx.receiver, distributionMessage(second));
  receiver = receiverDecrypt(receiver, at(10), 0).receiver; // generation 1: keys 0..9
  receiver = receiverDecrypt(receiver, postAt(second, 1995), 0).receiver; // generation 2: 1995 keys, 5 evicted
  assert.equal(failureOf(() => receiverDecrypt(receiver, at(4), 0)), 'Duplicate');
  assert.equal(failureOf(() => receiverDecrypt(receiver, at(5), 0)), null);
  assert.equal(failureOf(() => receiverDecrypt(receiver, postAt(second, 0), 0)), null);
});

test('sender keys: skipped keys of an expiring post are deleted at now + 24 h, others kept', () => {
  const ctx = setup('delete');
  const m0 = post(ctx, 'p0');
  const m1 = post(ctx, 'p1');
  const m2 = post(ctx, 'status', 5 * Day);
  const m3 = post(ctx, 'p3');
  const m4 = post(ctx, 'p4');
  let { receiver } = receiverDecrypt(ctx.receiver, m2, 1000); // keys 0, 1: deleted after 1000 + Day
  receiver = receiverDecrypt(receiver, m4, 2000).receiver; // key 3: no expiry, kept
  assert.equal(deleteExpiredKeys(receiver, 1000 + Day - 1).deleted, 0);
  const after = deleteExpiredKeys(receiver, 1000 + Day);
  assert.equal(after.deleted, 2);
  assert.equal(failureOf(() => receiverDecrypt(after.receiver, m0, 0)), 'Duplicate');
  assert.equal(failureOf(() => receiverDecrypt(after.receiver, m1, 0)), 'Duplicate');
  assert.equal(failureOf(() => receiverDecrypt(after.receiver, m3, 0)), null);
});

test('sender keys: generations, eviction of the oldest, re-sent and replaced distributions', () => {
  const rng = new Drbg('rotation');
  let sender = createSender((n) => rng.bytes(n));
  const generations = [];
  for (let g = 0; g < 6; g++) {
    if (g > 0) sender = rotateSender(sender, (n) => rng.bytes(n));
    const r = senderEncrypt(sender, utf8(`generation ${g}`), 0);
    generations.push({ distribution: distributionMessage(sender), post: r.message, sender });
  }
  const open = (receiver, g) => failureOf(() => receiverDecrypt(receiver, generations[g].post, 0));
  let receiver = emptyReceiver();
  for (const g of generations) receiver = processDistribution(receiver, g.distribution);
  assert.equal(open(receiver, 0), 'UnknownSenderKey');
  for (let g = 1; g < 6; g++) assert.equal(open(receiver, g), null);

  // Re-sending generation 0 before generation 5 makes generation 1 the oldest.
  receiver = emptyReceiver();
  for (const g of [0, 1, 2, 3, 4, 0, 5]) receiver = processDistribution(receiver, generations[g].distribution);
  assert.equal(open(receiver, 0), null);
  assert.equal(open(receiver, 1), 'UnknownSenderKey');

  // A re-sent distribution never rolls the chain back.
  receiver = processDistribution(emptyReceiver(), generations[0].distribution);
  receiver = receiverDecrypt(receiver, generations[0].post, 0).receiver;
  receiver = processDistribution(receiver, generations[0].distribution);
  assert.equal(open(receiver, 0), 'Duplicate');

  // The same chain id with another signing key replaces the generation.
  const s0 = generations[0].sender;
  const impostor = senderFromState({ ...s0, signingSeed: rng.bytes(32) });
  receiver = processDistribution(processDistribution(emptyReceiver(), generations[0].distribution), distributionMessage(impostor));
  assert.equal(open(receiver, 0), 'BadSignature');
});

test('sender keys: only the canonical encodings are accepted (Malformed)', () => {
  const ctx = setup('canonical');
  const m = parseSenderKeyMessage(post(ctx, 'x'));
  const fields = { distribution_id: m.distributionId, chain_id: m.chainId, ciphertext: m.ciphertext, signature: m.signature };
  const zeroWritten = concat(
    encode(SenderKeyMessage, { distribution_id: m.distributionId, chain_id: m.chainId }),
    Uint8Array.of(0x20, 0x00), // expires_at_ms = 0 written
    encode(SenderKeyMessage, { ciphertext: m.ciphertext, signature: m.signature }),
  );
  for (const bytes of [
    new Uint8Array(0),
    zeroWritten,
    concat(encode(SenderKeyMessage, fields), Uint8Array.of(0x38, 0x01)),
    encode(SenderKeyMessage, { ...fields, iteration: 4294967295 }),
    encode(SenderKeyMessage, { ...fields, chain_id: 0 }),
    encode(SenderKeyMessage, { ...fields, ciphertext: m.ciphertext.subarray(1) }),
  ]) {
    assert.equal(failureOf(() => receiverDecrypt(ctx.receiver, bytes, 0)), 'Malformed');
  }
  const d = parseDistribution(distributionMessage(ctx.sender));
  const dFields = { distribution_id: d.distributionId, chain_id: d.chainId, iteration: d.iteration, chain_key: d.chainKey, signing_key: d.signingKey };
  for (const bad of [
    { ...dFields, chain_id: 0 },
    { ...dFields, iteration: 4294967295 },
    { ...dFields, chain_key: d.chainKey.subarray(1) },
    { ...dFields, signing_key: new Uint8Array(33) },
    { ...dFields, distribution_id: new Uint8Array(17) },
  ]) {
    assert.equal(failureOf(() => processDistribution(emptyReceiver(), encode(SenderKeyDistribution, bad))), 'Malformed');
  }
});

test('sender keys: encryption fails with ChainExhausted after iteration 4294967294', () => {
  const rng = new Drbg('exhausted');
  const s = senderFromState({ distributionId: rng.bytes(16), chainId: 3, iteration: 4294967294, chainKey: rng.bytes(32), signingSeed: rng.bytes(32) });
  const last = senderEncrypt(s, utf8('last'), 0);
  assert.equal(last.iteration, 4294967294);
  assert.equal(failureOf(() => senderEncrypt(last.state, utf8('more'), 0)), 'ChainExhausted');
  const receiver = processDistribution(emptyReceiver(), distributionMessage(s));
  assert.equal(failureOf(() => receiverDecrypt(receiver, last.message, 0)), null);
});
