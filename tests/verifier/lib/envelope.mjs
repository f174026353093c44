// PROTOCOL.md section 8: the relay-side Envelope validator (no keys).
//
// A single pass over the bytes that reports the first rule broken, in the order section 8
// prescribes: the whole length first, then each field in the order it appears (nested messages
// depth first): its tag, the order of field numbers, its wire type, the required fields it skipped
// over, the content field's match with `type`, its value's encoding, a default value written, and
// the field's own rule; at the end of each message the required fields never reached.
import { Limits } from './limits.mjs';
import { fail } from './failure.mjs';
import { isBucket } from './padding.mjs';
import { EnvelopeType } from './wire.mjs';

/** The EnvelopeFailure names of PROTOCOL.md section 8. */
export const EnvelopeFailure = Object.freeze({
  TooLarge: 'TooLarge',
  Truncated: 'Truncated',
  MalformedVarint: 'MalformedVarint',
  UnknownField: 'UnknownField',
  DuplicateField: 'DuplicateField',
  FieldsOutOfOrder: 'FieldsOutOfOrder',
  WrongWireType: 'WrongWireType',
  DefaultValueWritten: 'DefaultValueWritten',
  MissingVersion: 'MissingVersion',
  UnsupportedVersion: 'UnsupportedVersion',
  InvalidType: 'InvalidType',
  ContentMismatch: 'ContentMismatch',
  InvalidSenderAddress: 'InvalidSenderAddress',
  InvalidRecipientAddress: 'InvalidRecipientAddress',
  InvalidMessageId: 'InvalidMessageId',
  MissingTimestamp: 'MissingTimestamp',
  InvalidIdentityKeyLength: 'InvalidIdentityKeyLength',
  InvalidBaseKeyLength: 'InvalidBaseKeyLength',
  InvalidPreKeyId: 'InvalidPreKeyId',
  InvalidKemCiphertextLength: 'InvalidKemCiphertextLength',
  MissingRatchetMessage: 'MissingRatchetMessage',
  InvalidHeaderLength: 'InvalidHeaderLength',
  InvalidCiphertextLength: 'InvalidCiphertextLength',
  InvalidDistributionId: 'InvalidDistributionId',
  InvalidChainId: 'InvalidChainId',
  InvalidSignatureLength: 'InvalidSignatureLength',
  MissingCategory: 'MissingCategory',
  UnexpectedCategory: 'UnexpectedCategory',
  InvalidCategory: 'InvalidCategory',
});

const F = EnvelopeFailure;
const WireVarint = 0;
const WireLen = 2;

// ------------------------------------------------------------------ schemas with their rules
//
// Each field: number, name, type (uint32, uint64, enum, bytes, string, message), `missing` (the
// failure when a required field is absent; null when the field may be absent) and `check(value)`
// returning the failure of a present value, or null.

function addressSchema(failure) {
  return {
    name: 'Address',
    fields: [
      { number: 1, name: 'name', type: 'string', missing: failure, check: (v) => (nameValid(v) ? null : failure) },
      { number: 2, name: 'device', type: 'uint32', missing: failure, check: (v) => (v >= 1n && v <= 255n ? null : failure) },
      { number: 3, name: 'kind', type: 'enum', missing: failure, check: (v) => (v === 1n || v === 2n ? null : failure) },
    ],
  };
}

/** 1-64 characters of [a-z0-9._-]: checked on the raw bytes (anything else, UTF-8 or not, fails). */
function nameValid(bytes) {
  if (bytes.length < 1 || bytes.length > 64) return false;
  for (const b of bytes) {
    const ok = (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2e || b === 0x5f || b === 0x2d;
    if (!ok) return false;
  }
  return true;
}

const length = (n, failure) => (v) => (v.length === n ? null : failure);
const bucketPlusTag = (v) => (v.length >= 16 && isBucket(v.length - 16) ? null : F.InvalidCiphertextLength);
const any = () => null;

const RatchetMessageRules = {
  name: 'RatchetMessage',
  fields: [
    { number: 1, name: 'header', type: 'bytes', missing: F.InvalidHeaderLength, check: length(80, F.InvalidHeaderLength) },
    { number: 2, name: 'ciphertext', type: 'bytes', missing: F.InvalidCiphertextLength, check: bucketPlusTag },
  ],
};

export const PreKeyMessageRules = {
  name: 'PreKeyMessage',
  fields: [
    { number: 1, name: 'identity_key', type: 'bytes', missing: F.InvalidIdentityKeyLength, check: length(128, F.InvalidIdentityKeyLength) },
    { number: 2, name: 'base_key', type: 'bytes', missing: F.InvalidBaseKeyLength, check: length(32, F.InvalidBaseKeyLength) },
    { number: 3, name: 'signed_prekey_id', type: 'uint32', missing: F.InvalidPreKeyId, check: any },
    { number: 4, name: 'one_time_prekey_id', type: 'uint32', missing: null, check: any },
    { number: 5, name: 'kem_prekey_id', type: 'uint32', missing: F.InvalidPreKeyId, check: any },
    { number: 6, name: 'kem_ciphertext', type: 'bytes', missing: F.InvalidKemCiphertextLength, check: length(1088, F.InvalidKemCiphertextLength) },
    { number: 7, name: 'message', type: 'message', schema: RatchetMessageRules, missing: F.MissingRatchetMessage, check: any },
  ],
};

export const SenderKeyMessageRules = {
  name: 'SenderKeyMessage',
  fields: [
    { number: 1, name: 'distribution_id', type: 'bytes', missing: F.InvalidDistributionId, check: length(16, F.InvalidDistributionId) },
    { number: 2, name: 'chain_id', type: 'uint32', missing: F.InvalidChainId, check: any },
    { number: 3, name: 'iteration', type: 'uint32', missing: null, check: any },
    { number: 4, name: 'expires_at_ms', type: 'uint64', missing: null, check: any },
    { number: 5, name: 'ciphertext', type: 'bytes', missing: F.InvalidCiphertextLength, check: bucketPlusTag },
    { number: 6, name: 'signature', type: 'bytes', missing: F.InvalidSignatureLength, check: length(64, F.InvalidSignatureLength) },
  ],
};

/** Content field number for each EnvelopeType. */
const ContentField = { [EnvelopeType.PreKey]: 7, [EnvelopeType.Ratchet]: 8, [EnvelopeType.SenderKey]: 9 };

const EnvelopeRules = {
  name: 'Envelope',
  fields: [
    { number: 1, name: 'version', type: 'uint32', missing: F.MissingVersion, check: (v) => (v === 1n ? null : F.UnsupportedVersion) },
    { number: 2, name: 'type', type: 'enum', missing: F.InvalidType, check: (v) => (v >= 1n && v <= 3n ? null : F.InvalidType) },
    { number: 3, name: 'sender', type: 'message', schema: addressSchema(F.InvalidSenderAddress), missing: F.InvalidSenderAddress, check: any },
    { number: 4, name: 'recipient', type: 'message', schema: addressSchema(F.InvalidRecipientAddress), missing: F.InvalidRecipientAddress, check: any },
    { number: 5, name: 'message_id', type: 'bytes', missing: F.InvalidMessageId, check: length(16, F.InvalidMessageId) },
    { number: 6, name: 'timestamp_ms', type: 'uint64', missing: F.MissingTimestamp, check: any },
    { number: 7, name: 'prekey', type: 'message', schema: PreKeyMessageRules, missing: null, content: true, check: any },
    { number: 8, name: 'ratchet', type: 'message', schema: RatchetMessageRules, missing: null, content: true, check: any },
    { number: 9, name: 'sender_key', type: 'message', schema: SenderKeyMessageRules, missing: null, content: true, check: any },
    { number: 10, name: 'category', type: 'enum', missing: null, check: (v) => (v >= 1n && v <= 4n ? null : F.InvalidCategory) },
  ],
};

// ------------------------------------------------------------------ reading

class Reader {
  constructor(bytes) {
    this.bytes = bytes;
    this.pos = 0;
  }

  /**
   * A varint ending before `end`: Truncated when `end` comes first; MalformedVarint when it has more
   * than 10 bytes, does not fit in 64 bits, or is not minimally encoded (ends in a 0x00 byte).
   */
  varint(end) {
    let value = 0n;
    for (let i = 0; ; i++) {
      if (i === 10) fail(F.MalformedVarint);
      if (this.pos >= end) fail(F.Truncated);
      const b = this.bytes[this.pos++];
      value |= BigInt(b & 0x7f) << BigInt(7 * i);
      if ((b & 0x80) === 0) {
        if (i === 9 && b > 1) fail(F.MalformedVarint);
        if (i > 0 && b === 0) fail(F.MalformedVarint);
        return value;
      }
    }
  }

  /** `n` bytes ending at or before `end`, else Truncated. */
  take(n, end) {
    if (n > BigInt(end - this.pos)) fail(F.Truncated);
    const out = this.bytes.subarray(this.pos, this.pos + Number(n));
    this.pos += Number(n);
    return out;
  }
}

function wireTypeOf(type) {
  return type === 'bytes' || type === 'string' || type === 'message' ? WireLen : WireVarint;
}

/** Reads the message that ends at `end`; returns its fields by name (absent fields: undefined). */
function readMessage(r, end, rules, onContent = null) {
  const out = {};
  let previous = 0;
  const missingBetween = (low, high) => {
    for (const f of rules.fields) {
      if (f.number > low && f.number < high && f.missing !== null) fail(f.missing);
    }
  };
  while (r.pos < end) {
    const tag = r.varint(end);
    if (tag > 0xffffffffn) fail(F.MalformedVarint); // a tag is a uint32 (field numbers below 2^29)
    const number = tag >> 3n;
    const wire = Number(tag & 7n);
    const field = rules.fields.find((f) => BigInt(f.number) === number);
    if (!field) fail(F.UnknownField);
    if (field.number === previous) fail(F.DuplicateField);
    if (field.number < previous) fail(F.FieldsOutOfOrder);
    if (wire !== wireTypeOf(field.type)) fail(F.WrongWireType);
    missingBetween(previous, field.number);
    if (field.content && onContent) onContent(field, out);
    let value;
    if (wire === WireVarint) {
      value = r.varint(end);
      if (field.type === 'uint32' && value > 0xffffffffn) fail(F.MalformedVarint); // enums: their rule
      if (value === 0n) fail(F.DefaultValueWritten);
    } else {
      const bytes = r.take(r.varint(end), end);
      if (field.type === 'message') {
        const inner = new Reader(bytes);
        value = readMessage(inner, bytes.length, field.schema);
      } else {
        if (bytes.length === 0) fail(F.DefaultValueWritten);
        value = Uint8Array.from(bytes);
      }
    }
    const problem = field.check(value);
    if (problem !== null) fail(problem);
    out[field.name] = value;
    previous = field.number;
  }
  missingBetween(previous, Infinity);
  return out;
}

/**
 * Validates an envelope; returns { version, type, sender, recipient, message_id, timestamp_ms,
 * prekey, ratchet, sender_key } (absent content fields null, address names as strings) or throws
 * an EnvelopeFailure name.
 */
export function validateEnvelope(bytes) {
  if (bytes.length > Limits.MaxEnvelopeLength) fail(F.TooLarge);
  const r = new Reader(bytes);
  // `type` precedes the content fields and is valid by then (field 2 is required, checked first).
  const env = readMessage(r, bytes.length, EnvelopeRules, (field, soFar) => {
    if (field.number !== ContentField[Number(soFar.type)]) fail(F.ContentMismatch);
  });
  if (env.prekey === undefined && env.ratchet === undefined && env.sender_key === undefined) fail(F.ContentMismatch);
  // Section 8 step 3: a business's pre-key or ratchet envelope to a person carries a category; no other does.
  const needsCategory = env.sender.kind === 2n && env.recipient.kind === 1n && (env.type === 1n || env.type === 2n);
  if (needsCategory && env.category === undefined) fail(F.MissingCategory);
  if (!needsCategory && env.category !== undefined) fail(F.UnexpectedCategory);
  const address = (a) => ({ name: String.fromCharCode(...a.name), device: Number(a.device), kind: Number(a.kind) });
  return {
    version: Number(env.version),
    type: Number(env.type),
    sender: address(env.sender),
    recipient: address(env.recipient),
    message_id: env.message_id,
    timestamp_ms: env.timestamp_ms,
    prekey: env.prekey ?? null,
    ratchet: env.ratchet ?? null,
    sender_key: env.sender_key ?? null,
    category: env.category === undefined ? 0 : Number(env.category),
  };
}

/**
 * Reads `bytes` as one whole message under `rules` (schema as above) with the canonical rules of
 * section 8, the steps an Envelope applies to its nested messages; returns the fields by name
 * (absent: undefined; varints as BigInt) or throws the failure of the first rule broken. Section 7
 * holds SenderKeyMessage and SenderKeyDistribution to these rules.
 */
export function readCanonical(bytes, rules) {
  return readMessage(new Reader(bytes), bytes.length, rules);
}
