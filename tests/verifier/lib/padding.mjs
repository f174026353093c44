// PROTOCOL.md section 6.
import { Limits } from './limits.mjs';
import { fail } from './failure.mjs';

/** Bucket size for a plaintext of `length` bytes (L = length + 1). */
export function bucketFor(length) {
  const l = length + 1;
  if (l <= 64) return 64;
  if (l <= 16384) {
    let b = 64;
    while (b < l) b *= 2;
    return b;
  }
  return Math.ceil(l / 16384) * 16384;
}

/** Every valid padded length (64 .. 81920). */
export const Buckets = Object.freeze([64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 49152, 65536, 81920]);

export function isBucket(length) {
  return Buckets.includes(length);
}

/** Pad(m) = m || 0x80 || zeros(bucket - L). */
export function pad(plaintext) {
  if (plaintext.length > Limits.MaxPlaintextLength) fail('PlaintextTooLong');
  const out = new Uint8Array(bucketFor(plaintext.length));
  out.set(plaintext, 0);
  out[plaintext.length] = 0x80;
  return out;
}

/**
 * Unpad: strip trailing zero bytes, then exactly one 0x80; anything else is InvalidPadding.
 * The length is not checked here (callers check the bucket before decrypting).
 */
export function unpad(padded) {
  let i = padded.length;
  while (i > 0 && padded[i - 1] === 0) i--;
  if (i === 0 || padded[i - 1] !== 0x80) fail('InvalidPadding');
  return padded.slice(0, i - 1);
}
