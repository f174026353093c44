// Deterministic byte source for the self-tests: SHA-256(label-key || counter) blocks.
import { sha256 } from '@noble/hashes/sha2.js';
import { concat, u32be, utf8 } from '../lib/bytes.mjs';

export class Drbg {
  constructor(label) {
    this.key = sha256(utf8(label));
    this.counter = 0;
  }

  bytes(n) {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const block = sha256(concat(this.key, u32be(this.counter++)));
      const take = Math.min(32, n - filled);
      out.set(block.subarray(0, take), filled);
      filled += take;
    }
    return out;
  }

  /** Uniform integer in [0, n). */
  int(n) {
    const b = this.bytes(4);
    return (((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0) % n;
  }
}
