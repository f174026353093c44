// PROTOCOL.md section 4: the PQXDH handshake with ML-KEM-768.
import { concat, equal, filled } from './bytes.mjs';
import { fail, mapFailure } from './failure.mjs';
import { handshakeKdf } from './kdf.mjs';
import { parseIdentityKey, verifyBundle } from './keys.mjs';
import { checkX25519, mlKemDecaps, mlKemEncaps, mlKemKeyGen, MlKem768, x25519Agree, x25519Public } from './primitives.mjs';
import { decodeLenient, encode, ProtoError } from './protobuf.mjs';
import { decrypt, initAlice, initBob } from './ratchet.mjs';
import { PreKeyMessage } from './wire.mjs';

/** IKM = 0xFF*32 || DH1 || DH2 || DH3 [|| DH4] || SS. */
export function handshakeIkm(dh1, dh2, dh3, dh4, ss) {
  return concat(filled(32, 0xff), dh1, dh2, dh3, dh4 ?? new Uint8Array(0), ss);
}

function derive(identityA, identityB, dh1, dh2, dh3, dh4, ss) {
  const ikm = handshakeIkm(dh1, dh2, dh3, dh4, ss);
  const okm = handshakeKdf(ikm);
  const associatedData = concat(identityA, identityB, okm.sessionBinding);
  return { ikm, ...okm, associatedData };
}

/**
 * Alice's side (section 4 steps 2-5) over Bob's bundle bytes (verified first, section 3.4).
 * alice: makeIdentity result. Returns the DH values, KEM outputs, OKM parts, AD and the pre-key
 * fields Alice's PreKeyMessages carry.
 */
export function initiate(alice, bundleBytes, baseKeyPrivate, kemEncapsM) {
  const b = verifyBundle(bundleBytes);
  const baseKey = x25519Public(baseKeyPrivate);
  const dh1 = x25519Agree(alice.x25519Private, b.signed_prekey);
  const dh2 = x25519Agree(baseKeyPrivate, b.idh);
  const dh3 = x25519Agree(baseKeyPrivate, b.signed_prekey);
  const dh4 = b.one_time_prekey_id !== 0 ? x25519Agree(baseKeyPrivate, b.one_time_prekey) : new Uint8Array(0);
  const { ciphertext: kemCiphertext, sharedSecret: kemSharedSecret } = mlKemEncaps(b.kem_prekey, kemEncapsM);
  const d = derive(alice.identityKey, b.identity_key, dh1, dh2, dh3, dh4, kemSharedSecret);
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

/** Encodes a PreKeyMessage carrying the ratchet message { header, ciphertext }. */
export function encodePreKeyMessage(preKeyFields, header, ciphertext) {
  return encode(PreKeyMessage, { ...preKeyFields, message: { header, ciphertext } });
}

/**
 * Bob's side (section 4, Bob steps 2-7) for a session-less Bob.
 * bob: { identity (makeIdentity), signedPreKeyId, signedPreKeyPrivate, oneTimePreKeyId,
 *        oneTimePreKeyPrivate, kemPreKeyId, kemPreKeyLastResort, kemSeed }
 * trustedIdentity: the identity Bob's store holds for Alice's address, or null.
 * newRatchetPrivate: supplies Bob's first sending ratchet key.
 * Returns { state, plaintext, derived } or throws a HandshakeFailure / DecryptionFailure name.
 * A PreKeyMessage that does not parse is "Malformed".
 */
export function respond(bob, preKeyMessageBytes, trustedIdentity, newRatchetPrivate) {
  let m;
  try {
    m = decodeLenient(PreKeyMessage, preKeyMessageBytes);
  } catch (e) {
    if (e instanceof ProtoError) fail('Malformed');
    throw e;
  }
  const alice = mapFailure(() => parseIdentityKey(m.identity_key), 'InvalidIdentityKey');
  if (trustedIdentity !== null && trustedIdentity.length !== 0 && !equal(trustedIdentity, m.identity_key)) {
    fail('UntrustedIdentity');
  }
  mapFailure(() => checkX25519(m.base_key), 'InvalidBaseKey');
  if (m.kem_ciphertext.length !== MlKem768.ciphertextLength) fail('InvalidKemCiphertext');
  if (m.signed_prekey_id !== bob.signedPreKeyId) fail('UnknownSignedPreKey');
  if (m.one_time_prekey_id !== 0 && (bob.oneTimePreKeyId === 0 || m.one_time_prekey_id !== bob.oneTimePreKeyId)) {
    fail('UnknownOneTimePreKey');
  }
  if (m.kem_prekey_id !== bob.kemPreKeyId) fail('UnknownKemPreKey');
  const dh1 = mapFailure(() => x25519Agree(bob.signedPreKeyPrivate, alice.idh), 'InvalidIdentityKey');
  const dh2 = mapFailure(() => x25519Agree(bob.identity.x25519Private, m.base_key), 'InvalidBaseKey');
  const dh3 = mapFailure(() => x25519Agree(bob.signedPreKeyPrivate, m.base_key), 'InvalidBaseKey');
  const dh4 = m.one_time_prekey_id !== 0 ? mapFailure(() => x25519Agree(bob.oneTimePreKeyPrivate, m.base_key), 'InvalidBaseKey') : new Uint8Array(0);
  const kemSecret = mlKemKeyGen(bob.kemSeed).secretKey;
  const ss = mlKemDecaps(kemSecret, m.kem_ciphertext);
  const derived = derive(m.identity_key, bob.identity.identityKey, dh1, dh2, dh3, dh4, ss);
  const state = initBob({
    rootKey: derived.rootKey,
    headerKeyA: derived.headerKeyA,
    nextHeaderKeyB: derived.nextHeaderKeyB,
    associatedData: derived.associatedData,
    bobRatchetPrivate: bob.signedPreKeyPrivate,
  });
  const inner = m.message ?? { header: new Uint8Array(0), ciphertext: new Uint8Array(0) };
  const result = decrypt(state, inner.header, inner.ciphertext, newRatchetPrivate);
  return { ...result, derived, dh1, dh2, dh3, dh4, kemSharedSecret: ss };
}

