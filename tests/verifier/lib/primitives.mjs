// PROTOCOL.md section 1: the primitives, over the audited @noble libraries.
import { x25519, ed25519 } from '@noble/curves/ed25519.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { chacha20poly1305, xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { concat, equal, leToBigInt } from './bytes.mjs';
import { fail } from './failure.mjs';

// ---------------------------------------------------------------- X25519

const P = 2n ** 255n - 19n;

/** The five canonical low-order points of section 1, as lowercase hex. */
export const LowOrderPoints = Object.freeze([
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
]);

/**
 * CheckX25519 steps 1-3 on a peer's public key. Throws InvalidLength, NonCanonicalPublicKey or
 * LowOrderPublicKey.
 */
export function checkX25519(pub) {
  if (!(pub instanceof Uint8Array) || pub.length !== 32) fail('InvalidLength');
  if ((pub[31] & 0x80) !== 0 || leToBigInt(pub) >= P) fail('NonCanonicalPublicKey');
  const hex = Buffer.from(pub).toString('hex');
  if (LowOrderPoints.includes(hex)) fail('LowOrderPublicKey');
}

/** X25519 public key of a 32-byte private scalar (clamped by X25519 itself). */
export function x25519Public(priv) {
  if (priv.length !== 32) throw new RangeError('X25519 private key must be 32 bytes');
  return x25519.getPublicKey(priv);
}

/**
 * X25519(priv, pub) after the full CheckX25519 (steps 1-4). Throws the CheckX25519 failure names
 * (InvalidLength, NonCanonicalPublicKey, LowOrderPublicKey, ZeroSharedSecret).
 */
export function x25519Agree(priv, pub) {
  if (priv.length !== 32) throw new RangeError('X25519 private key must be 32 bytes');
  checkX25519(pub);
  let out;
  try {
    out = x25519.getSharedSecret(priv, pub);
  } catch {
    fail('ZeroSharedSecret'); // noble refuses low-order input and an all-zero output
  }
  if (out.every((b) => b === 0)) fail('ZeroSharedSecret');
  return out;
}

// ---------------------------------------------------------------- Ed25519

const Point = ed25519.Point;
const L = Point.Fn.ORDER;

/** Ed25519 public key of a 32-byte RFC 8032 seed. */
export function ed25519Public(seed) {
  return ed25519.getPublicKey(seed);
}

/** Deterministic RFC 8032 Ed25519 signature. */
export function ed25519Sign(seed, message) {
  return ed25519.sign(message, seed);
}

/**
 * Strict Ed25519 verification with the acceptance rules of libsodium's
 * crypto_sign_ed25519_verify_detached: S < L; A canonical, on the curve and not of small order;
 * R' = [S]B - [k]A computed and compared byte for byte with R (so R must be canonical), and R not of
 * small order. The equation is the cofactorless one, as in libsodium.
 */
export function ed25519Verify(publicKey, message, signature) {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  const rBytes = signature.subarray(0, 32);
  const s = leToBigInt(signature.subarray(32, 64));
  if (s >= L) return false;
  let a;
  try {
    a = Point.fromBytes(publicKey, false); // RFC 8032 decoding: y < p, x = 0 needs sign bit 0
  } catch {
    return false;
  }
  if (a.isSmallOrder()) return false;
  const k = leToBigInt(sha512(concat(rBytes, publicKey, message))) % L;
  const rCheck = Point.BASE.multiplyUnsafe(s).subtract(a.multiplyUnsafe(k));
  if (rCheck.isSmallOrder()) return false;
  return equal(rCheck.toBytes(), rBytes);
}

// ---------------------------------------------------------------- hashes, MAC, KDF

export { sha256, sha512 };

export function hmacSha256(key, message) {
  return hmac(sha256, key, message);
}

/** HKDF-SHA256(salt, ikm, info, L) = Expand(Extract(salt, ikm), info, L), RFC 5869. */
export function hkdfSha256(salt, ikm, info, length) {
  return hkdf(sha256, ikm, salt, info, length);
}

// ---------------------------------------------------------------- AEADs

/** ChaCha20-Poly1305 (RFC 8439): returns encrypted bytes || 16-byte tag. */
export function chachaSeal(key, nonce, plaintext, aad) {
  return chacha20poly1305(key, nonce, aad).encrypt(plaintext);
}

/** ChaCha20-Poly1305 open; returns null when the tag does not verify. */
export function chachaOpen(key, nonce, ciphertext, aad) {
  if (ciphertext.length < 16) return null;
  try {
    return chacha20poly1305(key, nonce, aad).decrypt(ciphertext);
  } catch {
    return null;
  }
}

/** XChaCha20-Poly1305 (24-byte nonce). */
export function xchachaSeal(key, nonce, plaintext, aad) {
  return xchacha20poly1305(key, nonce, aad).encrypt(plaintext);
}

/** XChaCha20-Poly1305 open; returns null when the tag does not verify. */
export function xchachaOpen(key, nonce, ciphertext, aad) {
  if (ciphertext.length < 16) return null;
  try {
    return xchacha20poly1305(key, nonce, aad).decrypt(ciphertext);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- ML-KEM-768

export const MlKem768 = Object.freeze({
  publicKeyLength: 1184,
  secretKeyLength: 2400,
  ciphertextLength: 1088,
  sharedSecretLength: 32,
});

/** ML-KEM.KeyGen_internal(d, z) from the 64-byte seed d || z. */
export function mlKemKeyGen(seed64) {
  if (seed64.length !== 64) throw new RangeError('ML-KEM seed must be 64 bytes');
  const { publicKey, secretKey } = ml_kem768.keygen(seed64);
  return { publicKey: Uint8Array.from(publicKey), secretKey: Uint8Array.from(secretKey) };
}

/**
 * FIPS 203 section 7.2 encapsulation key check: length 1184 and every 12-bit coefficient of the
 * first 1152 bytes below q = 3329. Written out here rather than relying on the library's check.
 */
export function mlKemPublicKeyValid(ek) {
  if (!(ek instanceof Uint8Array) || ek.length !== MlKem768.publicKeyLength) return false;
  for (let i = 0; i < 1152; i += 3) {
    const c0 = ek[i] | ((ek[i + 1] & 0x0f) << 8);
    const c1 = (ek[i + 1] >> 4) | (ek[i + 2] << 4);
    if (c0 >= 3329 || c1 >= 3329) return false;
  }
  return true;
}

/** ML-KEM.Encaps_internal(ek, m). The caller checks the key first. */
export function mlKemEncaps(ek, m32) {
  if (m32.length !== 32) throw new RangeError('ML-KEM encapsulation randomness must be 32 bytes');
  if (!mlKemPublicKeyValid(ek)) throw new RangeError('invalid ML-KEM-768 encapsulation key');
  const { cipherText, sharedSecret } = ml_kem768.encapsulate(ek, m32);
  return { ciphertext: Uint8Array.from(cipherText), sharedSecret: Uint8Array.from(sharedSecret) };
}

/** ML-KEM.Decaps(dk, c) (implicit rejection: a wrong ciphertext gives an unrelated secret). */
export function mlKemDecaps(dk, ciphertext) {
  if (ciphertext.length !== MlKem768.ciphertextLength) throw new RangeError('ML-KEM ciphertext must be 1088 bytes');
  return Uint8Array.from(ml_kem768.decapsulate(ciphertext, dk));
}
