// A small protobuf (proto3) encoder and decoder, written for the messages of wire.proto:
//  - encode(): canonical encoding (ascending field numbers, default-valued scalars omitted);
//  - decodeLenient(): what a general proto3 parser accepts (unknown fields and wrong wire types
//    skipped, repeated scalars "last one wins", repeated messages merged).
// The canonical rules PROTOCOL.md section 8 requires of an Envelope are checked by the relay
// validator itself (lib/envelope.mjs), which reads the bytes in one pass.
// Schemas: { name, fields: { <number>: { name, type, schema? } } } with type one of
// uint32, uint64, bool, enum, bytes, string, message.

export class ProtoError extends Error {
  /** kind: "Malformed" (not a parseable encoding). */
  constructor(kind, message) {
    super(message);
    this.name = 'ProtoError';
    this.kind = kind;
  }
}

const WireVarint = 0;
const WireFixed64 = 1;
const WireLen = 2;
const WireStartGroup = 3;
const WireEndGroup = 4;
const WireFixed32 = 5;

function wireTypeOf(type) {
  return type === 'bytes' || type === 'string' || type === 'message' ? WireLen : WireVarint;
}

// ------------------------------------------------------------------ encoding

function varint(value) {
  let v = BigInt(value);
  if (v < 0n) throw new RangeError('negative varint');
  const out = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
}

function isDefault(field, value) {
  if (value === undefined || value === null) return true;
  switch (field.type) {
    case 'uint32':
    case 'enum':
    case 'uint64':
      return BigInt(value) === 0n;
    case 'bool':
      return value === false;
    case 'bytes':
    case 'string':
      return value.length === 0;
    case 'message':
      return false; // a present message is written even when empty
    default:
      throw new Error(`unknown type ${field.type}`);
  }
}

/** Canonical proto3 encoding of obj under schema. */
export function encode(schema, obj) {
  const out = [];
  const numbers = Object.keys(schema.fields).map(Number).sort((a, b) => a - b);
  for (const number of numbers) {
    const field = schema.fields[number];
    const value = obj[field.name];
    if (isDefault(field, value)) continue;
    out.push(...varint((number << 3) | wireTypeOf(field.type)));
    switch (field.type) {
      case 'uint32':
      case 'enum':
        if (BigInt(value) > 0xffffffffn) throw new RangeError(`${field.name} exceeds 32 bits`);
        out.push(...varint(value));
        break;
      case 'uint64':
        out.push(...varint(value));
        break;
      case 'bool':
        out.push(1);
        break;
      case 'bytes':
      case 'string':
      case 'message': {
        const bytes =
          field.type === 'message' ? encode(field.schema, value) : field.type === 'string' ? new TextEncoder().encode(value) : value;
        out.push(...varint(bytes.length));
        for (const b of bytes) out.push(b);
        break;
      }
      default:
        throw new Error(`unknown type ${field.type}`);
    }
  }
  return Uint8Array.from(out);
}

// ------------------------------------------------------------------ decoding

class Reader {
  constructor(bytes) {
    this.bytes = bytes;
    this.pos = 0;
  }

  get done() {
    return this.pos >= this.bytes.length;
  }

  /** Reads a varint (at most 10 bytes) as a BigInt. */
  varint() {
    let result = 0n;
    let shift = 0n;
    const start = this.pos;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.bytes.length) throw new ProtoError('Malformed', 'truncated varint');
      const b = this.bytes[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) {
        const length = this.pos - start;
        if (length === 10 && b > 1) throw new ProtoError('Malformed', 'varint exceeds 64 bits');
        return result;
      }
    }
    throw new ProtoError('Malformed', 'varint longer than 10 bytes');
  }

  take(n) {
    if (n > BigInt(this.bytes.length - this.pos)) throw new ProtoError('Malformed', 'truncated field');
    const k = Number(n);
    const out = this.bytes.subarray(this.pos, this.pos + k);
    this.pos += k;
    return out;
  }

  tag() {
    const t = this.varint();
    const number = t >> 3n;
    const wire = Number(t & 7n);
    if (number === 0n || number > 0x1fffffffn) throw new ProtoError('Malformed', 'invalid field number');
    return { number: Number(number), wire };
  }

  /** Skips one field's value of the given wire type (groups included, as a general parser does). */
  skip(wire, number, depth = 0) {
    switch (wire) {
      case WireVarint:
        this.varint();
        return;
      case WireFixed64:
        this.take(8n);
        return;
      case WireLen:
        this.take(this.varint());
        return;
      case WireFixed32:
        this.take(4n);
        return;
      case WireStartGroup: {
        if (depth > 64) throw new ProtoError('Malformed', 'groups nested too deeply');
        for (;;) {
          if (this.done) throw new ProtoError('Malformed', 'unterminated group');
          const t = this.tag();
          if (t.wire === WireEndGroup) {
            if (t.number !== number) throw new ProtoError('Malformed', 'mismatched end group');
            return;
          }
          this.skip(t.wire, t.number, depth + 1);
        }
      }
      default:
        throw new ProtoError('Malformed', `invalid wire type ${wire}`);
    }
  }
}

function defaults(schema) {
  const obj = {};
  for (const field of Object.values(schema.fields)) {
    switch (field.type) {
      case 'uint32':
      case 'enum':
        obj[field.name] = 0;
        break;
      case 'uint64':
        obj[field.name] = 0n;
        break;
      case 'bool':
        obj[field.name] = false;
        break;
      case 'bytes':
        obj[field.name] = new Uint8Array(0);
        break;
      case 'string':
        obj[field.name] = '';
        break;
      case 'message':
        obj[field.name] = null;
        break;
      default:
        throw new Error(`unknown type ${field.type}`);
    }
  }
  return obj;
}

function decodeString(bytes) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ProtoError('Malformed', 'string is not valid UTF-8');
  }
}

/**
 * Decodes like a general proto3 parser: unknown fields (and known field numbers with an unexpected
 * wire type) are skipped, a repeated scalar keeps the last value, a repeated message is merged,
 * uint32/enum keep the low 32 bits of the varint. Throws ProtoError("Malformed") on wire errors.
 */
export function decodeLenient(schema, bytes, into = null) {
  const obj = into ?? defaults(schema);
  const r = new Reader(bytes);
  while (!r.done) {
    const { number, wire } = r.tag();
    const field = schema.fields[number];
    if (wire === WireEndGroup) throw new ProtoError('Malformed', 'unexpected end group');
    if (!field || wire !== wireTypeOf(field.type)) {
      r.skip(wire, number);
      continue;
    }
    switch (field.type) {
      case 'uint32':
      case 'enum':
        obj[field.name] = Number(r.varint() & 0xffffffffn);
        break;
      case 'uint64':
        obj[field.name] = r.varint();
        break;
      case 'bool':
        obj[field.name] = r.varint() !== 0n;
        break;
      case 'bytes':
        obj[field.name] = Uint8Array.from(r.take(r.varint()));
        break;
      case 'string':
        obj[field.name] = decodeString(r.take(r.varint()));
        break;
      case 'message': {
        const inner = r.take(r.varint());
        obj[field.name] = decodeLenient(field.schema, inner, obj[field.name]);
        break;
      }
      default:
        throw new Error(`unknown type ${field.type}`);
    }
  }
  return obj;
}
