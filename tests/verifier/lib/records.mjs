// PROTOCOL.md sections 13-15: a canonical reader and writer for the signed records and the inner
// content, with the section 8 rules plus repeated fields (consecutive entries of one field number).
//
// Schema: { name, fields: [field], end?(out) } where a field is
//   { number, name, type: 'uint32'|'uint64'|'enum'|'bytes'|'string'|'message', schema? (message),
//     missing: failure name or null (optional), check(value, out): failure name or null,
//     repeated?: true, max?: n, tooMany?: failure name, entry?(value, previous): failure name or null }
// Values: varints as BigInt, bytes and strings as Uint8Array, messages as objects, repeated as arrays.
import { fail } from './failure.mjs';

const WireVarint = 0;
const WireLen = 2;

export const Encoding = Object.freeze({
  Truncated: 'Truncated',
  MalformedVarint: 'MalformedVarint',
  UnknownField: 'UnknownField',
  DuplicateField: 'DuplicateField',
  FieldsOutOfOrder: 'FieldsOutOfOrder',
  WrongWireType: 'WrongWireType',
  DefaultValueWritten: 'DefaultValueWritten',
  TooLarge: 'TooLarge',
});

export function wireTypeOf(type) {
  return type === 'bytes' || type === 'string' || type === 'message' ? WireLen : WireVarint;
}

export class RecordReader {
  constructor(bytes, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  get done() {
    return this.pos >= this.end;
  }

  /** Section 8 step 2.1: at most 10 bytes, fits 64 bits, minimal. */
  varint() {
    let value = 0n;
    for (let i = 0; ; i++) {
      if (i === 10) fail(Encoding.MalformedVarint);
      if (this.pos >= this.end) fail(Encoding.Truncated);
      const b = this.bytes[this.pos++];
      value |= BigInt(b & 0x7f) << BigInt(7 * i);
      if ((b & 0x80) === 0) {
        if (i === 9 && b > 1) fail(Encoding.MalformedVarint);
        if (i > 0 && b === 0) fail(Encoding.MalformedVarint);
        return value;
      }
    }
  }

  /** A tag: a varint below 2^32; returns { number, wire }. */
  tag() {
    const tag = this.varint();
    if (tag > 0xffffffffn) fail(Encoding.MalformedVarint);
    return { number: tag >> 3n, wire: Number(tag & 7n) };
  }

  /** A length varint and that many bytes. */
  lengthDelimited() {
    const n = this.varint();
    if (n > BigInt(this.end - this.pos)) fail(Encoding.Truncated);
    const out = this.bytes.subarray(this.pos, this.pos + Number(n));
    this.pos += Number(n);
    return out;
  }
}

/** Reads `bytes` as one whole message under `schema`; returns its fields by name or throws a failure. */
export function readRecord(bytes, schema) {
  const r = new RecordReader(bytes);
  const out = {};
  let previous = 0;
  const missingBetween = (low, high) => {
    for (const f of schema.fields) if (f.number > low && f.number < high && f.missing !== null) fail(f.missing);
  };
  while (!r.done) {
    const { number, wire } = r.tag();
    const field = schema.fields.find((f) => BigInt(f.number) === number);
    if (!field) fail(Encoding.UnknownField);
    const again = field.number === previous;
    if (again && !field.repeated) fail(Encoding.DuplicateField);
    if (field.number < previous) fail(Encoding.FieldsOutOfOrder);
    if (wire !== wireTypeOf(field.type)) fail(Encoding.WrongWireType);
    missingBetween(previous, field.number);
    if (field.repeated && again && out[field.name].length >= field.max) fail(field.tooMany);
    let value;
    if (wire === WireVarint) {
      value = r.varint();
      if (field.type === 'uint32' && value > 0xffffffffn) fail(Encoding.MalformedVarint);
      if (value === 0n) fail(Encoding.DefaultValueWritten);
    } else {
      const bytes = r.lengthDelimited();
      if (field.type === 'message') {
        value = readRecord(bytes, field.schema);
      } else {
        if (bytes.length === 0) fail(Encoding.DefaultValueWritten);
        value = Uint8Array.from(bytes);
      }
    }
    const problem = field.check(value, out);
    if (problem !== null) fail(problem);
    if (field.repeated) {
      if (!again) out[field.name] = [];
      const list = out[field.name];
      if (field.entry && list.length > 0) {
        const p = field.entry(value, list[list.length - 1]);
        if (p !== null) fail(p);
      }
      list.push(value);
    } else {
      out[field.name] = value;
    }
    previous = field.number;
  }
  missingBetween(previous, Infinity);
  if (schema.end) {
    const p = schema.end(out);
    if (p !== null) fail(p);
  }
  return out;
}

// ------------------------------------------------------------------ writing

function varint(value) {
  let v = BigInt(value);
  const out = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
}

/** Canonical encoding of obj (fields by name; absent or default values not written). */
export function writeRecord(schema, obj) {
  const out = [];
  const put = (field, value) => {
    out.push(...varint((field.number << 3) | wireTypeOf(field.type)));
    if (wireTypeOf(field.type) === WireVarint) {
      out.push(...varint(value));
      return;
    }
    const bytes = field.type === 'message' ? writeRecord(field.schema, value) : typeof value === 'string' ? new TextEncoder().encode(value) : value;
    out.push(...varint(bytes.length));
    for (const b of bytes) out.push(b);
  };
  for (const field of [...schema.fields].sort((a, b) => a.number - b.number)) {
    const value = obj[field.name];
    if (value === undefined || value === null) continue;
    if (field.repeated) {
      for (const v of value) put(field, v);
    } else if (wireTypeOf(field.type) === WireVarint) {
      if (BigInt(value) !== 0n) put(field, value);
    } else if (field.type === 'message' || value.length > 0) {
      put(field, value);
    }
  }
  return Uint8Array.from(out);
}

// ------------------------------------------------------------------ value rules

/** RFC 3629 UTF-8 (no overlongs, surrogates or values above U+10FFFF); returns the string or null. */
export function utf8Text(bytes) {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Section 8 `name` rule: 1-64 bytes of [a-z0-9._-]. */
export function accountNameValid(bytes) {
  if (bytes.length < 1 || bytes.length > 64) return false;
  for (const b of bytes) {
    const ok = (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2e || b === 0x5f || b === 0x2d;
    if (!ok) return false;
  }
  return true;
}
