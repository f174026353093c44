// PROTOCOL.md section 4: the PQXDH handshake with ML-KEM-768.
import { concat, equal, filled } from './bytes.mjs';
import { fail, mapFailure } from './failure.mjs';
import { readCanonical, PreKeyMessageRules } from './envelope.mjs';
import { handshakeInfo, handshakeKdf } from './kdf.mjs';
import { parseIdentityKey, verifyBundle } from './keys.mjs';
import { checkX25519, mlKemDecaps, mlKemEncaps, mlKemKeyGen, MlKem768, x25519Agree, x25519Public } from './primitives.mjs';
import { encode } from './protobuf.mjs';
import { decrypt, encrypt, initAlice, initBob } from './ratchet.mjs';
import { PreKeyMessage } from './wire.mjs';

/** IKM = 0xFF*32 || DH1 || DH2 || DH3 [|| DH4] || SS. */
export function handshakeIkm(dh1, dh2, dh3, dh4, ss) {
  return concat(filled(32, 0xff), dh1, dh2, dh3, dh4 ?? new Uint8Array(0), ss);
}

function derive(identityA, identityB, addressA, addressB, dh1, dh2, dh3, dh4, ss) {
  const ikm = handshakeIkm(dh1, dh2, dh3, dh4, ss);
  const info = handshakeInfo(addressA, addressB);
  const okm = handshakeKdf(ikm, info);
  const associatedData = concat(identityA, identityB, okm.sessionBinding);
  return { ikm, info, ...okm, associatedData };
}

/**
 * Alice's side (section 4 steps 1-5) over Bob's bundle bytes, verified first (section 3.4: a
 * refused bundle fails with its BundleFailure before any randomness is drawn), then step 1: when
 * trustedIdentity (the identity Alice's store holds for Bob's address; absent or empty for none)
 * differs from the bundle's, UntrustedIdentity, also before any randomness is drawn.
 * alice: makeIdentity result. random(n): the protocol's random source, asked in protocol order for
 * the base key's private scalar (32) and then ML-KEM's `m` (32). aliceAddress, bobAddress:
 * { name, device }, bound into the key derivation.
 * Returns the DH values, KEM outputs, OKM parts, AD and the pre-key fields Alice's PreKeyMessages
 * carry.
 */
export function initiate(alice, bundleBytes, random, aliceAddress, bobAddress, trustedIdentity = null) {
  const b = verifyBundle(bundleBytes);
  if (trustedIdentity !== null && trustedIdentity.length !== 0 && !equal(trustedIdentity, b.identity_key)) fail('UntrustedIdentity');
  const baseKeyPrivate = random(32);
  const baseKey = x25519Public(baseKeyPrivate);
  const dh1 = x25519Agree(alice.x25519Private, b.signed_prekey);
  const dh2 = x25519Agree(baseKeyPrivate, b.idh);
  const dh3 = x25519Agree(baseKeyPrivate, b.signed_prekey);
  const dh4 = b.one_time_prekey_id !== 0 ? x25519Agree(baseKeyPrivate, b.one_time_prekey) : new Uint8Array(0);
  const { ciphertext: kemCiphertext, sharedSecret: kemSharedSecret } = mlKemEncaps(b.kem_prekey, random(32));
  const d = derive(alice.identityKey, b.identity_key, aliceAddress, bobAddress, dh1, dh2, dh3, dh4, kemSharedSecret);
  return {
    dh1,
    dh2,
    dh3,
    dh4,
    kemCiphertext,
    kemSharedSecret,
    ...d,
    bobSignedPreKey: b.signed_prekey,
    preKeyFields: {
      identity_key: alice.identityKey,
      base_key: baseKey,
      signed_prekey_id: b.signed_prekey_id,
      one_time_prekey_id: b.one_time_prekey_id,
      kem_prekey_id: b.kem_prekey_id,
      kem_ciphertext: kemCiphertext,
    },
  };
}

/** A random source that hands out the given values in order (and nothing more). */
export function replaying(...values) {
  const queue = [...values];
  return (n) => {
    const next = queue.shift();
    if (next === undefined) throw new Error(`random source exhausted (asked for ${n} bytes)`);
    if (next.length !== n) throw new Error(`random source: asked for ${n} bytes, the next value has ${next.length}`);
    return next;
  };
}

/** Alice's ratchet right after initiate(). */
export function initiatorRatchet(result, aliceRatchetPrivate) {
  return initAlice({
    rootKey: result.rootKey,
    headerKeyA: result.headerKeyA,
    nextHeaderKeyB: result.nextHeaderKeyB,
    associatedData: result.associatedData,
    bobRatchetPublic: result.bobSignedPreKey,
    aliceRatchetPrivate,
  });
}

/**
 * Section 8.1: trust is checked on every use of a session. Encrypting in a state whose peer identity
 * is `peerIdentity` fails with UntrustedIdentity, and changes nothing, unless `trustedIdentity` (the
 * one the identity store holds for the peer's address) is that identity; otherwise it is encrypt().
 */
export function encryptTrusted(state, peerIdentity, trustedIdentity, plaintext, headerNonce) {
  if (!equal(peerIdentity, trustedIdentity)) fail('UntrustedIdentity');
  return encrypt(state, plaintext, headerNonce);
}

/** Encodes a PreKeyMessage carrying the ratchet message { header, ciphertext }. */
export function encodePreKeyMessage(preKeyFields, header, ciphertext) {
  return encode(PreKeyMessage, { ...preKeyFields, message: { header, ciphertext } });
}

/**
 * Bob's stores (section 4) holding exactly the pre-keys of his key inputs, his own address, and the
 * identity his identity store holds for Alice's address (null: none, any identity is trusted on
 * first use).
 * bob: { identity (makeIdentity), signedPreKeyId, signedPreKeyPrivate, oneTimePreKeyId,
 *        oneTimePreKeyPrivate, kemPreKeyId, kemPreKeyLastResort, kemSeed }
 */
export function bobStores(bob, bobAddress, trustedIdentity = null) {
  return {
    identity: bob.identity,
    address: bobAddress,
    signedPreKeys: new Map([[bob.signedPreKeyId, bob.signedPreKeyPrivate]]),
    oneTimePreKeys: new Map(bob.oneTimePreKeyId !== 0 ? [[bob.oneTimePreKeyId, bob.oneTimePreKeyPrivate]] : []),
    kemPreKeys: new Map([[bob.kemPreKeyId, { seed: bob.kemSeed, lastResort: bob.kemPreKeyLastResort }]]),
    trustedIdentity: trustedIdentity !== null && trustedIdentity.length !== 0 ? trustedIdentity : null,
  };
}

/**
 * Bob's side (section 4, Bob steps 0 and 2-7) for a PreKeyMessage no session state of his holds,
 * received from senderAddress ({ name, device }, the envelope's sender).
 * stores: bobStores(); newRatchetPrivate: supplies Bob's first sending ratchet key.
 * Returns { state, plaintext, derived, ..., commit } where commit() gives the stores after step 8
 * (the one-time X25519 pre-key and a one-time KEM pre-key deleted, Alice's identity saved); or
 * throws a HandshakeFailure / DecryptionFailure name. Nothing is changed before commit().
 * A PreKeyMessage that is not the canonical encoding of section 8 (or breaks a rule of its table)
 * is "Malformed" (step 0).
 */
export function respond(stores, preKeyMessageBytes, newRatchetPrivate, senderAddress) {
  const read = mapFailure(() => readCanonical(preKeyMessageBytes, PreKeyMessageRules), 'Malformed');
  const m = {
    identity_key: read.identity_key,
    base_key: read.base_key,
    signed_prekey_id: Number(read.signed_prekey_id),
    one_time_prekey_id: Number(read.one_time_prekey_id ?? 0n),
    kem_prekey_id: Number(read.kem_prekey_id),
    kem_ciphertext: read.kem_ciphertext,
    message: read.message,
  };
  const alice = mapFailure(() => parseIdentityKey(m.identity_key), 'InvalidIdentityKey');
  if (stores.trustedIdentity !== null && !equal(stores.trustedIdentity, m.identity_key)) fail('UntrustedIdentity');
  mapFailure(() => checkX25519(m.base_key), 'InvalidBaseKey');
  if (m.kem_ciphertext.length !== MlKem768.ciphertextLength) fail('InvalidKemCiphertext');
  const signedPreKeyPrivate = m.signed_prekey_id !== 0 ? stores.signedPreKeys.get(m.signed_prekey_id) : undefined;
  if (signedPreKeyPrivate === undefined) fail('UnknownSignedPreKey');
  let oneTimePreKeyPrivate = null;
  if (m.one_time_prekey_id !== 0) {
    oneTimePreKeyPrivate = stores.oneTimePreKeys.get(m.one_time_prekey_id);
    if (oneTimePreKeyPrivate === undefined) fail('UnknownOneTimePreKey');
  }
  const kemPreKey = m.kem_prekey_id !== 0 ? stores.kemPreKeys.get(m.kem_prekey_id) : undefined;
  if (kemPreKey === undefined) fail('UnknownKemPreKey');
  const dh1 = mapFailure(() => x25519Agree(signedPreKeyPrivate, alice.idh), 'InvalidIdentityKey');
  const dh2 = mapFailure(() => x25519Agree(stores.identity.x25519Private, m.base_key), 'InvalidBaseKey');
  const dh3 = mapFailure(() => x25519Agree(signedPreKeyPrivate, m.base_key), 'InvalidBaseKey');
  const dh4 = oneTimePreKeyPrivate !== null ? mapFailure(() => x25519Agree(oneTimePreKeyPrivate, m.base_key), 'InvalidBaseKey') : new Uint8Array(0);
  const kemSecret = mlKemKeyGen(kemPreKey.seed).secretKey;
  const ss = mlKemDecaps(kemSecret, m.kem_ciphertext);
  const derived = derive(m.identity_key, stores.identity.identityKey, senderAddress, stores.address, dh1, dh2, dh3, dh4, ss);
  const state = initBob({
    rootKey: derived.rootKey,
    headerKeyA: derived.headerKeyA,
    nextHeaderKeyB: derived.nextHeaderKeyB,
    associatedData: derived.associatedData,
    bobRatchetPrivate: signedPreKeyPrivate,
  });
  const result = decrypt(state, m.message.header, m.message.ciphertext, newRatchetPrivate);
  const commit = () => {
    const oneTimePreKeys = new Map(stores.oneTimePreKeys);
    if (m.one_time_prekey_id !== 0) oneTimePreKeys.delete(m.one_time_prekey_id);
    const kemPreKeys = new Map(stores.kemPreKeys);
    if (!kemPreKey.lastResort) kemPreKeys.delete(m.kem_prekey_id);
    return { ...stores, oneTimePreKeys, kemPreKeys, trustedIdentity: m.identity_key };
  };
  return { ...result, derived, dh1, dh2, dh3, dh4, kemSharedSecret: ss, commit };
}
