// Sender keys (PROTOCOL.md section 7) between a JavaScript sender and receivers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utf8 } from '../lib/bytes.mjs';
import { failureOf } from '../lib/failure.mjs';
import { addDistribution, distributionOf, receiverDecrypt, senderEncrypt, senderState } from '../lib/senderkeys.mjs';
import { Drbg } from '../selftest/drbg.mjs';

function setup(label, chainId = 1) {
  const rng = new Drbg(label);
  const sender = senderState({ distributionId: rng.bytes(16), chainId, chainKey: rng.bytes(32), signingSeed: rng.bytes(32) });
  return { rng, sender, receiver: addDistribution([], distributionOf(sender)) };
}

function post(ctx, text, expires = 0) {
  const r = senderEncrypt(ctx.sender, utf8(text), expires);
  ctx.sender = r.state;
  return r.message;
}

test('sender keys: out-of-order delivery, duplicates, state unchanged on failure', () => {
  const ctx = setup('order');
  const msgs = [];
  for (let i = 0; i < 5; i++) msgs.push(post(ctx, `post ${i}`));
  let states = ctx.receiver;
  for (const i of [3, 0, 4, 1, 2]) {
    const r = receiverDecrypt(states, msgs[i], 0);
    assert.equal(Buffer.from(r.plaintext).toString(), `post ${i}`);
    assert.equal(failureOf(() => receiverDecrypt(r.states, msgs[i], 0)), 'Duplicate');
    const snapshot = JSON.stringify(r.states, (_, v) => (v instanceof Uint8Array ? [...v] : v));
    failureOf(() => receiverDecrypt(r.states, msgs[i], 0));
    assert.equal(JSON.stringify(r.states, (_, v) => (v instanceof Uint8Array ? [...v] : v)), snapshot);
    states = r.states;
  }
});

test('sender keys: expiry is "not after the receiver clock"', () => {
  const ctx = setup('expiry');
  const m = post(ctx, 'status', 1000);
  assert.equal(failureOf(() => receiverDecrypt(ctx.receiver, m, 1000)), 'Expired');
  assert.equal(failureOf(() => receiverDecrypt(ctx.receiver, m, 999)), null);
  const forever = post(ctx, 'no expiry', 0);
  assert.equal(failureOf(() => receiverDecrypt(ctx.receiver, forever, 2 ** 52)), null);
});

test('sender keys: gap and skipped-key limits', () => {
  const ctx = setup('gaps');
  const far = senderEncrypt(ctx.sender, utf8('x'), 0, 2001).message;
  assert.equal(failureOf(() => receiverDecrypt(ctx.receiver, far, 0)), 'TooBigGap');
  const ok = senderEncrypt(ctx.sender, utf8('x'), 0, 2000).message;
  let { states } = receiverDecrypt(ctx.receiver, ok, 0); // 2000 skipped keys: 0..1999
  const next = senderEncrypt(ctx.sender, utf8('y'), 0, 2002).message;
  states = receiverDecrypt(states, next, 0).states; // one more (2001): evicts iteration 0
  assert.equal(failureOf(() => receiverDecrypt(states, senderEncrypt(ctx.sender, utf8('z'), 0, 0).message, 0)), 'Duplicate');
  assert.equal(failureOf(() => receiverDecrypt(states, senderEncrypt(ctx.sender, utf8('z'), 0, 1).message, 0)), null);
  assert.equal(failureOf(() => receiverDecrypt(states, senderEncrypt(ctx.sender, utf8('z'), 0, 2001).message, 0)), null);
});

test('sender keys: rotation keeps at most MaxSenderKeyStates generations', () => {
  const rng = new Drbg('rotation');
  const distributionId = rng.bytes(16);
  let states = [];
  const senders = [];
  for (let chainId = 1; chainId <= 6; chainId++) {
    const s = senderState({ distributionId, chainId, chainKey: rng.bytes(32), signingSeed: rng.bytes(32) });
    senders.push(s);
    states = addDistribution(states, distributionOf(s));
  }
  assert.equal(states.length, 5);
  const first = senderEncrypt(senders[0], utf8('old'), 0).message;
  assert.equal(failureOf(() => receiverDecrypt(states, first, 0)), 'UnknownSenderKey');
  for (const s of senders.slice(1)) assert.equal(failureOf(() => receiverDecrypt(states, senderEncrypt(s, utf8('new'), 0).message, 0)), null);
  // A message signed by another generation's key.
  const forged = senderEncrypt({ ...senders[5], signingSeed: senders[4].signingSeed }, utf8('forged'), 0).message;
  assert.equal(failureOf(() => receiverDecrypt(states, forged, 0)), 'BadSignature');
});
