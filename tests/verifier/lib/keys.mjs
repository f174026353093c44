// PROTOCOL.md section 3: identity keys, pre-keys, bundles, safety numbers.
import { concat, u32be, utf8, equal } from './bytes.mjs';
import { Labels } from './labels.mjs';
import { fail, failureOf } from './failure.mjs';
import {
  checkX25519,
  ed25519Public,
  ed25519Sign,
  ed25519Verify,
  mlKemKeyGen,
  mlKemPublicKeyValid,
  sha512,
  x25519Public,
} from './primitives.mjs';
import { decodeLenient, encode, ProtoError } from './protobuf.mjs';
import { PreKeyBundle } from './wire.mjs';

export const IdentityKeyLength = 128;
export const KemKind = Object.freeze({ LastResort: 0x01, OneTime: 0x02 });

/** Domain message: label || 0x00 || body. */
export function domainMessage(label, ...body) {
  return concat(label, Uint8Array.of(0), ...body);
}

/**
 * An identity key pair from its two 32-byte private inputs:
 * { ed25519Seed, x25519Private, ipk, idh, identityKey (128 bytes) }.
 */
export function makeIdentity(ed25519Seed, x25519Private) {
  const ipk = ed25519Public(ed25519Seed);
  const idh = x25519Public(x25519Private);
  const bind = ed25519Sign(ed25519Seed, domainMessage(Labels.identityDhKey, idh));
  return { ed25519Seed, x25519Private, ipk, idh, identityKey: concat(ipk, idh, bind) };
}

/**
 * Validates a received public identity (section 3.1); returns { ipk, idh } or throws
 * InvalidIdentityKey.
 */
export function parseIdentityKey(identityKey) {
  if (!(identityKey instanceof Uint8Array) || identityKey.length !== IdentityKeyLength) fail('InvalidIdentityKey');
  const ipk = identityKey.slice(0, 32);
  const idh = identityKey.slice(32, 64);
  const bind = identityKey.slice(64, 128);
  if (failureOf(() => checkX25519(idh)) !== null) fail('InvalidIdentityKey');
  if (!ed25519Verify(ipk, domainMessage(Labels.identityDhKey, idh), bind)) fail('InvalidIdentityKey');
  return { ipk, idh };
}

export function signedPreKeyMessage(id, spk) {
  return domainMessage(Labels.signedPreKey, u32be(id), spk);
}

export function kemPreKeyMessage(id, kind, kemPk) {
  return domainMessage(Labels.kemPreKey, u32be(id), Uint8Array.of(kind), kemPk);
}

/**
 * Builds a bundle (section 3.2-3.4) from private inputs:
 * { identity (makeIdentity result), signedPreKeyId, signedPreKeyPrivate, oneTimePreKeyId,
 *   oneTimePreKeyPrivate (empty when none), kemPreKeyId, kemPreKeyLastResort, kemSeed }.
 */
export function makeBundle(input) {
  const { identity } = input;
  const signedPreKey = x25519Public(input.signedPreKeyPrivate);
  const signedPreKeySignature = ed25519Sign(identity.ed25519Seed, signedPreKeyMessage(input.signedPreKeyId, signedPreKey));
  const oneTimePreKey = input.oneTimePreKeyId !== 0 ? x25519Public(input.oneTimePreKeyPrivate) : new Uint8Array(0);
  const kem = mlKemKeyGen(input.kemSeed);
  const kind = input.kemPreKeyLastResort ? KemKind.LastResort : KemKind.OneTime;
  const kemPreKeySignature = ed25519Sign(identity.ed25519Seed, kemPreKeyMessage(input.kemPreKeyId, kind, kem.publicKey));
  const fields = {
    identity_key: identity.identityKey,
    signed_prekey_id: input.signedPreKeyId,
    signed_prekey: signedPreKey,
    signed_prekey_signature: signedPreKeySignature,
    one_time_prekey_id: input.oneTimePreKeyId,
    one_time_prekey: oneTimePreKey,
    kem_prekey_id: input.kemPreKeyId,
    kem_prekey_last_resort: !!input.kemPreKeyLastResort,
    kem_prekey: kem.publicKey,
    kem_prekey_signature: kemPreKeySignature,
  };
  return { fields, kemSecretKey: kem.secretKey, bundle: encode(PreKeyBundle, fields) };
}

/** Encodes bundle fields (canonical proto3). */
export function encodeBundle(fields) {
  return encode(PreKeyBundle, fields);
}

/**
 * Verifies a bundle (section 3.4) in the spec's order; returns its decoded fields or throws the
 * first BundleFailure.
 */
export function verifyBundle(bytes) {
  let b;
  try {
    b = decodeLenient(PreKeyBundle, bytes);
  } catch (e) {
    if (e instanceof ProtoError) fail('Malformed');
    throw e;
  }
  // Step 1: only the canonical encoding of section 8 parses. PreKeyBundle has only scalar and bytes
  // fields, so that is exactly: what a general parser read re-encodes to the same bytes (an unknown,
  // repeated, out-of-order or wrongly typed field, a non-minimal varint, a uint32 above 2^32 - 1, a
  // default value written or a bool other than 1 all change the bytes).
  if (!equal(encode(PreKeyBundle, b), bytes)) fail('Malformed');
  let identity;
  try {
    identity = parseIdentityKey(b.identity_key);
  } catch {
    fail('InvalidIdentityKey');
  }
  if (b.signed_prekey_id === 0 || b.kem_prekey_id === 0) fail('InvalidKeyId');
  if (failureOf(() => checkX25519(b.signed_prekey)) !== null) fail('InvalidSignedPreKey');
  if (!ed25519Verify(identity.ipk, signedPreKeyMessage(b.signed_prekey_id, b.signed_prekey), b.signed_prekey_signature)) {
    fail('BadSignedPreKeySignature');
  }
  if (b.one_time_prekey_id !== 0) {
    if (failureOf(() => checkX25519(b.one_time_prekey)) !== null) fail('InvalidOneTimePreKey');
  } else if (b.one_time_prekey.length !== 0) {
    fail('InvalidOneTimePreKey');
  }
  if (!mlKemPublicKeyValid(b.kem_prekey)) fail('InvalidKemPreKey');
  const kind = b.kem_prekey_last_resort ? KemKind.LastResort : KemKind.OneTime;
  if (!ed25519Verify(identity.ipk, kemPreKeyMessage(b.kem_prekey_id, kind, b.kem_prekey), b.kem_prekey_signature)) {
    fail('BadKemPreKeySignature');
  }
  return { ...b, ipk: identity.ipk, idh: identity.idh };
}

// ------------------------------------------------------------------ safety numbers (3.5)

export const FingerprintIterations = 5200;

/** fp = h_5200[0..32] for a public identity and an account name (string, UTF-8). */
export function fingerprint(identityKey, name) {
  let h = sha512(concat(Labels.fingerprint, Uint8Array.of(0), identityKey, utf8(name)));
  for (let i = 1; i <= FingerprintIterations; i++) h = sha512(concat(h, identityKey));
  return h.slice(0, 32);
}

/** The party's 30 digits from its fingerprint. */
export function fingerprintDigits(fp) {
  let out = '';
  for (let k = 0; k < 6; k++) {
    let v = 0n;
    for (let i = 0; i < 5; i++) v = (v << 8n) | BigInt(fp[5 * k + i]);
    out += (v % 100000n).toString().padStart(5, '0');
  }
  return out;
}

/** Safety number as seen from A: { fingerprintA, fingerprintB, digits (60 chars), qrA (65 bytes) }. */
export function safetyNumber(identityA, nameA, identityB, nameB) {
  const fingerprintA = fingerprint(identityA, nameA);
  const fingerprintB = fingerprint(identityB, nameB);
  const da = fingerprintDigits(fingerprintA);
  const db = fingerprintDigits(fingerprintB);
  const digits = da < db ? da + db : db + da;
  const qrA = concat(Uint8Array.of(0x01), fingerprintA, fingerprintB);
  return { fingerprintA, fingerprintB, digits, qrA };
}

/** Whether a scanned QR payload matches ours (section 3.5). */
export function qrMatches(scanned, ourQr) {
  if (scanned.length !== 65 || scanned[0] !== 0x01 || ourQr.length !== 65) return false;
  return equal(scanned.subarray(1, 33), ourQr.subarray(33, 65)) && equal(scanned.subarray(33, 65), ourQr.subarray(1, 33));
}
