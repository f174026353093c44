// Checkers for consent-decisions.json (PROTOCOL.md 17, FORMAT.md): replays each sequence of events
// through the policy written from the spec (consent-policy.mjs) and compares every output.
import { equal, fromHex, toHex } from './bytes.mjs';
import { ActionNames, Actions, Categories, applyRecord, decide, initialState, ledgerDay, openWindow } from './consent-policy.mjs';
import { ConsentLabel, encodeConsentRecord, encodeSignedConsentRecord, evaluateConsentRecord } from './consent-record.mjs';
import { failureOf } from './failure.mjs';
import { domainMessage } from './keys.mjs';
import { ed25519Public, ed25519Sign } from './primitives.mjs';

import { Mismatch } from './vectors.mjs';

function mismatch(message) {
  throw new Mismatch(message);
}

function field(o, key, where) {
  if (o === null || typeof o !== 'object' || !(key in o)) mismatch(`missing field ${where}${key}`);
  return o[key];
}

/** u64: a JSON number (exact, below 2^53) or a decimal string. */
function u64(o, key, where) {
  const v = field(o, key, where);
  if (Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^(0|[1-9][0-9]*)$/.test(v) && BigInt(v) <= 0xffffffffffffffffn) return BigInt(v);
  return mismatch(`${where}${key}: not a u64: ${JSON.stringify(v)}`);
}

function str(o, key, where) {
  const v = field(o, key, where);
  if (typeof v !== 'string') mismatch(`${where}${key}: not a string`);
  return v;
}

function expect(label, actual, expected) {
  if (actual !== expected) mismatch(`${label}: expected ${JSON.stringify(expected)}, computed ${JSON.stringify(actual)}`);
}

function expectU64(label, actual, o, key, where) {
  const expected = u64(o, key, where);
  if (actual !== expected) mismatch(`${where}${key}: expected ${expected}, computed ${actual}`);
}

function checkSequence(v) {
  const customer = str(v, 'customer', '');
  const business = str(v, 'business', '');
  const events = field(v, 'events', '');
  if (!Array.isArray(events) || events.length === 0) mismatch('events: not a non-empty list');
  let state = initialState();
  const billedIds = new Set();
  const ledger = new Map();
  events.forEach((e, i) => {
    const where = `events[${i}].`;
    switch (str(e, 'event', where)) {
      case 'record': {
        const action = Actions[str(e, 'action', where)];
        if (action === undefined) mismatch(`${where}action: unknown`);
        const scopes = field(e, 'scopes', where);
        if (!Number.isInteger(scopes) || scopes < 0 || scopes > 15 || (action === Actions.GRANT) !== (scopes !== 0)) mismatch(`${where}scopes: invalid for the action`);
        const serial = u64(e, 'serial', where);
        const expiresAt = u64(e, 'expires_at_ms', where);
        const issuedAt = u64(e, 'issued_at_ms', where);
        if (serial === 0n || issuedAt === 0n || (action === Actions.GRANT ? expiresAt !== 0n && expiresAt <= issuedAt : expiresAt !== 0n)) mismatch(`${where}: not a valid record`);
        let result;
        if (str(e, 'customer', where) !== customer || str(e, 'business', where) !== business) {
          result = 'WrongPair';
        } else {
          const next = applyRecord(state, { action, scopes, serial, expiresAt });
          result = next === null ? 'StaleSerial' : 'Applied';
          if (next !== null) state = next;
        }
        expect(`${where}result`, result, str(e, 'result', where));
        break;
      }
      case 'customer_message':
        state = openWindow(state, u64(e, 'at_ms', where));
        break;
      case 'business_message': {
        const category = Categories[str(e, 'category', where)];
        if (category === undefined) mismatch(`${where}category: unknown`);
        const at = u64(e, 'at_ms', where);
        const id = str(e, 'message_id', where);
        if (fromHex(id).length !== 16) mismatch(`${where}message_id: not 16 bytes`);
        const decision = decide(state, category, at);
        expect(`${where}decision`, decision, str(e, 'decision', where));
        const billed = decision === 'Deliver' && !billedIds.has(id);
        if (billed) {
          billedIds.add(id);
          const key = `${ledgerDay(at)}/${category}`;
          ledger.set(key, (ledger.get(key) ?? 0n) + 1n);
        }
        expect(`${where}billed`, billed, field(e, 'billed', where));
        break;
      }
      default:
        mismatch(`${where}event: unknown`);
    }
  });
  const s = field(v, 'state', '');
  expectU64('state.serial', state.serial, s, 'serial', 'state.');
  expect('state.last_action', ActionNames[state.lastAction], str(s, 'last_action', 'state.'));
  expect('state.blocked', state.blocked, field(s, 'blocked', 'state.'));
  expect('state.scopes', state.scopes, field(s, 'scopes', 'state.'));
  expectU64('state.grant_expires_at_ms', state.grantExpires, s, 'grant_expires_at_ms', 'state.');
  expectU64('state.window_until_ms', state.windowUntil, s, 'window_until_ms', 'state.');
  const rows = field(v, 'ledger', '');
  if (!Array.isArray(rows)) mismatch('ledger: not a list');
  const names = Object.fromEntries(Object.entries(Categories).map(([k, n]) => [n, k]));
  const computed = [...ledger.entries()]
    .map(([key, count]) => {
      const [day, category] = key.split('/');
      return { day: BigInt(day), category: Number(category), count };
    })
    .sort((a, b) => (a.day === b.day ? a.category - b.category : a.day < b.day ? -1 : 1));
  expect('ledger rows', rows.length, computed.length);
  computed.forEach((row, i) => {
    expectU64(`ledger[${i}].day`, row.day, rows[i], 'day', `ledger[${i}].`);
    expect(`ledger[${i}].category`, names[row.category], str(rows[i], 'category', `ledger[${i}].`));
    expectU64(`ledger[${i}].count`, row.count, rows[i], 'count', `ledger[${i}].`);
  });
}

function hexField(o, key, length = null) {
  const v = str(o, key, '');
  let bytes;
  try {
    bytes = fromHex(v);
  } catch (e) {
    mismatch(`${key}: ${e.message}`);
  }
  if (length !== null && bytes.length !== length) mismatch(`${key}: expected ${length} bytes`);
  return bytes;
}

function expectHex(key, actual, o) {
  const expected = hexField(o, key);
  if (!equal(actual, expected)) mismatch(`${key}: expected ${toHex(expected)}, computed ${toHex(actual)}`);
}

// consent_record: from the account seed and the record's values, every byte string of 16.2.
function checkRecord(v) {
  const seed = hexField(v, 'account_seed', 32);
  const action = Actions[str(v, 'action', '')];
  if (action === undefined) mismatch('action: unknown');
  const record = {
    customer: str(v, 'customer', ''),
    business: str(v, 'business', ''),
    action,
    scopes: field(v, 'scopes', ''),
    serial: u64(v, 'serial', ''),
    issuedAt: u64(v, 'issued_at_ms', ''),
    expiresAt: u64(v, 'expires_at_ms', ''),
  };
  const accountKey = ed25519Public(seed);
  const recordBytes = encodeConsentRecord(record);
  const signature = ed25519Sign(seed, domainMessage(ConsentLabel, recordBytes));
  const signed = encodeSignedConsentRecord(accountKey, recordBytes, signature);
  expectHex('account_key', accountKey, v);
  expectHex('record', recordBytes, v);
  expectHex('signature', signature, v);
  expectHex('signed_record', signed, v);
  let read;
  const failure = failureOf(() => {
    read = evaluateConsentRecord(signed, accountKey, record.customer, record.business, 0n);
  });
  if (failure !== null) mismatch(`the signed record is refused: ${failure}`);
  for (const k of Object.keys(record)) {
    if (read.record[k] !== record[k]) mismatch(`${k}: reads back as ${read.record[k]}`);
  }
}

// consent_record_invalid: steps 1-8 give the named failure.
function checkInvalidRecord(v) {
  const expected = str(v, 'failure', '');
  let actual;
  try {
    actual = failureOf(() =>
      evaluateConsentRecord(hexField(v, 'signed_record'), hexField(v, 'customer_account_key'), str(v, 'pair_customer', ''), str(v, 'pair_business', ''), u64(v, 'state_serial', '')),
    );
  } catch (e) {
    mismatch(`expected failure ${expected}, got an untyped error: ${e.message}`);
  }
  if (actual !== expected) mismatch(`expected failure ${expected}, computed ${actual ?? 'success'}`);
}

export const consentRecordKinds = Object.freeze({ consent_record: checkRecord, consent_record_invalid: checkInvalidRecord });

export const consentDecisionKinds = Object.freeze({ consent_sequence: checkSequence });
