// Byte helpers shared by the verifier. Nothing here is protocol-specific.

/** Concatenates byte arrays. */
export function concat(...parts) {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Byte-wise equality (not constant time: the verifier handles test data only). */
export function equal(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lowercase hex encoding. */
export function toHex(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

/** Strict hex decoding: lowercase, even length. Throws on anything else. */
export function fromHex(text) {
  if (typeof text !== 'string' || !/^(?:[0-9a-f]{2})*$/.test(text)) {
    throw new Error(`not lowercase hex of even length: ${JSON.stringify(String(text).slice(0, 40))}`);
  }
  return new Uint8Array(Buffer.from(text, 'hex'));
}

/** ASCII/UTF-8 bytes of a string. */
export function utf8(text) {
  return new TextEncoder().encode(text);
}

export function u32be(x) {
  if (!Number.isInteger(x) || x < 0 || x > 0xffffffff) throw new RangeError(`u32 out of range: ${x}`);
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, x, false);
  return out;
}

export function u64be(x) {
  const v = BigInt(x);
  if (v < 0n || v > 0xffffffffffffffffn) throw new RangeError(`u64 out of range: ${x}`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, v, false);
  return out;
}

export function readU32be(bytes, offset) {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(offset, false);
}

/** n bytes of value `fill`. */
export function filled(n, fill) {
  return new Uint8Array(n).fill(fill);
}

/** Little-endian unsigned integer of a byte array, as a BigInt. */
export function leToBigInt(bytes) {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return v;
}
