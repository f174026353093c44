// PROTOCOL.md section 16.2: reading and verifying a SignedConsentRecord, steps 1 to 8, with the
// canonical reader of section 8 (readCanonical) and rules that depend on fields read before them.
import { equal, utf8 } from './bytes.mjs';
import { readCanonical } from './envelope.mjs';
import { fail } from './failure.mjs';
import { domainMessage } from './keys.mjs';
import { ed25519Verify } from './primitives.mjs';
import { applyRecord } from './consent-policy.mjs';
import { encode } from './protobuf.mjs';

/** The schemas of section 16.2 for the canonical encoder. */
export const ConsentRecordSchema = {
  name: 'ConsentRecord',
  fields: {
    1: { name: 'customer', type: 'string' },
    2: { name: 'business', type: 'string' },
    3: { name: 'action', type: 'enum' },
    4: { name: 'scopes', type: 'uint32' },
    5: { name: 'serial', type: 'uint64' },
    6: { name: 'issued_at_ms', type: 'uint64' },
    7: { name: 'expires_at_ms', type: 'uint64' },
  },
};

export const SignedConsentRecordSchema = {
  name: 'SignedConsentRecord',
  fields: {
    1: { name: 'account_key', type: 'bytes' },
    2: { name: 'record', type: 'bytes' },
    3: { name: 'signature', type: 'bytes' },
  },
};

/** Encodes a record { customer, business, action, scopes, serial, issuedAt, expiresAt } canonically. */
export function encodeConsentRecord(r) {
  return encode(ConsentRecordSchema, {
    customer: r.customer,
    business: r.business,
    action: r.action,
    scopes: r.scopes,
    serial: r.serial,
    issued_at_ms: r.issuedAt,
    expires_at_ms: r.expiresAt,
  });
}

export function encodeSignedConsentRecord(accountKey, record, signature) {
  return encode(SignedConsentRecordSchema, { account_key: accountKey, record, signature });
}

export const ConsentLabel = utf8('E2eChat/v1/consent');
export const MaxConsentRecordLength = 512;

function nameValid(bytes) {
  if (bytes.length < 1 || bytes.length > 64) return false;
  for (const b of bytes) {
    const ok = (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2e || b === 0x5f || b === 0x2d;
    if (!ok) return false;
  }
  return true;
}

// The ConsentRecord rules; `ctx` holds the fields read so far (the later rules depend on them).
function recordRules() {
  const ctx = {};
  const keep = (name, rule) => (v) => {
    const problem = rule(v);
    if (problem === null) ctx[name] = v;
    return problem;
  };
  return {
    name: 'ConsentRecord',
    fields: [
      { number: 1, name: 'customer', type: 'string', missing: 'InvalidCustomer', check: keep('customer', (v) => (nameValid(v) ? null : 'InvalidCustomer')) },
      { number: 2, name: 'business', type: 'string', missing: 'InvalidBusiness', check: (v) => (nameValid(v) && !equal(v, ctx.customer) ? null : 'InvalidBusiness') },
      { number: 3, name: 'action', type: 'enum', missing: 'InvalidAction', check: keep('action', (v) => (v >= 1n && v <= 4n ? null : 'InvalidAction')) },
      {
        number: 4,
        name: 'scopes',
        type: 'uint32',
        get missing() {
          return ctx.action === 1n ? 'MissingScopes' : null;
        },
        check: (v) => ((v & ~0xfn) !== 0n ? 'InvalidScopes' : ctx.action !== 1n ? 'UnexpectedScopes' : null),
      },
      { number: 5, name: 'serial', type: 'uint64', missing: 'MissingSerial', check: () => null },
      { number: 6, name: 'issued_at_ms', type: 'uint64', missing: 'MissingIssuedAt', check: keep('issued', () => null) },
      { number: 7, name: 'expires_at_ms', type: 'uint64', missing: null, check: (v) => (ctx.action !== 1n ? 'UnexpectedExpiry' : v <= ctx.issued ? 'InvalidExpiry' : null) },
    ],
  };
}

function signedRules() {
  return {
    name: 'SignedConsentRecord',
    fields: [
      { number: 1, name: 'account_key', type: 'bytes', missing: 'InvalidAccountKey', check: (v) => (v.length === 32 ? null : 'InvalidAccountKey') },
      {
        number: 2,
        name: 'record',
        type: 'bytes',
        missing: 'MissingRecord',
        check: (v) => {
          readCanonical(v, recordRules()); // throws the record's first failure
          return null;
        },
      },
      { number: 3, name: 'signature', type: 'bytes', missing: 'InvalidSignatureLength', check: (v) => (v.length === 64 ? null : 'InvalidSignatureLength') },
    ],
  };
}

/** Steps 1-4: read and verify; returns { accountKey, record: {customer, business, action, scopes, serial, issuedAt, expiresAt}, recordBytes, signature }. */
export function readSignedConsentRecord(bytes) {
  if (bytes.length > MaxConsentRecordLength) fail('TooLarge');
  const signed = readCanonical(bytes, signedRules());
  const r = readCanonical(signed.record, recordRules());
  if (!ed25519Verify(signed.account_key, domainMessage(ConsentLabel, signed.record), signed.signature)) fail('BadSignature');
  return {
    accountKey: signed.account_key,
    recordBytes: signed.record,
    signature: signed.signature,
    record: {
      customer: String.fromCharCode(...r.customer),
      business: String.fromCharCode(...r.business),
      action: Number(r.action),
      scopes: Number(r.scopes ?? 0n),
      serial: r.serial,
      issuedAt: r.issued_at_ms,
      expiresAt: r.expires_at_ms ?? 0n,
    },
  };
}

/**
 * Steps 1-8 as a relay runs them for the pair (pairCustomer, pairBusiness) whose newest applied serial
 * is stateSerial, knowing customerKey (empty: none) as the customer's account key. Returns the new
 * state's record on success, or throws the ConsentFailure name.
 */
export function evaluateConsentRecord(bytes, customerKey, pairCustomer, pairBusiness, stateSerial) {
  const read = readSignedConsentRecord(bytes);
  if (customerKey.length === 0) fail('UnknownAccountKey');
  if (!equal(customerKey, read.accountKey)) fail('WrongSigner');
  if (read.record.customer !== pairCustomer || read.record.business !== pairBusiness) fail('WrongPair');
  const state = { serial: stateSerial, lastAction: stateSerial === 0n ? 0 : 2, blocked: false, scopes: 0, grantExpires: 0n, windowUntil: 0n };
  if (applyRecord(state, read.record) === null) fail('StaleSerial');
  return read;
}

