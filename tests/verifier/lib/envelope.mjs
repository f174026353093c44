// PROTOCOL.md section 8: the relay-side Envelope validator (no keys).
//
// PROTOCOL.md does not (yet) name the EnvelopeFailure values. The names below are this verifier's
// choice; they are collected in EnvelopeFailure so that they can be renamed in one place once the
// spec lists them. Check order: length, wire parse, version, canonical encoding, then the field
// rules in the order of the table in section 8.
import { Limits } from './limits.mjs';
import { fail } from './failure.mjs';
import { isBucket } from './padding.mjs';
import { decodeCanonical, decodeLenient, ProtoError } from './protobuf.mjs';
import { Envelope, EnvelopeType, AccountKind } from './wire.mjs';

export const EnvelopeFailure = Object.freeze({
  TooLarge: 'TooLarge', // longer than MaxEnvelopeLength
  Malformed: 'Malformed', // not a parseable protobuf encoding of Envelope
  UnsupportedVersion: 'UnsupportedVersion', // version is not 1 (absent = 0)
  NonCanonical: 'NonCanonical', // parses, but not the canonical encoding
  InvalidType: 'InvalidType', // type not 1, 2 or 3
  ContentMismatch: 'ContentMismatch', // not exactly the content field matching type
  InvalidSender: 'InvalidSender',
  InvalidRecipient: 'InvalidRecipient',
  InvalidMessageId: 'InvalidMessageId',
  InvalidTimestamp: 'InvalidTimestamp',
  InvalidPreKeyMessage: 'InvalidPreKeyMessage', // a PreKeyMessage field rule (its inner RatchetMessage: InvalidRatchetMessage)
  InvalidRatchetMessage: 'InvalidRatchetMessage',
  InvalidSenderKeyMessage: 'InvalidSenderKeyMessage',
});

const NamePattern = /^[a-z0-9._-]{1,64}$/;

function validAddress(a) {
  return (
    a !== null &&
    NamePattern.test(a.name) &&
    a.device >= 1 &&
    a.device <= 255 &&
    (a.kind === AccountKind.Person || a.kind === AccountKind.Business)
  );
}

function validRatchetMessage(r) {
  return r !== null && r.header.length === 80 && r.ciphertext.length >= 16 && isBucket(r.ciphertext.length - 16);
}

/**
 * Validates an envelope; returns the decoded Envelope or throws an EnvelopeFailure name.
 */
export function validateEnvelope(bytes) {
  if (bytes.length > Limits.MaxEnvelopeLength) fail(EnvelopeFailure.TooLarge);
  let env;
  let nonCanonical = false;
  try {
    env = decodeCanonical(Envelope, bytes);
  } catch (e) {
    if (!(e instanceof ProtoError)) throw e;
    if (e.kind === 'Malformed') fail(EnvelopeFailure.Malformed);
    nonCanonical = true;
  }
  // Parseable but not canonical: read the version as a general parser would (last one wins).
  const version = env ? env.version : decodeLenient(Envelope, bytes).version;
  if (version !== 1) fail(EnvelopeFailure.UnsupportedVersion);
  if (nonCanonical) fail(EnvelopeFailure.NonCanonical);

  const contentFor = { [EnvelopeType.PreKey]: 'prekey', [EnvelopeType.Ratchet]: 'ratchet', [EnvelopeType.SenderKey]: 'sender_key' };
  const expected = contentFor[env.type];
  if (expected === undefined) fail(EnvelopeFailure.InvalidType);
  const present = ['prekey', 'ratchet', 'sender_key'].filter((f) => env[f] !== null);
  if (present.length !== 1 || present[0] !== expected) fail(EnvelopeFailure.ContentMismatch);
  if (!validAddress(env.sender)) fail(EnvelopeFailure.InvalidSender);
  if (!validAddress(env.recipient)) fail(EnvelopeFailure.InvalidRecipient);
  if (env.message_id.length !== 16) fail(EnvelopeFailure.InvalidMessageId);
  if (env.timestamp_ms === 0n) fail(EnvelopeFailure.InvalidTimestamp);

  if (env.type === EnvelopeType.PreKey) {
    const p = env.prekey;
    if (
      p.identity_key.length !== 128 ||
      p.base_key.length !== 32 ||
      p.signed_prekey_id === 0 ||
      p.kem_prekey_id === 0 ||
      p.kem_ciphertext.length !== 1088
    ) {
      fail(EnvelopeFailure.InvalidPreKeyMessage);
    }
    if (!validRatchetMessage(p.message)) fail(EnvelopeFailure.InvalidRatchetMessage);
  } else if (env.type === EnvelopeType.Ratchet) {
    if (!validRatchetMessage(env.ratchet)) fail(EnvelopeFailure.InvalidRatchetMessage);
  } else {
    const s = env.sender_key;
    if (
      s.distribution_id.length !== 16 ||
      s.chain_id === 0 ||
      s.ciphertext.length < 16 ||
      !isBucket(s.ciphertext.length - 16) ||
      s.signature.length !== 64
    ) {
      fail(EnvelopeFailure.InvalidSenderKeyMessage);
    }
  }
  return env;
}
