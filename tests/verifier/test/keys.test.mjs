// Keys, bundles, safety numbers, padding and the handshake between JavaScript parties.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concat, utf8 } from '../lib/bytes.mjs';
import { failureOf } from '../lib/failure.mjs';
import { bobStores, encodePreKeyMessage, initiate, initiatorRatchet, replaying, respond } from '../lib/handshake.mjs';
import { fingerprintDigits, makeBundle, makeIdentity, parseIdentityKey, qrMatches, safetyNumber, verifyBundle } from '../lib/keys.mjs';
import { bucketFor, Buckets, pad, unpad } from '../lib/padding.mjs';
import { decrypt, encrypt } from '../lib/ratchet.mjs';
import { Drbg } from '../selftest/drbg.mjs';

const rng = new Drbg('keys-test');
const identity = () => makeIdentity(rng.bytes(32), rng.bytes(32));
const AliceAddress = { name: 'alice', device: 1 };
const BobAddress = { name: 'acme-shoes', device: 2 };

function bob(oneTime) {
  return {
    identity: identity(),
    signedPreKeyId: 1,
    signedPreKeyPrivate: rng.bytes(32),
    oneTimePreKeyId: oneTime ? 2 : 0,
    oneTimePreKeyPrivate: oneTime ? rng.bytes(32) : new Uint8Array(0),
    kemPreKeyId: 3,
    kemPreKeyLastResort: !oneTime,
    kemSeed: rng.bytes(64),
  };
}

test('padding: buckets', () => {
  assert.equal(bucketFor(0), 64);
  assert.equal(bucketFor(63), 64);
  assert.equal(bucketFor(64), 128);
  assert.equal(bucketFor(16383), 16384);
  assert.equal(bucketFor(16384), 32768);
  assert.equal(bucketFor(32767), 32768);
  assert.equal(bucketFor(32768), 49152);
  assert.equal(bucketFor(65536), 81920);
  const seen = new Set();
  for (let n = 0; n <= 65536; n += 7) seen.add(bucketFor(n));
  seen.add(bucketFor(65536));
  assert.deepEqual([...seen].sort((a, b) => a - b), [...Buckets]);
  const m = concat(utf8('abc'), new Uint8Array(3));
  assert.deepEqual(unpad(pad(m)), m);
  assert.equal(failureOf(() => pad(new Uint8Array(65537))), 'PlaintextTooLong');
});

test('identity: valid, and every corruption refused', () => {
  const id = identity();
  assert.equal(id.identityKey.length, 128);
  parseIdentityKey(id.identityKey);
  for (let i = 0; i < 128; i += 9) {
    const bad = Uint8Array.from(id.identityKey);
    bad[i] ^= 0x40;
    assert.equal(failureOf(() => parseIdentityKey(bad)), 'InvalidIdentityKey', `byte ${i}`);
  }
});

test('bundle: verifies, and its signatures bind ids and kind', () => {
  for (const oneTime of [true, false]) {
    const b = makeBundle(bob(oneTime));
    const v = verifyBundle(b.bundle);
    assert.equal(v.one_time_prekey_id, oneTime ? 2 : 0);
    assert.equal(v.kem_prekey_last_resort, !oneTime);
  }
});

test('bundle: only the canonical encoding parses (section 3.4 step 1)', () => {
  const valid = makeBundle(bob(true)).bundle; // fields 1-7, 9, 10; signed pre-key id 1 at bytes [131, 133)
  assert.equal(valid[131], 0x10);
  assert.equal(valid[132], 0x01);
  const head = valid.subarray(0, 131);
  const tail = valid.subarray(133);
  const breaches = {
    'unknown field appended': concat(valid, Uint8Array.of(0x58, 0x01)),
    'field repeated': concat(valid, valid.subarray(valid.length - 66)),
    'id not minimal': concat(head, Uint8Array.of(0x10, 0x81, 0x00), tail),
    'id above 2^32-1': concat(head, Uint8Array.of(0x10, 0x81, 0x80, 0x80, 0x80, 0x10), tail),
    'id as length-delimited': concat(head, Uint8Array.of(0x12, 0x01, 0x01), tail),
    'tag not minimal': concat(head, Uint8Array.of(0x90, 0x00, 0x01), tail),
    'bool false written': concat(valid.subarray(0, valid.length - 66 - 1187), Uint8Array.of(0x40, 0x00), valid.subarray(valid.length - 66 - 1187)),
  };
  assert.equal(verifyBundle(valid).signed_prekey_id, 1);
  assert.equal(valid[valid.length - 66 - 1187], 0x4a); // field 9 starts there
  for (const [name, bytes] of Object.entries(breaches)) {
    assert.equal(failureOf(() => verifyBundle(bytes)), 'Malformed', name);
  }
});

test('safety numbers: same on both sides, QR payloads match each other', () => {
  const a = identity();
  const b = identity();
  const fromA = safetyNumber(a.identityKey, 'alice', b.identityKey, 'bob');
  const fromB = safetyNumber(b.identityKey, 'bob', a.identityKey, 'alice');
  assert.equal(fromA.digits, fromB.digits);
  assert.match(fromA.digits, /^[0-9]{60}$/);
  assert.ok(qrMatches(fromB.qrA, fromA.qrA));
  assert.ok(!qrMatches(fromA.qrA, fromA.qrA));
  const c = identity();
  assert.ok(!qrMatches(safetyNumber(c.identityKey, 'bob', a.identityKey, 'alice').qrA, fromA.qrA));
  // 40-bit chunks modulo 100000, zero padded.
  const fp = new Uint8Array(32);
  fp[4] = 1; // first chunk = 1
  fp.set([0xff, 0xff, 0xff, 0xff, 0xff], 5); // 2^40 - 1 = 1099511627775 -> 27775
  assert.equal(fingerprintDigits(fp), '00001' + '27775' + '00000'.repeat(4));
});

test('handshake: both sides derive the same session, with and without a one-time pre-key', () => {
  for (const oneTime of [true, false]) {
    const alice = identity();
    const b = bob(oneTime);
    const bundle = makeBundle(b);
    const r = initiate(alice, bundle.bundle, (n) => rng.bytes(n), AliceAddress, BobAddress);
    assert.equal(r.dh4.length, oneTime ? 32 : 0);
    let aliceState = initiatorRatchet(r, rng.bytes(32));
    const first = encrypt(aliceState, utf8('hi'), rng.bytes(24));
    aliceState = first.state;
    const pkm = encodePreKeyMessage(r.preKeyFields, first.header, first.ciphertext);
    const got = respond(bobStores(b, BobAddress), pkm, () => rng.bytes(32), AliceAddress);
    assert.equal(Buffer.from(got.plaintext).toString(), 'hi');
    assert.deepEqual(got.derived.associatedData, r.associatedData);
    const reply = encrypt(got.state, utf8('hello'), rng.bytes(24));
    const back = decrypt(aliceState, reply.header, reply.ciphertext, () => rng.bytes(32));
    assert.equal(Buffer.from(back.plaintext).toString(), 'hello');
    assert.equal(failureOf(() => respond(bobStores(b, BobAddress, identity().identityKey), pkm, () => rng.bytes(32), AliceAddress)), 'UntrustedIdentity');
    assert.equal(failureOf(() => respond(bobStores(b, BobAddress, alice.identityKey), pkm, () => rng.bytes(32), AliceAddress)), null);
    // Committing consumes the one-time pre-key and the one-time KEM pre-key and trusts Alice.
    const after = got.commit();
    assert.equal(after.oneTimePreKeys.size, 0);
    assert.equal(after.kemPreKeys.size, b.kemPreKeyLastResort ? 1 : 0);
    assert.deepEqual(after.trustedIdentity, alice.identityKey);
    assert.equal(bobStores(b, BobAddress).oneTimePreKeys.size, oneTime ? 1 : 0, 'respond() itself changes nothing');
    // A replay fails on the consumed one-time pre-key; with a last-resort KEM pre-key alone it does not.
    assert.equal(failureOf(() => respond(after, pkm, () => rng.bytes(32), AliceAddress)), oneTime ? 'UnknownOneTimePreKey' : null);
  }
});

test('handshake: a first message shown under another address or delivered to another device fails', () => {
  const alice = identity();
  const b = bob(true);
  const r = initiate(alice, makeBundle(b).bundle, (n) => rng.bytes(n), AliceAddress, BobAddress);
  const first = encrypt(initiatorRatchet(r, rng.bytes(32)), utf8('hi'), rng.bytes(24));
  const pkm = encodePreKeyMessage(r.preKeyFields, first.header, first.ciphertext);
  assert.equal(failureOf(() => respond(bobStores(b, BobAddress), pkm, () => rng.bytes(32), { name: 'mallory', device: 1 })), 'InvalidHeader');
  assert.equal(failureOf(() => respond(bobStores(b, BobAddress), pkm, () => rng.bytes(32), { name: 'alice', device: 2 })), 'InvalidHeader');
  assert.equal(failureOf(() => respond(bobStores(b, { name: 'acme-shoes', device: 1 }), pkm, () => rng.bytes(32), AliceAddress)), 'InvalidHeader');
  assert.equal(failureOf(() => respond(bobStores(b, BobAddress), pkm, () => rng.bytes(32), AliceAddress)), null);
});

test('handshake: a PreKeyMessage that is not canonical is Malformed before any handshake step', () => {
  const alice = identity();
  const b = bob(true);
  const r = initiate(alice, makeBundle(b).bundle, (n) => rng.bytes(n), AliceAddress, BobAddress);
  const first = encrypt(initiatorRatchet(r, rng.bytes(32)), utf8('hi'), rng.bytes(24));
  const pkm = encodePreKeyMessage(r.preKeyFields, first.header, first.ciphertext);
  // An unknown field appended, a trailing unterminated varint, a field repeated out of order.
  for (const bad of [concat(pkm, Uint8Array.of(0x40, 0x01)), concat(pkm, Uint8Array.of(0x80)), concat(pkm, pkm.subarray(0, 131))]) {
    assert.equal(failureOf(() => respond(bobStores(b, BobAddress), bad, () => rng.bytes(32), AliceAddress)), 'Malformed');
  }
});

test('handshake: a replay without a one-time pre-key fails on a consumed one-time KEM pre-key', () => {
  const alice = identity();
  const b = { ...bob(false), kemPreKeyLastResort: false };
  const r = initiate(alice, makeBundle(b).bundle, (n) => rng.bytes(n), AliceAddress, BobAddress);
  const first = encrypt(initiatorRatchet(r, rng.bytes(32)), utf8('again'), rng.bytes(24));
  const pkm = encodePreKeyMessage(r.preKeyFields, first.header, first.ciphertext);
  const after = respond(bobStores(b, BobAddress), pkm, () => rng.bytes(32), AliceAddress).commit();
  assert.equal(after.kemPreKeys.size, 0);
  assert.equal(failureOf(() => respond(after, pkm, () => rng.bytes(32), AliceAddress)), 'UnknownKemPreKey');
});

test('handshake: Alice draws the base key, then ML-KEM m, and nothing for a refused bundle', () => {
  const alice = identity();
  const b = bob(true);
  const bundle = makeBundle(b).bundle;
  const base = rng.bytes(32);
  const m = rng.bytes(32);
  const r = initiate(alice, bundle, replaying(base, m), AliceAddress, BobAddress);
  assert.deepEqual(r.preKeyFields.base_key, initiate(alice, bundle, replaying(base, rng.bytes(32)), AliceAddress, BobAddress).preKeyFields.base_key);
  assert.throws(() => initiate(alice, bundle, replaying(base), AliceAddress, BobAddress), /exhausted/);
  const broken = Uint8Array.from(bundle);
  broken[broken.length - 1] ^= 1; // the KEM pre-key signature
  let drawn = 0;
  assert.equal(failureOf(() => initiate(alice, broken, (n) => { drawn += n; return rng.bytes(n); }, AliceAddress, BobAddress)), 'BadKemPreKeySignature');
  assert.equal(drawn, 0);
});
