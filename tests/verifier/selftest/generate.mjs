// Generates a small set of vector files in the format of tests/vectors/FORMAT.md with this
// verifier's own JavaScript model, so that verify.mjs can be exercised before the C# generator's
// vectors exist. (This only proves the verifier is self-consistent and that verify.mjs catches
// changes; agreement with the C# implementation is what the published vectors prove.)
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { concat, filled, fromHex, toHex, u32be, utf8 } from '../lib/bytes.mjs';
import { handshakeIkm, initiate, initiatorRatchet, replaying } from '../lib/handshake.mjs';
import { handshakeInfo, handshakeKdf, kdfCk, kdfRk, messageKeys, senderMessageKeys } from '../lib/kdf.mjs';
import { domainMessage, makeBundle, makeIdentity, qrMatches, safetyNumber } from '../lib/keys.mjs';
import { Labels } from '../lib/labels.mjs';
import { pad } from '../lib/padding.mjs';
import { chachaSeal, ed25519Sign, LowOrderPoints, x25519Public, xchachaSeal } from '../lib/primitives.mjs';
import { decodeLenient, encode } from '../lib/protobuf.mjs';
import { decrypt, encodeHeader, encrypt, encryptHeader, initAlice, initBob } from '../lib/ratchet.mjs';
import {
  createSender,
  distributionMessage,
  emptyReceiver,
  processDistribution,
  receiverDecrypt,
  rotateSender,
  senderEncrypt,
  senderFromState,
  senderKeyHeader,
} from '../lib/senderkeys.mjs';
import { Address, Envelope, PreKeyBundle, PreKeyMessage, RatchetMessage, SenderKeyMessage } from '../lib/wire.mjs';
import { Drbg } from './drbg.mjs';

const h = toHex;
const Generator = 'tests/verifier self-test generator (JavaScript)';
const AliceAddress = { name: 'alice', device: 1 };
const BobAddress = { name: 'acme-shoes', device: 2 };

function flip(bytes, index = bytes.length - 1, mask = 0x01) {
  const out = Uint8Array.from(bytes);
  out[(index + out.length) % out.length] ^= mask;
  return out;
}

function file(name, vectors) {
  return { protocol: 'E2eChat v1', file: name, generator: Generator, vectors };
}

// ------------------------------------------------------------------ inputs

function identityInputs(rng) {
  return { ed25519_seed: h(rng.bytes(32)), x25519_private: h(rng.bytes(32)) };
}

function identityOf(o) {
  return makeIdentity(fromHex(o.ed25519_seed), fromHex(o.x25519_private));
}

function bobInputs(rng, { oneTime = true, lastResort = false, ids = [7, 9, 11] } = {}) {
  return {
    ...identityInputs(rng),
    signed_prekey_id: ids[0],
    signed_prekey_private: h(rng.bytes(32)),
    one_time_prekey_id: oneTime ? ids[1] : 0,
    one_time_prekey_private: oneTime ? h(rng.bytes(32)) : '',
    kem_prekey_id: ids[2],
    kem_prekey_last_resort: lastResort,
    kem_seed: h(rng.bytes(64)),
  };
}

function bundleOf(o, identity = identityOf(o)) {
  return makeBundle({
    identity,
    signedPreKeyId: o.signed_prekey_id,
    signedPreKeyPrivate: fromHex(o.signed_prekey_private),
    oneTimePreKeyId: o.one_time_prekey_id,
    oneTimePreKeyPrivate: fromHex(o.one_time_prekey_private),
    kemPreKeyId: o.kem_prekey_id,
    kemPreKeyLastResort: o.kem_prekey_last_resort,
    kemSeed: fromHex(o.kem_seed),
  });
}

// ------------------------------------------------------------------ kdf.json

function kdfFile(rng) {
  const v = [];
  for (let i = 0; i < 2; i++) {
    const rk = rng.bytes(32);
    const dh = rng.bytes(32);
    const r = kdfRk(rk, dh);
    v.push({ name: `kdf_rk_${i}`, kind: 'kdf_rk', rk: h(rk), dh: h(dh), root_key: h(r.rootKey), chain_key: h(r.chainKey), next_header_key: h(r.nextHeaderKey) });
    const ck = rng.bytes(32);
    const c = kdfCk(ck);
    v.push({ name: `kdf_ck_${i}`, kind: 'kdf_ck', chain_key: h(ck), message_key_seed: h(c.messageKeySeed), next_chain_key: h(c.nextChainKey) });
    const mk = rng.bytes(32);
    const m = messageKeys(mk);
    v.push({ name: `message_keys_${i}`, kind: 'message_keys', message_key_seed: h(mk), key: h(m.key), nonce: h(m.nonce) });
    const s = senderMessageKeys(mk);
    v.push({ name: `sender_message_keys_${i}`, kind: 'sender_message_keys', message_key_seed: h(mk), key: h(s.key), nonce: h(s.nonce) });
  }
  for (const withDh4 of [true, false]) {
    const ikm = handshakeIkm(rng.bytes(32), rng.bytes(32), rng.bytes(32), withDh4 ? rng.bytes(32) : null, rng.bytes(32));
    const initiatorAddress = { name: 'alice', device: 1 };
    const responderAddress = { name: withDh4 ? 'b' : 'shop.example_2-b', device: withDh4 ? 255 : 7 };
    const info = handshakeInfo(initiatorAddress, responderAddress);
    const r = handshakeKdf(ikm, info);
    v.push({
      name: `handshake_kdf_${withDh4 ? 'with' : 'without'}_dh4`,
      kind: 'handshake_kdf',
      ikm: h(ikm),
      initiator_address: initiatorAddress,
      responder_address: responderAddress,
      info: h(info),
      root_key: h(r.rootKey),
      header_key_a: h(r.headerKeyA),
      next_header_key_b: h(r.nextHeaderKeyB),
      session_binding: h(r.sessionBinding),
    });
  }
  return file('kdf.json', v);
}

// ------------------------------------------------------------------ padding.json

function paddingFile(rng) {
  const v = [];
  for (const n of [0, 1, 62, 63, 64, 127, 1000, 16382, 16383, 16384, 40000, 65536]) {
    const pt = rng.bytes(n);
    if (n === 62) pt.fill(0); // trailing zeros in the message itself are kept
    v.push({ name: `pad_${n}`, kind: 'pad', plaintext: h(pt), padded: h(pad(pt)) });
  }
  const invalid = {
    all_zero: new Uint8Array(64),
    empty: new Uint8Array(0),
    no_marker: concat(rng.bytes(10), filled(54, 0)).map((b, i) => (i === 9 ? 0x7f : b)),
    last_byte_nonzero: concat(filled(63, 0), Uint8Array.of(0x01)),
    marker_then_garbage: concat(rng.bytes(5), Uint8Array.of(0x80, 0x01), filled(57, 0)),
  };
  for (const [name, padded] of Object.entries(invalid)) {
    v.push({ name: `unpad_invalid_${name}`, kind: 'unpad_invalid', padded: h(padded), failure: 'InvalidPadding' });
  }
  return file('padding.json', v);
}

// ------------------------------------------------------------------ keys.json

function keysFile(rng) {
  const v = [];
  const ids = [];
  for (let i = 0; i < 2; i++) {
    const inputs = identityInputs(rng);
    const id = identityOf(inputs);
    ids.push(id);
    v.push({ name: `identity_${i}`, kind: 'identity', ...inputs, identity_key: h(id.identityKey) });
  }
  const [a, b] = ids;
  const signedWith = (idh) => concat(a.ipk, idh, ed25519Sign(a.ed25519Seed, domainMessage(Labels.identityDhKey, idh)));
  const topBit = flip(a.idh, 31, 0x80);
  const invalidIdentities = {
    too_short: a.identityKey.subarray(0, 127),
    too_long: concat(a.identityKey, Uint8Array.of(0)),
    bad_bind: flip(a.identityKey, 127),
    other_signer: concat(b.ipk, a.identityKey.subarray(32)),
    low_order_dh_key: signedWith(fromHex(LowOrderPoints[4])),
    non_canonical_dh_key: signedWith(topBit),
  };
  for (const [name, ik] of Object.entries(invalidIdentities)) {
    v.push({ name: `identity_invalid_${name}`, kind: 'identity_invalid', identity_key: h(ik), failure: 'InvalidIdentityKey' });
  }

  const variants = [
    { name: 'with_one_time_prekey', oneTime: true, lastResort: false },
    { name: 'without_one_time_prekey_last_resort', oneTime: false, lastResort: true },
  ];
  let reference = null;
  for (const variant of variants) {
    const o = bobInputs(rng, variant);
    const { ed25519_seed, x25519_private, ...rest } = o;
    const bundle = bundleOf(o);
    reference ??= { o, bundle };
    v.push({
      name: `bundle_${variant.name}`,
      kind: 'bundle',
      identity: { ed25519_seed, x25519_private },
      ...rest,
      signed_prekey: h(bundle.fields.signed_prekey),
      signed_prekey_signature: h(bundle.fields.signed_prekey_signature),
      one_time_prekey: h(bundle.fields.one_time_prekey),
      kem_prekey: h(bundle.fields.kem_prekey),
      kem_prekey_signature: h(bundle.fields.kem_prekey_signature),
      bundle: h(bundle.bundle),
    });
  }
  const f = reference.bundle.fields;
  const re = (changes) => encode(PreKeyBundle, { ...f, ...changes });
  const badKem = Uint8Array.from(f.kem_prekey);
  badKem[3] = 0xff;
  badKem[4] |= 0x0f;
  const invalidBundles = [
    ['truncated', reference.bundle.bundle.subarray(0, reference.bundle.bundle.length - 1), 'Malformed'],
    ['bad_varint', concat(reference.bundle.bundle, Uint8Array.of(0x10, 0xff)), 'Malformed'],
    ['identity_bad_bind', re({ identity_key: flip(f.identity_key, 100) }), 'InvalidIdentityKey'],
    ['identity_missing', re({ identity_key: new Uint8Array(0) }), 'InvalidIdentityKey'],
    ['signed_prekey_id_zero', re({ signed_prekey_id: 0 }), 'InvalidKeyId'],
    ['kem_prekey_id_zero', re({ kem_prekey_id: 0 }), 'InvalidKeyId'],
    ['signed_prekey_low_order', re({ signed_prekey: fromHex(LowOrderPoints[3]) }), 'InvalidSignedPreKey'],
    ['signed_prekey_short', re({ signed_prekey: f.signed_prekey.subarray(0, 31) }), 'InvalidSignedPreKey'],
    ['signed_prekey_signature_bad', re({ signed_prekey_signature: flip(f.signed_prekey_signature, 5) }), 'BadSignedPreKeySignature'],
    ['signed_prekey_signature_other_id', re({ signed_prekey_id: f.signed_prekey_id + 1 }), 'BadSignedPreKeySignature'],
    ['one_time_prekey_missing', re({ one_time_prekey: new Uint8Array(0) }), 'InvalidOneTimePreKey'],
    ['one_time_prekey_without_id', re({ one_time_prekey_id: 0 }), 'InvalidOneTimePreKey'],
    ['one_time_prekey_non_canonical', re({ one_time_prekey: flip(f.one_time_prekey, 31, 0x80) }), 'InvalidOneTimePreKey'],
    ['kem_prekey_coefficient', re({ kem_prekey: badKem }), 'InvalidKemPreKey'],
    ['kem_prekey_short', re({ kem_prekey: f.kem_prekey.subarray(0, 1183) }), 'InvalidKemPreKey'],
    ['kem_prekey_signature_other_kind', re({ kem_prekey_last_resort: !f.kem_prekey_last_resort }), 'BadKemPreKeySignature'],
    ['kem_prekey_signature_bad', re({ kem_prekey_signature: flip(f.kem_prekey_signature, 0) }), 'BadKemPreKeySignature'],
  ];
  for (const [name, bytes, failure] of invalidBundles) {
    v.push({ name: `bundle_invalid_${name}`, kind: 'bundle_invalid', bundle: h(bytes), failure });
  }

  const nonCanonical = {
    p: 'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    p_plus_1: 'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    all_ones: 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    top_bit: h(topBit),
  };
  for (const [name, pub] of Object.entries(nonCanonical)) {
    v.push({ name: `x25519_non_canonical_${name}`, kind: 'x25519_public_invalid', public_key: pub, failure: 'NonCanonicalPublicKey' });
  }
  LowOrderPoints.forEach((pub, i) => {
    v.push({ name: `x25519_low_order_${i}`, kind: 'x25519_public_invalid', public_key: pub, failure: 'LowOrderPublicKey' });
  });

  for (const [na, nb] of [
    ['alice', 'bob'],
    ['zeta.shop', 'a'],
  ]) {
    const s = safetyNumber(a.identityKey, na, b.identityKey, nb);
    v.push({
      name: `safety_number_${na}_${nb}`,
      kind: 'safety_number',
      identity_a: h(a.identityKey),
      name_a: na,
      identity_b: h(b.identityKey),
      name_b: nb,
      fingerprint_a: h(s.fingerprintA),
      fingerprint_b: h(s.fingerprintB),
      digits: s.digits,
      qr_a: h(s.qrA),
    });
  }
  const ours = safetyNumber(a.identityKey, 'alice', b.identityKey, 'bob').qrA;
  const theirs = safetyNumber(b.identityKey, 'bob', a.identityKey, 'alice').qrA;
  for (const [name, scanned] of [
    ['peer', theirs],
    ['own', ours],
    ['version_2', concat(Uint8Array.of(2), theirs.subarray(1))],
    ['short', theirs.subarray(0, 64)],
  ]) {
    v.push({
      name: `qr_match_${name}`,
      kind: 'qr_match',
      identity_a: h(a.identityKey),
      name_a: 'alice',
      identity_b: h(b.identityKey),
      name_b: 'bob',
      qr_scanned: h(scanned),
      matches: qrMatches(scanned, ours),
    });
  }
  return file('keys.json', v);
}

// ------------------------------------------------------------------ stored.json

function storedFile(rng) {
  const v = [];
  const aad = concat(Labels.sealedState, Uint8Array.of(1));
  const key = rng.bytes(32);
  let sealed;
  for (const length of [0, 1, 100]) {
    const nonce = rng.bytes(24);
    const state = rng.bytes(length);
    sealed = concat(Uint8Array.of(1), nonce, xchachaSeal(key, nonce, state, aad));
    v.push({ name: `sealed_state_${length}`, kind: 'sealed_state', storage_key: h(key), nonce: h(nonce), state: h(state), sealed: h(sealed) });
  }
  for (const [name, bytes] of [
    ['tag_changed', flip(sealed)],
    ['version_2', concat(Uint8Array.of(2), sealed.subarray(1))],
    ['truncated', sealed.subarray(0, 40)],
  ]) {
    v.push({ name: `sealed_state_invalid_${name}`, kind: 'sealed_state_invalid', storage_key: h(key), sealed: h(bytes), failure: 'Unauthentic' });
  }
  return file('stored.json', v);
}

// ------------------------------------------------------------------ handshake.json

function handshakeFile(rng) {
  const v = [];
  const samples = [];
  for (const variant of [
    { name: 'with_one_time_prekey', oneTime: true, lastResort: false },
    { name: 'without_one_time_prekey', oneTime: false, lastResort: true },
    { name: 'without_one_time_prekey_one_time_kem', oneTime: false, lastResort: false },
  ]) {
    const alice = identityInputs(rng);
    const bob = bobInputs(rng, variant);
    const base = rng.bytes(32);
    const m = rng.bytes(32);
    const r = initiate(identityOf(alice), bundleOf(bob).bundle, replaying(base, m), AliceAddress, BobAddress);
    const vec = {
      name: `handshake_${variant.name}`,
      kind: 'handshake',
      alice,
      bob,
      alice_address: AliceAddress,
      bob_address: BobAddress,
      base_key_private: h(base),
      kem_encaps_m: h(m),
      dh1: h(r.dh1),
      dh2: h(r.dh2),
      dh3: h(r.dh3),
      dh4: h(r.dh4),
      kem_ciphertext: h(r.kemCiphertext),
      kem_shared_secret: h(r.kemSharedSecret),
      info: h(r.info),
      root_key: h(r.rootKey),
      header_key_a: h(r.headerKeyA),
      next_header_key_b: h(r.nextHeaderKeyB),
      session_binding: h(r.sessionBinding),
      associated_data: h(r.associatedData),
    };
    v.push(vec);
    samples.push({ alice, bob, base, m, r });
  }

  // Negative vectors over the first handshake (a one-time pre-key and a one-time KEM pre-key).
  const { alice, bob, base, m, r } = samples[0];
  const state = initiatorRatchet(r, rng.bytes(32));
  const first = encrypt(state, utf8('hello bob'), rng.bytes(24));
  const fields = r.preKeyFields;
  const msg = (changes = {}, inner = { header: first.header, ciphertext: first.ciphertext }) =>
    encode(PreKeyMessage, { ...fields, message: inner, ...changes });
  // A payload that authenticates but does not unpad.
  const mk = kdfCk(state.cks).messageKeySeed;
  const keys = messageKeys(mk);
  const badPadCt = chachaSeal(keys.key, keys.nonce, new Uint8Array(64), concat(state.ad, first.header));
  const other = identityOf(identityInputs(rng));
  const cases = [
    ['garbage', Uint8Array.of(0xff, 0xff, 0xff), null, 'Malformed'],
    ['untrusted_identity', msg(), other.identityKey, 'UntrustedIdentity'],
    ['invalid_identity_key', msg({ identity_key: flip(fields.identity_key, 70) }), null, 'InvalidIdentityKey'],
    ['base_key_low_order', msg({ base_key: fromHex(LowOrderPoints[1]) }), null, 'InvalidBaseKey'],
    ['base_key_missing', msg({ base_key: new Uint8Array(0) }), null, 'Malformed'],
    ['kem_ciphertext_short', msg({ kem_ciphertext: fields.kem_ciphertext.subarray(0, 1087) }), null, 'Malformed'],
    ['unknown_field', concat(msg(), Uint8Array.of(0x40, 0x01)), null, 'Malformed'],
    ['unknown_signed_prekey', msg({ signed_prekey_id: fields.signed_prekey_id + 1 }), null, 'UnknownSignedPreKey'],
    ['unknown_one_time_prekey', msg({ one_time_prekey_id: fields.one_time_prekey_id + 1 }), null, 'UnknownOneTimePreKey'],
    ['unknown_kem_prekey', msg({ kem_prekey_id: fields.kem_prekey_id + 1 }), null, 'UnknownKemPreKey'],
    ['wrong_kem_ciphertext', msg({ kem_ciphertext: rng.bytes(1088) }), null, 'InvalidHeader'],
    ['tampered_header', msg({}, { header: flip(first.header, 40), ciphertext: first.ciphertext }), null, 'InvalidHeader'],
    ['tampered_ciphertext', msg({}, { header: first.header, ciphertext: flip(first.ciphertext, 3) }), null, 'InvalidCiphertext'],
    ['invalid_padding', msg({}, { header: first.header, ciphertext: badPadCt }), null, 'InvalidPadding'],
    ['short_header', msg({}, { header: first.header.subarray(0, 79), ciphertext: first.ciphertext }), null, 'Malformed'],
    ['missing_message', encode(PreKeyMessage, fields), null, 'Malformed'],
  ];
  const invalid = (name, sample, bytes, failure, { trusted = null, replay = false, sender = AliceAddress, recipient = BobAddress } = {}) => {
    const vec = {
      name: `handshake_invalid_${name}`,
      kind: 'handshake_invalid',
      alice: sample.alice,
      bob: sample.bob,
      alice_address: sender,
      bob_address: recipient,
      base_key_private: h(sample.base),
      kem_encaps_m: h(sample.m),
      prekey_message: h(bytes),
      replay,
      failure,
    };
    if (trusted) vec.trusted_identity = h(trusted);
    v.push(vec);
  };
  for (const [name, bytes, trusted, failure] of cases) invalid(name, samples[0], bytes, failure, { trusted });
  // Re-addressed: another sender account or device, another recipient device.
  invalid('readdressed_sender', samples[0], msg(), 'InvalidHeader', { sender: { name: 'mallory', device: 1 } });
  invalid('readdressed_sender_device', samples[0], msg(), 'InvalidHeader', { sender: { ...AliceAddress, device: 2 } });
  invalid('readdressed_recipient', samples[0], msg(), 'InvalidHeader', { recipient: { ...BobAddress, device: 1 } });
  // Replays: Bob accepts the valid message once, then sees it again with no session holding it.
  invalid('replayed_one_time_prekey', samples[0], msg(), 'UnknownOneTimePreKey', { replay: true });
  const kemOnly = samples[2];
  const kemState = initiatorRatchet(kemOnly.r, rng.bytes(32));
  const kemFirst = encrypt(kemState, utf8('hello again'), rng.bytes(24));
  const kemMessage = encode(PreKeyMessage, { ...kemOnly.r.preKeyFields, message: { header: kemFirst.header, ciphertext: kemFirst.ciphertext } });
  invalid('replayed_one_time_kem_prekey', kemOnly, kemMessage, 'UnknownKemPreKey', { replay: true });

  // Bundles Alice refuses before drawing any randomness.
  const bundle = decodeLenient(PreKeyBundle, bundleOf(bob).bundle);
  const otherBundle = decodeLenient(PreKeyBundle, bundleOf(bobInputs(rng)).bundle);
  const bundleCases = [
    ['garbage', Uint8Array.of(0x0a, 0x05, 0x01), 'Malformed'],
    ['signed_prekey_substituted', encode(PreKeyBundle, { ...bundle, signed_prekey: otherBundle.signed_prekey }), 'BadSignedPreKeySignature'],
    ['kem_prekey_substituted', encode(PreKeyBundle, { ...bundle, kem_prekey: otherBundle.kem_prekey }), 'BadKemPreKeySignature'],
    ['kem_prekey_kind_flipped', encode(PreKeyBundle, { ...bundle, kem_prekey_last_resort: !bundle.kem_prekey_last_resort }), 'BadKemPreKeySignature'],
  ];
  for (const [name, bytes, failure] of bundleCases) {
    v.push({ name: `handshake_bundle_${name}`, kind: 'handshake_bundle_invalid', alice, bundle: h(bytes), failure });
  }
  return file('handshake.json', v);
}

// ------------------------------------------------------------------ ratchet.json

/** Drives two JS parties and records a transcript in the vector format. */
export class TranscriptRecorder {
  constructor(rng) {
    this.rng = rng;
    const rootKey = rng.bytes(32);
    const headerKeyA = rng.bytes(32);
    const nextHeaderKeyB = rng.bytes(32);
    const associatedData = rng.bytes(288);
    const bobPriv = rng.bytes(32);
    const alicePriv = rng.bytes(32);
    this.initial = {
      root_key: h(rootKey),
      header_key_a: h(headerKeyA),
      next_header_key_b: h(nextHeaderKeyB),
      associated_data: h(associatedData),
      bob_ratchet_private: h(bobPriv),
      alice_ratchet_private: h(alicePriv),
    };
    this.states = {
      alice: initAlice({ rootKey, headerKeyA, nextHeaderKeyB, associatedData, bobRatchetPublic: x25519Public(bobPriv), aliceRatchetPrivate: alicePriv }),
      bob: initBob({ rootKey, headerKeyA, nextHeaderKeyB, associatedData, bobRatchetPrivate: bobPriv }),
    };
    this.steps = [];
    this.sent = new Map();
  }

  encrypt(party, id, text = `${id} from ${party}`) {
    const plaintext = utf8(text);
    const nonce = this.rng.bytes(24);
    const r = encrypt(this.states[party], plaintext, nonce);
    this.states[party] = r.state;
    this.sent.set(id, { header: r.header, ciphertext: r.ciphertext, plaintext });
    this.steps.push({ op: 'encrypt', party, id, plaintext: h(plaintext), header_nonce: h(nonce), header: h(r.header), ciphertext: h(r.ciphertext) });
  }

  decrypt(party, id) {
    const msg = this.sent.get(id);
    let nrp = new Uint8Array(0);
    const r = decrypt(this.states[party], msg.header, msg.ciphertext, () => {
      nrp = this.rng.bytes(32);
      return nrp;
    });
    this.states[party] = r.state;
    this.steps.push({ op: 'decrypt', party, id, new_ratchet_private: h(nrp), plaintext: h(r.plaintext) });
  }

  decryptFail(party, header, ciphertext, failure) {
    let actual = null;
    try {
      decrypt(this.states[party], header, ciphertext, () => this.rng.bytes(32));
    } catch (e) {
      actual = e.failure;
    }
    if (actual !== failure) throw new Error(`generator: expected ${failure}, got ${actual}`);
    this.steps.push({ op: 'decrypt_fail', party, header: h(header), ciphertext: h(ciphertext), failure });
  }

  vector(name, kind = 'transcript') {
    return { name, kind, initial: this.initial, steps: this.steps.map((s) => ({ ...s })) };
  }
}

function ratchetFile(rng) {
  const v = [];
  const t = new TranscriptRecorder(rng);
  t.encrypt('alice', 'a1');
  t.encrypt('alice', 'a2');
  t.encrypt('alice', 'a3');
  t.decrypt('bob', 'a2'); // first message seen out of order: new chain, a1 skipped
  t.decrypt('bob', 'a1');
  t.encrypt('bob', 'b1');
  t.encrypt('bob', 'b2');
  t.decrypt('alice', 'b2'); // Alice ratchets, b1 skipped
  t.encrypt('alice', 'a4');
  t.decrypt('bob', 'a4'); // Bob ratchets; a3 stays skipped in the previous chain (pn = 3)
  t.decrypt('bob', 'a3'); // previous chain
  t.decrypt('alice', 'b1'); // Alice: b1 in her current chain's skipped keys
  t.encrypt('bob', 'b3');
  t.encrypt('bob', 'b4');
  t.decrypt('alice', 'b4');
  t.decrypt('alice', 'b3');
  t.encrypt('alice', 'a5');
  t.encrypt('alice', 'a6', 'x'.repeat(100)); // a second padding bucket
  t.decrypt('bob', 'a6');
  t.decryptFail('bob', t.sent.get('a6').header, t.sent.get('a6').ciphertext, 'Duplicate');
  t.decrypt('bob', 'a5');
  t.decryptFail('bob', t.sent.get('a5').header, t.sent.get('a5').ciphertext, 'Duplicate');
  t.decryptFail('alice', flip(t.sent.get('b4').header, 50), t.sent.get('b4').ciphertext, 'InvalidHeader');
  t.encrypt('bob', 'b5', '');
  t.decrypt('alice', 'b5');
  v.push(t.vector('transcript_reordered_three_ratchets'));

  // Short prefixes, each ending in one failure.
  const prefix = (label) => {
    const p = new TranscriptRecorder(new Drbg(`ratchet_invalid/${label}`));
    p.encrypt('alice', 'a1');
    p.encrypt('alice', 'a2');
    p.decrypt('bob', 'a1');
    return p;
  };
  const add = (p, label) => v.push(p.vector(`ratchet_invalid_${label}`, 'ratchet_invalid'));

  let p = prefix('duplicate');
  p.decryptFail('bob', p.sent.get('a1').header, p.sent.get('a1').ciphertext, 'Duplicate');
  add(p, 'duplicate');

  p = prefix('tampered_header');
  p.decryptFail('bob', flip(p.sent.get('a2').header, 30), p.sent.get('a2').ciphertext, 'InvalidHeader');
  add(p, 'tampered_header');

  p = prefix('tampered_ciphertext');
  p.decryptFail('bob', p.sent.get('a2').header, flip(p.sent.get('a2').ciphertext, 0), 'InvalidCiphertext');
  add(p, 'tampered_ciphertext');

  p = prefix('short_header');
  p.decryptFail('bob', p.sent.get('a2').header.subarray(0, 79), p.sent.get('a2').ciphertext, 'Malformed');
  add(p, 'short_header');

  p = prefix('ciphertext_not_bucket');
  p.decryptFail('bob', p.sent.get('a2').header, concat(p.sent.get('a2').ciphertext, Uint8Array.of(0)), 'Malformed');
  add(p, 'ciphertext_not_bucket');

  // Current chain: n - Nr = 2001 (Alice's counter forced forward; the header is all that matters).
  p = prefix('too_big_gap_current_chain');
  {
    const s = structuredClone(p.states.alice);
    s.ns = p.states.bob.nr + 2001;
    const r = encrypt(s, utf8('far'), p.rng.bytes(24));
    p.decryptFail('bob', r.header, r.ciphertext, 'TooBigGap');
  }
  add(p, 'too_big_gap_current_chain');

  // Exactly MaxMessageGap is still accepted: n - Nr = 2000 in the current chain (Nr = 1), which
  // stores exactly MaxSkippedMessageKeys keys.
  p = prefix('gap_2000_accepted');
  for (let i = 2; i <= 2001; i++) p.encrypt('alice', `f${i}`, '');
  p.decrypt('bob', 'f2001');
  p.decrypt('bob', 'f2');
  p.decrypt('bob', 'a2');
  p.decryptFail('bob', p.sent.get('f2001').header, p.sent.get('f2001').ciphertext, 'Duplicate');
  add(p, 'gap_2000_accepted');

  // New chain with n > 2000.
  p = prefix('too_big_gap_new_chain');
  {
    p.encrypt('bob', 'b1');
    const s = structuredClone(p.states.bob);
    s.ns = 2001;
    const r = encrypt(s, utf8('far'), p.rng.bytes(24));
    p.decryptFail('alice', r.header, r.ciphertext, 'TooBigGap');
  }
  add(p, 'too_big_gap_new_chain');

  // New chain whose ratchet key is low order: header made under the sender's next header key.
  p = prefix('invalid_ratchet_key');
  {
    const alice = p.states.alice;
    const header = encryptHeader(alice.nhks, p.rng.bytes(24), encodeHeader(fromHex(LowOrderPoints[0]), 2, 0));
    p.decryptFail('bob', header, new Uint8Array(80), 'InvalidRatchetKey');
  }
  add(p, 'invalid_ratchet_key');

  // A payload that authenticates but does not unpad.
  p = prefix('invalid_padding');
  {
    const s = p.states.alice;
    const mk = kdfCk(s.cks).messageKeySeed;
    const header = encryptHeader(s.hks, p.rng.bytes(24), encodeHeader(s.dhsPub, s.pn, s.ns));
    const keys = messageKeys(mk);
    const ct = chachaSeal(keys.key, keys.nonce, concat(utf8('no marker'), new Uint8Array(55)), concat(s.ad, header));
    p.decryptFail('bob', header, ct, 'InvalidPadding');
  }
  add(p, 'invalid_padding');
  v.push(sessionRecordVector(new Drbg('session_record')));
  return file('ratchet.json', v);
}

/**
 * A session_record vector (PROTOCOL.md 5.6): two sessions with one responder; the record tries the
 * current state, then the archived ones, promotes the one that opens a message, and otherwise reports
 * the current state's failure.
 */
function sessionRecordVector(rng) {
  const t = [new TranscriptRecorder(rng), new TranscriptRecorder(rng)];
  const steps = [];
  let record = [];
  const order = () => record.map((e) => e.session);
  const enc = (session, id) => {
    t[session].encrypt('alice', id);
    const { op, party, ...fields } = t[session].steps.at(-1);
    steps.push({ op, session, ...fields });
  };
  const start = (session) => {
    record = [{ session, state: t[session].states.bob }, ...record];
    steps.push({ op: 'start', session, record: order() });
  };
  const dec = (id, failure = null) => {
    const msg = t[0].sent.get(id) ?? t[1].sent.get(id);
    let nrp = new Uint8Array(0);
    let current = 'NoSession';
    for (let k = 0; k < record.length; k++) {
      try {
        const r = decrypt(record[k].state, msg.header, msg.ciphertext, () => (nrp = rng.bytes(32)));
        if (failure !== null) throw new Error(`generator: ${id} opened, expected ${failure}`);
        record = [{ session: record[k].session, state: r.state }, ...record.filter((_, j) => j !== k)];
        steps.push({ op: 'decrypt', id, new_ratchet_private: h(nrp), plaintext: h(r.plaintext), record: order() });
        return;
      } catch (e) {
        if (e.failure === undefined) throw e;
        if (k === 0) current = e.failure;
      }
    }
    if (current !== failure) throw new Error(`generator: ${id}: expected ${failure}, got ${current}`);
    steps.push({ op: 'decrypt_fail', id, failure, record: order() });
  };
  enc(0, 's0_a0');
  dec('s0_a0', 'NoSession');
  start(0);
  dec('s0_a0');
  start(1);
  enc(1, 's1_a0');
  enc(0, 's0_a1');
  dec('s0_a1');
  dec('s1_a0');
  dec('s0_a1', 'InvalidHeader');
  return { name: 'session_record_two_sessions', kind: 'session_record', sessions: t.map((r) => r.initial), steps };
}

// ------------------------------------------------------------------ envelopes.json

function envelopesFile(rng) {
  const v = [];
  const address = (name, device = 1, kind = 1) => ({ name, device, kind });
  const ratchet = { header: rng.bytes(80), ciphertext: rng.bytes(64 + 16) };
  const base = {
    version: 1,
    sender: address('alice'),
    recipient: address('shop.example-1', 3, 2),
    message_id: rng.bytes(16),
    timestamp_ms: 1767225600000n,
  };
  const prekey = {
    identity_key: rng.bytes(128),
    base_key: rng.bytes(32),
    signed_prekey_id: 7,
    one_time_prekey_id: 0,
    kem_prekey_id: 11,
    kem_ciphertext: rng.bytes(1088),
    message: ratchet,
  };
  const senderKey = {
    distribution_id: rng.bytes(16),
    chain_id: 5,
    iteration: 0,
    expires_at_ms: 1767312000000n,
    ciphertext: rng.bytes(256 + 16),
    signature: rng.bytes(64),
  };
  const env = (changes) => encode(Envelope, { ...base, ...changes });
  const valid = {
    prekey: env({ type: 1, prekey }),
    ratchet: env({ type: 2, ratchet }),
    sender_key: env({ type: 3, sender_key: senderKey }),
    largest_ratchet: env({ type: 2, ratchet: { header: ratchet.header, ciphertext: rng.bytes(81920 + 16) } }),
  };
  v.push({ name: 'envelope_prekey', kind: 'envelope', envelope: h(valid.prekey), type: 1, valid: true });
  v.push({ name: 'envelope_ratchet', kind: 'envelope', envelope: h(valid.ratchet), type: 2, valid: true });
  v.push({ name: 'envelope_sender_key', kind: 'envelope', envelope: h(valid.sender_key), type: 3, valid: true });
  v.push({ name: 'envelope_largest_ratchet', kind: 'envelope', envelope: h(valid.largest_ratchet), type: 2, valid: true });

  const r = valid.ratchet;
  // Raw encodings for what the canonical encoder cannot write.
  const head = (type, changes = {}) => {
    const b = { ...base, type, ...changes };
    return concat(
      b.version === undefined ? new Uint8Array(0) : varintField(1, b.version),
      b.type === undefined ? new Uint8Array(0) : varintField(2, b.type),
      lenField(3, encode(Address, b.sender)),
      lenField(4, encode(Address, b.recipient)),
      lenField(5, b.message_id),
      b.timestamp_ms === undefined ? new Uint8Array(0) : varintField(6, b.timestamp_ms),
    );
  };
  const ratchetField = lenField(8, encode(RatchetMessage, ratchet));
  // The ratchet envelope with its sender replaced by raw Address bytes.
  const senderLength = encode(Address, base.sender).length;
  const withSender = (senderBytes) => concat(r.subarray(0, 4), lenField(3, senderBytes), r.subarray(4 + 2 + senderLength));
  const pk = encode(PreKeyMessage, prekey);
  const cases = [
    ['too_large', concat(valid.largest_ratchet, new Uint8Array(98305 - valid.largest_ratchet.length)), 'TooLarge'],
    ['truncated', r.subarray(0, r.length - 1), 'Truncated'],
    ['truncated_tag', concat(r, Uint8Array.of(0x80)), 'Truncated'],
    ['varint_not_minimal', concat(Uint8Array.of(0x08, 0x81, 0x00), r.subarray(2)), 'MalformedVarint'],
    ['tag_over_32_bits', concat(r.subarray(0, 2), varintBytes(1n << 32n), r.subarray(2)), 'MalformedVarint'],
    ['version_over_32_bits', concat(varintField(1, 1n << 32n), r.subarray(2)), 'MalformedVarint'],
    ['wrong_wire_type', concat(r.subarray(0, 2), Uint8Array.of(0x12, 0x01, 0x02), r.subarray(4)), 'WrongWireType'],
    ['unknown_field', concat(r, varintField(11, 1)), 'UnknownField'],
    ['field_number_zero', concat(Uint8Array.of(0x00, 0x01), r), 'UnknownField'],
    ['duplicate_field', concat(r.subarray(0, 2), r), 'DuplicateField'],
    ['fields_out_of_order', concat(r, varintField(6, 5)), 'FieldsOutOfOrder'],
    ['type_before_version', concat(r.subarray(2, 4), r.subarray(0, 2), r.subarray(4)), 'MissingVersion'],
    ['missing_version', r.subarray(2), 'MissingVersion'],
    ['zero_version_written', concat(varintField(1, 0), r.subarray(2)), 'DefaultValueWritten'],
    ['version_2', env({ version: 2, type: 2, ratchet }), 'UnsupportedVersion'],
    ['missing_type', env({ type: 0, ratchet }), 'InvalidType'],
    ['type_4', env({ type: 4, ratchet }), 'InvalidType'],
    ['type_over_32_bits', concat(r.subarray(0, 2), varintField(2, (1n << 32n) + 2n), r.subarray(4)), 'InvalidType'],
    ['no_content', env({ type: 2 }), 'ContentMismatch'],
    ['type_other_content', env({ type: 2, prekey }), 'ContentMismatch'],
    ['two_contents', env({ type: 2, ratchet, sender_key: senderKey }), 'ContentMismatch'],
    ['content_before_sender', concat(varintField(1, 1), varintField(2, 2), ratchetField), 'InvalidSenderAddress'],
    ['missing_sender', env({ type: 2, ratchet, sender: undefined }), 'InvalidSenderAddress'],
    ['sender_upper_case', env({ type: 2, ratchet, sender: address('Alice') }), 'InvalidSenderAddress'],
    ['sender_non_ascii', env({ type: 2, ratchet, sender: address('zo\u00eb') }), 'InvalidSenderAddress'],
    ['sender_device_256', env({ type: 2, ratchet, sender: address('alice', 256) }), 'InvalidSenderAddress'],
    ['sender_missing_kind', env({ type: 2, ratchet, sender: address('alice', 1, 0) }), 'InvalidSenderAddress'],
    ['sender_kind_over_32_bits', withSender(concat(lenField(1, utf8('alice')), varintField(2, 1), varintField(3, (1n << 32n) + 1n))), 'InvalidSenderAddress'],
    ['sender_device_over_32_bits', withSender(concat(lenField(1, utf8('alice')), varintField(2, (1n << 32n) + 1n), varintField(3, 1))), 'MalformedVarint'],
    ['sender_device_zero_written', withSender(concat(lenField(1, utf8('alice')), varintField(2, 0), varintField(3, 1))), 'DefaultValueWritten'],
    ['sender_unknown_field', withSender(concat(encode(Address, base.sender), varintField(4, 1))), 'UnknownField'],
    ['recipient_name_65', env({ type: 2, ratchet, recipient: address('a'.repeat(65)) }), 'InvalidRecipientAddress'],
    ['recipient_empty', env({ type: 2, ratchet, recipient: {} }), 'InvalidRecipientAddress'],
    ['message_id_15', env({ type: 2, ratchet, message_id: rng.bytes(15) }), 'InvalidMessageId'],
    ['missing_message_id', env({ type: 2, ratchet, message_id: undefined }), 'InvalidMessageId'],
    ['missing_timestamp', concat(head(2, { timestamp_ms: undefined }), ratchetField), 'MissingTimestamp'],
    ['zero_timestamp_written', concat(head(2, { timestamp_ms: 0 }), ratchetField), 'DefaultValueWritten'],
    ['prekey_identity_127', env({ type: 1, prekey: { ...prekey, identity_key: rng.bytes(127) } }), 'InvalidIdentityKeyLength'],
    ['prekey_base_key_33', env({ type: 1, prekey: { ...prekey, base_key: rng.bytes(33) } }), 'InvalidBaseKeyLength'],
    ['prekey_missing_signed_id', env({ type: 1, prekey: { ...prekey, signed_prekey_id: 0 } }), 'InvalidPreKeyId'],
    ['prekey_zero_one_time_id_written', concat(head(1), lenField(7, insertAfterField(pk, 3, Uint8Array.of(0x20, 0x00)))), 'DefaultValueWritten'],
    ['prekey_kem_ciphertext_1087', env({ type: 1, prekey: { ...prekey, kem_ciphertext: rng.bytes(1087) } }), 'InvalidKemCiphertextLength'],
    ['prekey_without_message', env({ type: 1, prekey: { ...prekey, message: undefined } }), 'MissingRatchetMessage'],
    ['prekey_inner_header_79', env({ type: 1, prekey: { ...prekey, message: { ...ratchet, header: rng.bytes(79) } } }), 'InvalidHeaderLength'],
    ['ratchet_header_79', env({ type: 2, ratchet: { ...ratchet, header: rng.bytes(79) } }), 'InvalidHeaderLength'],
    ['empty_ratchet_message', env({ type: 2, ratchet: {} }), 'InvalidHeaderLength'],
    ['unknown_field_in_ratchet_message', concat(head(2), lenField(8, concat(encode(RatchetMessage, ratchet), varintField(3, 1)))), 'UnknownField'],
    ['ratchet_ciphertext_not_bucket', env({ type: 2, ratchet: { ...ratchet, ciphertext: rng.bytes(100) } }), 'InvalidCiphertextLength'],
    ['ratchet_ciphertext_tag_only', env({ type: 2, ratchet: { ...ratchet, ciphertext: rng.bytes(16) } }), 'InvalidCiphertextLength'],
    ['sender_key_distribution_17', env({ type: 3, sender_key: { ...senderKey, distribution_id: rng.bytes(17) } }), 'InvalidDistributionId'],
    ['sender_key_missing_chain_id', env({ type: 3, sender_key: { ...senderKey, chain_id: 0 } }), 'InvalidChainId'],
    ['sender_key_ciphertext_not_bucket', env({ type: 3, sender_key: { ...senderKey, ciphertext: rng.bytes(81) } }), 'InvalidCiphertextLength'],
    ['sender_key_signature_63', env({ type: 3, sender_key: { ...senderKey, signature: rng.bytes(63) } }), 'InvalidSignatureLength'],
  ];
  for (const [name, bytes, failure] of cases) {
    v.push({ name: `envelope_invalid_${name}`, kind: 'envelope_invalid', envelope: h(bytes), failure });
  }
  return file('envelopes.json', v);
}

function varintBytes(value) {
  let x = BigInt(value);
  const out = [];
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x) b |= 0x80;
    out.push(b);
  } while (x);
  return Uint8Array.from(out);
}
function varintField(number, value) {
  return concat(varintBytes(number << 3), varintBytes(value));
}
function lenField(number, bytes) {
  return concat(varintBytes((number << 3) | 2), varintBytes(bytes.length), bytes);
}
/** Inserts raw bytes right after the (single, varint) field `number` of a canonical encoding. */
function insertAfterField(bytes, number, insert) {
  // The PreKeyMessage starts with identity_key (1), base_key (2), signed_prekey_id (3).
  let pos = 0;
  for (;;) {
    const tag = bytes[pos];
    const n = tag >> 3;
    const wire = tag & 7;
    pos += 1;
    if (wire === 2) {
      let len = 0;
      let shift = 0;
      let b;
      do {
        b = bytes[pos++];
        len |= (b & 0x7f) << shift;
        shift += 7;
      } while (b & 0x80);
      pos += len;
    } else {
      while (bytes[pos++] & 0x80);
    }
    if (n === number) return concat(bytes.subarray(0, pos), insert, bytes.subarray(pos));
  }
}

// ------------------------------------------------------------------ sender_keys.json

function senderKeysFile(rng) {
  const v = [];
  const now = 1767225600000;
  const day = 86400000;

  // A transcript: creation from recorded bytes (the first chain-id draw is 0), posts in and out of
  // order, a rotation, and the first generation's posts still opened after it.
  const creation = concat(rng.bytes(16), new Uint8Array(4), Uint8Array.of(0, 0, 0x12, 0x34), rng.bytes(32), rng.bytes(32));
  let sender = createSender(replaying(creation.subarray(0, 16), creation.subarray(16, 20), creation.subarray(20, 24), creation.subarray(24, 56), creation.subarray(56)));
  const start = sender;
  let receiver = emptyReceiver();
  const steps = [];
  const posts = new Map();
  const distribute = () => {
    const d = distributionMessage(sender);
    receiver = processDistribution(receiver, d);
    steps.push({ op: 'distribute', distribution: h(d) });
    return d;
  };
  const post = (id, text, expires) => {
    const plaintext = utf8(text);
    const r = senderEncrypt(sender, plaintext, expires);
    sender = r.state;
    posts.set(id, r.message);
    steps.push({ op: 'encrypt', id, expires_at_ms: expires, plaintext: h(plaintext), iteration: r.iteration, ciphertext: h(r.ciphertext), signature: h(r.signature), message: h(r.message) });
    return r.message;
  };
  const open = (id) => {
    const r = receiverDecrypt(receiver, posts.get(id), now);
    receiver = r.receiver;
    steps.push({ op: 'decrypt', id, plaintext: h(r.plaintext) });
  };
  const d0 = distribute();
  const m0 = post('a0', 'first post', 0);
  const m1 = post('a1', 'status: back at 5', now + day);
  const m2 = post('a2', 'y'.repeat(70), 0);
  open('a2');
  open('a0');
  const firstSeed = sender.signingSeed;
  const firstChainKey = start.chainKey;
  const rotation = concat(u32be(sender.chainId), rng.bytes(4), rng.bytes(32), rng.bytes(32));
  sender = rotateSender(sender, replaying(rotation.subarray(0, 4), rotation.subarray(4, 8), rotation.subarray(8, 40), rotation.subarray(40)));
  steps.push({ op: 'rotate', random: h(rotation), chain_id: sender.chainId, chain_key: h(sender.chainKey), signing_seed: h(sender.signingSeed), signing_key: h(sender.signingKey) });
  const d1 = distribute();
  const n0 = post('b0', 'second generation', 0);
  open('b0');
  open('a1');
  v.push({
    name: 'sender_key_transcript_rotation',
    kind: 'sender_key_transcript',
    distribution_id: h(start.distributionId),
    chain_id: start.chainId,
    iteration: 0,
    chain_key: h(start.chainKey),
    signing_seed: h(start.signingSeed),
    signing_key: h(start.signingKey),
    random: h(creation),
    now_ms: now,
    steps,
  });

  // The last iterations of a chain, loaded from its values.
  const last = senderFromState({ distributionId: rng.bytes(16), chainId: 7, iteration: 4294967294, chainKey: rng.bytes(32), signingSeed: rng.bytes(32) });
  const lastDistribution = distributionMessage(last);
  const lastPost = senderEncrypt(last, utf8('last'), 0);
  const lastOpened = receiverDecrypt(processDistribution(emptyReceiver(), lastDistribution), lastPost.message, now);
  v.push({
    name: 'sender_key_transcript_last_iteration',
    kind: 'sender_key_transcript',
    distribution_id: h(last.distributionId),
    chain_id: last.chainId,
    iteration: last.iteration,
    chain_key: h(last.chainKey),
    signing_seed: h(last.signingSeed),
    signing_key: h(last.signingKey),
    now_ms: now,
    steps: [
      { op: 'distribute', distribution: h(lastDistribution) },
      { op: 'encrypt', id: 'p', expires_at_ms: 0, plaintext: h(utf8('last')), iteration: lastPost.iteration, ciphertext: h(lastPost.ciphertext), signature: h(lastPost.signature), message: h(lastPost.message) },
      { op: 'encrypt_fail', expires_at_ms: 0, plaintext: h(utf8('one more')), failure: 'ChainExhausted' },
      { op: 'decrypt', id: 'p', plaintext: h(lastOpened.plaintext) },
    ],
  });

  // Posts a receiver refuses.
  const resign = (fields) => {
    const header = senderKeyHeader(fields.distribution_id, fields.chain_id, fields.iteration, fields.expires_at_ms);
    const signature = ed25519Sign(firstSeed, domainMessage(Labels.senderKeyMessage, header, fields.ciphertext));
    return encode(SenderKeyMessage, { ...fields, signature });
  };
  const f0 = decodeLenient(SenderKeyMessage, m0);
  const f2 = decodeLenient(SenderKeyMessage, m2);
  const far = (iteration) => {
    let s = senderFromState({ ...start, chainKey: firstChainKey, iteration: 0 });
    for (let i = 0; i < iteration; i++) s = { ...s, chainKey: kdfCk(s.chainKey).nextChainKey, iteration: s.iteration + 1 };
    return senderEncrypt(s, utf8('far'), 0).message;
  };
  const keys = senderMessageKeys(kdfCk(firstChainKey).messageKeySeed);
  const header0 = senderKeyHeader(f0.distribution_id, f0.chain_id, 0, 0n);
  const badPad = resign({ ...f0, ciphertext: chachaSeal(keys.key, keys.nonce, new Uint8Array(64), header0) });
  // m0 with its iteration (0) written: the same signed values, not the canonical encoding.
  const zeroIterationWritten = concat(
    encode(SenderKeyMessage, { distribution_id: f0.distribution_id, chain_id: f0.chain_id }),
    Uint8Array.of(0x18, 0x00),
    encode(SenderKeyMessage, { ciphertext: f0.ciphertext, signature: f0.signature }),
  );
  const dist = (d) => ({ op: 'distribution', distribution: h(d) });
  const deliver = (m, at = now) => ({ op: 'deliver', message: h(m), now_ms: at });
  const cases = [
    ['malformed_garbage', [dist(d0)], Uint8Array.of(0x0a, 0x05, 0x01), 'Malformed'],
    ['malformed_zero_iteration_written', [dist(d0)], zeroIterationWritten, 'Malformed'],
    ['malformed_signature_short', [dist(d0)], encode(SenderKeyMessage, { ...f0, signature: f0.signature.subarray(0, 63) }), 'Malformed'],
    ['malformed_iteration_max', [dist(d0)], resign({ ...f0, iteration: 4294967295 }), 'Malformed'],
    ['unknown_non_member', [], m0, 'UnknownSenderKey'],
    ['unknown_chain', [dist(d0)], n0, 'UnknownSenderKey'],
    ['unknown_distribution', [dist(d0)], resign({ ...f0, distribution_id: rng.bytes(16) }), 'UnknownSenderKey'],
    ['bad_signature', [dist(d0)], encode(SenderKeyMessage, { ...f0, signature: flip(f0.signature, 10) }), 'BadSignature'],
    ['signature_over_other_iteration', [dist(d0)], encode(SenderKeyMessage, { ...f0, iteration: 1 }), 'BadSignature'],
    ['expired', [dist(d0), deliver(m0)], m1, 'Expired', now + day],
    ['too_big_gap', [dist(d0)], far(2001), 'TooBigGap'],
    ['duplicate', [dist(d0), deliver(m0)], m0, 'Duplicate'],
    ['duplicate_after_gap_2000', [dist(d0), deliver(far(2000))], far(2000), 'Duplicate'],
    ['duplicate_resent_distribution', [dist(d0), deliver(m0), dist(d0)], m0, 'Duplicate'],
    ['duplicate_deleted_expired_key', [dist(d0), deliver(m1, now), { op: 'delete_expired', now_ms: now + day }], m0, 'Duplicate'],
    ['tampered_ciphertext_resigned', [dist(d0), dist(d1)], resign({ ...f2, ciphertext: flip(f2.ciphertext, 2) }), 'InvalidCiphertext'],
    ['invalid_padding', [dist(d0)], badPad, 'InvalidPadding'],
  ];
  for (const [name, history, message, failure, at = now] of cases) {
    v.push({ name: `sender_key_invalid_${name}`, kind: 'sender_key_invalid', receiver: history, now_ms: at, message: h(message), failure });
  }
  return file('sender_keys.json', v);
}

/** Writes all eight files into dir; returns { fileName: document }. */
export async function generateVectors(dir) {
  mkdirSync(dir, { recursive: true });
  const docs = {
    'kdf.json': kdfFile(new Drbg('kdf')),
    'padding.json': paddingFile(new Drbg('padding')),
    'keys.json': keysFile(new Drbg('keys')),
    'handshake.json': handshakeFile(new Drbg('handshake')),
    'ratchet.json': ratchetFile(new Drbg('ratchet')),
    'envelopes.json': envelopesFile(new Drbg('envelopes')),
    'sender_keys.json': senderKeysFile(new Drbg('sender_keys')),
    'stored.json': storedFile(new Drbg('stored')),
  };
  for (const [name, doc] of Object.entries(docs)) writeFileSync(join(dir, name), `${JSON.stringify(doc, null, 2)}\n`);
  return docs;
}

/** Serializes a document exactly as generateVectors writes it. */
export function serialize(doc) {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

// Allow `node test/helpers/generate.mjs <dir>` for manual runs.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write("usage: node selftest/generate.mjs <dir>\n");
    process.exit(2);
  }
  await generateVectors(dir);
}

