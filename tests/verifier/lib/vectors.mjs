// Checkers for every vector kind of tests/vectors/FORMAT.md. A checker recomputes every output from
// the inputs and throws a Mismatch naming the first difference.
import { equal, fromHex, toHex } from './bytes.mjs';
import { fail, failureOf } from './failure.mjs';
import { bobStores, encodePreKeyMessage, encryptTrusted, initiate, initiatorRatchet, respond } from './handshake.mjs';
import { handshakeInfo, handshakeKdf, kdfCk, kdfRk, messageKeys, senderMessageKeys } from './kdf.mjs';
import { checkX25519, x25519Public, xchachaOpen, xchachaSeal } from './primitives.mjs';
import { Labels } from './labels.mjs';
import { makeBundle, makeIdentity, parseIdentityKey, qrMatches, safetyNumber, verifyBundle } from './keys.mjs';
import { Limits } from './limits.mjs';
import { pad, unpad } from './padding.mjs';
import { decrypt, encrypt, initAlice, initBob, stateFingerprint } from './ratchet.mjs';
import { validateEnvelope } from './envelope.mjs';
import { consentDecisionKinds, consentRecordKinds } from './consent-vectors.mjs';
import {
  createSender,
  deleteExpiredKeys,
  distributionMessage,
  emptyReceiver,
  processDistribution,
  receiverDecrypt,
  receiverFingerprint,
  rotateSender,
  senderEncrypt,
  senderFromState,
} from './senderkeys.mjs';
import { randomBytes } from 'node:crypto';
import { contactLinkKinds, contentKinds, deviceListKinds } from './business-vectors.mjs';

export const Protocol = 'E2eChat v1';

export class Mismatch extends Error {
  constructor(message) {
    super(message);
    this.name = 'Mismatch';
  }
}

function mismatch(message) {
  throw new Mismatch(message);
}

// ------------------------------------------------------------------ field readers

function field(o, key, where = '') {
  if (o === null || typeof o !== 'object' || !(key in o)) mismatch(`missing field ${where}${key}`);
  return o[key];
}

function hex(o, key, length = null, where = '') {
  const v = field(o, key, where);
  let bytes;
  try {
    bytes = fromHex(v);
  } catch (e) {
    mismatch(`${where}${key}: ${e.message}`);
  }
  if (length !== null && bytes.length !== length) mismatch(`${where}${key}: expected ${length} bytes, got ${bytes.length}`);
  return bytes;
}

function optionalHex(o, key, where = '') {
  return o && key in o && o[key] !== null ? hex(o, key, null, where) : new Uint8Array(0);
}

function u32(o, key, where = '') {
  const v = field(o, key, where);
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) mismatch(`${where}${key}: not a u32: ${JSON.stringify(v)}`);
  return v;
}

/** u64: a JSON number (exact, below 2^53) or a decimal string. */
function u64(o, key, where = '') {
  const v = field(o, key, where);
  if (Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^(0|[1-9][0-9]*)$/.test(v) && BigInt(v) <= 0xffffffffffffffffn) return BigInt(v);
  return mismatch(`${where}${key}: not a u64: ${JSON.stringify(v)}`);
}

function bool(o, key, where = '') {
  const v = field(o, key, where);
  if (typeof v !== 'boolean') mismatch(`${where}${key}: not a boolean`);
  return v;
}

function str(o, key, where = '') {
  const v = field(o, key, where);
  if (typeof v !== 'string') mismatch(`${where}${key}: not a string`);
  return v;
}

/** An address { name, device } (section 4, Addr): a name of 1-64 chars of [a-z0-9._-], a device 1-255. */
function address(o, key, where = '') {
  const a = field(o, key, where);
  const name = str(a, 'name', `${where}${key}.`);
  const device = u32(a, 'device', `${where}${key}.`);
  if (!/^[a-z0-9._-]{1,64}$/.test(name) || device < 1 || device > 255) mismatch(`${where}${key}: not a valid address`);
  return { name, device };
}

function list(o, key, where = '') {
  const v = field(o, key, where);
  if (!Array.isArray(v)) mismatch(`${where}${key}: not a list`);
  return v;
}

function expectBytes(label, actual, o, key = label) {
  const expected = hex(o, key);
  if (!equal(actual, expected)) mismatch(`${label}: expected ${short(toHex(expected))}, computed ${short(toHex(actual))}`);
}

function expectValue(label, actual, expected) {
  if (actual !== expected) mismatch(`${label}: expected ${JSON.stringify(expected)}, computed ${JSON.stringify(actual)}`);
}

function short(h) {
  return h.length > 72 ? `${h.slice(0, 64)}...(${h.length / 2} bytes)` : h;
}

/** Runs fn; its failure name must equal the vector's `failure`. */
function expectFailure(v, fn, label = '') {
  const expected = str(v, 'failure');
  let actual;
  try {
    actual = failureOf(fn);
  } catch (e) {
    mismatch(`${label}expected failure ${expected}, got an untyped error: ${e.message}`);
  }
  if (actual === null) mismatch(`${label}expected failure ${expected}, but the operation succeeded`);
  if (actual !== expected) mismatch(`${label}expected failure ${expected}, computed ${actual}`);
}

/** Runs fn expecting success; a typed failure is a mismatch. */
function expectSuccess(label, fn) {
  try {
    return fn();
  } catch (e) {
    if (e instanceof Mismatch) throw e;
    mismatch(`${label}: failed with ${e.failure ?? e.message}`);
  }
}

// ------------------------------------------------------------------ shared inputs

function identityInput(o, where) {
  return makeIdentity(hex(o, 'ed25519_seed', 32, where), hex(o, 'x25519_private', 32, where));
}

/** Bob's key inputs (keys.json bundle / handshake.json bob). */
function bundleInput(o, identity, where = '') {
  const oneTimePreKeyId = u32(o, 'one_time_prekey_id', where);
  return {
    identity,
    signedPreKeyId: u32(o, 'signed_prekey_id', where),
    signedPreKeyPrivate: hex(o, 'signed_prekey_private', 32, where),
    oneTimePreKeyId,
    oneTimePreKeyPrivate: oneTimePreKeyId !== 0 ? hex(o, 'one_time_prekey_private', 32, where) : optionalHex(o, 'one_time_prekey_private', where),
    kemPreKeyId: u32(o, 'kem_prekey_id', where),
    kemPreKeyLastResort: bool(o, 'kem_prekey_last_resort', where),
    kemSeed: hex(o, 'kem_seed', 64, where),
  };
}

// ------------------------------------------------------------------ kdf.json

const kdfKinds = {
  kdf_rk(v) {
    const r = kdfRk(hex(v, 'rk', 32), hex(v, 'dh', 32));
    expectBytes('root_key', r.rootKey, v);
    expectBytes('chain_key', r.chainKey, v);
    expectBytes('next_header_key', r.nextHeaderKey, v);
  },
  kdf_ck(v) {
    const r = kdfCk(hex(v, 'chain_key', 32));
    expectBytes('message_key_seed', r.messageKeySeed, v);
    expectBytes('next_chain_key', r.nextChainKey, v);
  },
  message_keys(v) {
    const r = messageKeys(hex(v, 'message_key_seed', 32));
    expectBytes('key', r.key, v);
    expectBytes('nonce', r.nonce, v);
  },
  sender_message_keys(v) {
    const r = senderMessageKeys(hex(v, 'message_key_seed', 32));
    expectBytes('key', r.key, v);
    expectBytes('nonce', r.nonce, v);
  },
  handshake_kdf(v) {
    const info = handshakeInfo(address(v, 'initiator_address'), address(v, 'responder_address'));
    expectBytes('info', info, v);
    const r = handshakeKdf(hex(v, 'ikm'), info);
    expectBytes('root_key', r.rootKey, v);
    expectBytes('header_key_a', r.headerKeyA, v);
    expectBytes('next_header_key_b', r.nextHeaderKeyB, v);
    expectBytes('session_binding', r.sessionBinding, v);
  },
};

// ------------------------------------------------------------------ padding.json

const paddingKinds = {
  pad(v) {
    const plaintext = hex(v, 'plaintext');
    const padded = expectSuccess('pad', () => pad(plaintext));
    expectBytes('padded', padded, v);
    const back = expectSuccess('unpad', () => unpad(padded));
    if (!equal(back, plaintext)) mismatch('unpad(padded) is not the plaintext');
  },
  unpad_invalid(v) {
    const padded = hex(v, 'padded');
    expectFailure(v, () => unpad(padded));
  },
};

// ------------------------------------------------------------------ keys.json

const keysKinds = {
  identity(v) {
    const id = identityInput(v, '');
    expectBytes('identity_key', id.identityKey, v);
    expectSuccess('identity_key validation', () => parseIdentityKey(id.identityKey));
  },
  identity_invalid(v) {
    const ik = hex(v, 'identity_key');
    expectFailure(v, () => parseIdentityKey(ik));
  },
  identity_accepted(v) {
    if (field(v, 'valid') !== true) mismatch('valid: expected true');
    const ik = hex(v, 'identity_key', 128);
    expectSuccess('identity_key validation', () => parseIdentityKey(ik));
  },
  bundle(v) {
    const identity = identityInput(field(v, 'identity'), 'identity.');
    const b = makeBundle(bundleInput(v, identity));
    expectBytes('signed_prekey', b.fields.signed_prekey, v);
    expectBytes('signed_prekey_signature', b.fields.signed_prekey_signature, v);
    expectBytes('one_time_prekey', b.fields.one_time_prekey, v);
    expectBytes('kem_prekey', b.fields.kem_prekey, v);
    expectBytes('kem_prekey_signature', b.fields.kem_prekey_signature, v);
    expectBytes('bundle', b.bundle, v);
    expectSuccess('bundle verification', () => verifyBundle(hex(v, 'bundle')));
  },
  bundle_invalid(v) {
    const bytes = hex(v, 'bundle');
    expectFailure(v, () => verifyBundle(bytes));
  },
  x25519_public_invalid(v) {
    const pub = hex(v, 'public_key');
    expectFailure(v, () => checkX25519(pub));
  },
  safety_number(v) {
    const ia = hex(v, 'identity_a', 128);
    const ib = hex(v, 'identity_b', 128);
    const na = str(v, 'name_a');
    const nb = str(v, 'name_b');
    const a = safetyNumber(ia, na, ib, nb);
    expectBytes('fingerprint_a', a.fingerprintA, v);
    expectBytes('fingerprint_b', a.fingerprintB, v);
    expectValue('digits', a.digits, str(v, 'digits'));
    expectBytes('qr_a', a.qrA, v);
    const b = safetyNumber(ib, nb, ia, na);
    expectValue('digits from B', b.digits, a.digits);
    if (!qrMatches(a.qrA, b.qrA) || !qrMatches(b.qrA, a.qrA)) mismatch('QR payloads of the two sides do not match');
  },
  qr_match(v) {
    const a = safetyNumber(hex(v, 'identity_a', 128), str(v, 'name_a'), hex(v, 'identity_b', 128), str(v, 'name_b'));
    expectValue('matches', qrMatches(hex(v, 'qr_scanned'), a.qrA), bool(v, 'matches'));
  },
};

// ------------------------------------------------------------------ handshake.json

function handshakeSetup(v) {
  const alice = identityInput(field(v, 'alice'), 'alice.');
  const bobObj = field(v, 'bob');
  const bob = bundleInput(bobObj, identityInput(bobObj, 'bob.'), 'bob.');
  const bundle = makeBundle(bob);
  return { alice, bob, bundle };
}

/** Alice's random source for one handshake: exactly the recorded base key and ML-KEM `m`, in order. */
function recordedRandom(values) {
  const queue = [...values];
  return (n) => {
    const next = queue.shift();
    if (next === undefined) mismatch(`the handshake draws more randomness (${n} bytes) than recorded`);
    if (next.length !== n) mismatch(`the handshake draws ${n} random bytes where ${next.length} are recorded`);
    return next;
  };
}

const handshakeKinds = {
  handshake(v) {
    const { alice, bob, bundle } = handshakeSetup(v);
    const aliceAddress = address(v, 'alice_address');
    const bobAddress = address(v, 'bob_address');
    const recorded = [hex(v, 'base_key_private', 32), hex(v, 'kem_encaps_m', 32)];
    const random = recordedRandom(recorded);
    const r = expectSuccess('initiate', () => initiate(alice, bundle.bundle, random, aliceAddress, bobAddress));
    for (const [k, val] of [
      ['dh1', r.dh1],
      ['dh2', r.dh2],
      ['dh3', r.dh3],
      ['dh4', r.dh4],
      ['kem_ciphertext', r.kemCiphertext],
      ['kem_shared_secret', r.kemSharedSecret],
      ['info', r.info],
      ['root_key', r.rootKey],
      ['header_key_a', r.headerKeyA],
      ['next_header_key_b', r.nextHeaderKeyB],
      ['session_binding', r.sessionBinding],
      ['associated_data', r.associatedData],
    ]) {
      expectBytes(k, val, v);
    }
    // Bob's side must derive the same values from a PreKeyMessage built over them.
    const aliceState = initiatorRatchet(r, randomBytes(32));
    const first = encrypt(aliceState, Uint8Array.of(1, 2, 3), randomBytes(24));
    const pkm = encodePreKeyMessage(r.preKeyFields, first.header, first.ciphertext);
    const b = expectSuccess("Bob's side", () => respond(bobStores(bob, bobAddress), pkm, () => randomBytes(32), aliceAddress));
    for (const k of ['rootKey', 'headerKeyA', 'nextHeaderKeyB', 'sessionBinding', 'associatedData']) {
      if (!equal(b.derived[k], r[k])) mismatch(`Bob's side derives a different ${k}`);
    }
    if (!equal(b.plaintext, Uint8Array.of(1, 2, 3))) mismatch("Bob's side decrypts a different first message");
  },
  handshake_invalid(v) {
    const { bob } = handshakeSetup(v);
    // Alice's inputs are those the valid message was made with (it may have been changed since).
    hex(v, 'base_key_private', 32);
    hex(v, 'kem_encaps_m', 32);
    const message = hex(v, 'prekey_message');
    const replay = bool(v, 'replay');
    // The envelope's sender and Bob's own address, as Bob receives the message.
    const sender = address(v, 'alice_address');
    let stores = bobStores(bob, address(v, 'bob_address'), optionalHex(v, 'trusted_identity'));
    if (replay) {
      const first = expectSuccess('the first run of the replayed message', () => respond(stores, message, () => randomBytes(32), sender));
      stores = first.commit();
    }
    expectFailure(v, () => respond(stores, message, () => randomBytes(32), sender), replay ? 'replay: ' : '');
  },
  handshake_bundle_invalid(v) {
    const alice = identityInput(field(v, 'alice'), 'alice.');
    const bundle = hex(v, 'bundle');
    expectFailure(v, () =>
      initiate(
        alice,
        bundle,
        () => mismatch('the handshake draws randomness before refusing the bundle'),
        { name: 'alice', device: 1 },
        { name: 'bob', device: 1 },
        optionalHex(v, 'trusted_identity'),
      ),
    );
  },
  session_encrypt_trust(v) {
    // Section 8.1: Alice starts a session from the bundle (trust on first use records its identity),
    // the application approves each identity of `approved` in turn, and Alice encrypts. The outcome
    // does not depend on the randomness, so fresh random bytes stand in for it.
    const alice = identityInput(field(v, 'alice'), 'alice.');
    const bundle = hex(v, 'bundle');
    const approved = list(v, 'approved').map((_, i) => hex(v.approved, i, 128, 'approved.'));
    const random = (n) => new Uint8Array(randomBytes(n));
    const peer = expectSuccess('the bundle', () => verifyBundle(bundle)).identity_key;
    const session = expectSuccess('starting the session', () =>
      initiate(alice, bundle, random, { name: 'alice', device: 1 }, { name: 'bob', device: 1 }),
    );
    const trusted = approved.length === 0 ? peer : approved[approved.length - 1];
    const state = initiatorRatchet(session, random(32));
    const run = () => encryptTrusted(state, peer, trusted, hex(v, 'plaintext'), random(24));
    if (str(v, 'failure') === 'None') expectSuccess('encrypting', run);
    else expectFailure(v, run);
  },
};

// ------------------------------------------------------------------ ratchet.json

function replayTranscript(v) {
  const init = field(v, 'initial');
  const common = {
    rootKey: hex(init, 'root_key', 32, 'initial.'),
    headerKeyA: hex(init, 'header_key_a', 32, 'initial.'),
    nextHeaderKeyB: hex(init, 'next_header_key_b', 32, 'initial.'),
    associatedData: hex(init, 'associated_data', null, 'initial.'),
  };
  const bobPriv = hex(init, 'bob_ratchet_private', 32, 'initial.');
  const states = {
    alice: expectSuccess('Alice initialization', () =>
      initAlice({ ...common, bobRatchetPublic: x25519Public(bobPriv), aliceRatchetPrivate: hex(init, 'alice_ratchet_private', 32, 'initial.') }),
    ),
    bob: initBob({ ...common, bobRatchetPrivate: bobPriv }),
  };
  const sent = new Map();
  const steps = list(v, 'steps');
  if (steps.length === 0) mismatch('no steps');
  steps.forEach((step, i) => {
    const where = `steps[${i}].`;
    const at = (m) => `step ${i} (${step.op} by ${step.party}${step.id ? ` ${step.id}` : ''}): ${m}`;
    const party = str(step, 'party', where);
    if (party !== 'alice' && party !== 'bob') mismatch(at(`unknown party ${party}`));
    const op = str(step, 'op', where);
    try {
      if (op === 'encrypt') {
        const id = str(step, 'id', where);
        if (sent.has(id)) mismatch(`duplicate id ${id}`);
        const plaintext = hex(step, 'plaintext', null, where);
        const r = expectSuccess('encrypt', () => encrypt(states[party], plaintext, hex(step, 'header_nonce', 24, where)));
        expectBytes('header', r.header, step);
        expectBytes('ciphertext', r.ciphertext, step);
        states[party] = r.state;
        sent.set(id, { header: r.header, ciphertext: r.ciphertext });
      } else if (op === 'decrypt') {
        const id = str(step, 'id', where);
        const msg = sent.get(id);
        if (!msg) mismatch(`no encrypt step with id ${id} before it`);
        const nrp = hex(step, 'new_ratchet_private', null, where);
        if (nrp.length !== 0 && nrp.length !== 32) mismatch('new_ratchet_private must be 32 bytes or empty');
        const r = expectSuccess('decrypt', () =>
          decrypt(states[party], msg.header, msg.ciphertext, () => {
            if (nrp.length === 0) mismatch('the decrypt performs a DH ratchet step but new_ratchet_private is empty');
            return nrp;
          }),
        );
        if (!r.ratcheted && nrp.length !== 0) mismatch('new_ratchet_private is given but the decrypt performs no DH ratchet step');
        expectBytes('plaintext', r.plaintext, step);
        states[party] = r.state;
      } else if (op === 'decrypt_fail') {
        let header;
        let ciphertext;
        if ('header' in step) {
          header = hex(step, 'header', null, where);
          ciphertext = hex(step, 'ciphertext', null, where);
        } else {
          const msg = sent.get(str(step, 'id', where));
          if (!msg) mismatch(`no encrypt step with id ${step.id} before it`);
          ({ header, ciphertext } = msg);
        }
        const before = stateFingerprint(states[party]);
        expectFailure(step, () => decrypt(states[party], header, ciphertext, () => randomBytes(32)));
        if (stateFingerprint(states[party]) !== before) mismatch('state changed by a failed decrypt');
      } else if (op === 'skip') {
        // Messages encrypted and lost: their bytes are not recorded, so any plaintext and header
        // nonce leave the same chain state.
        const count = u32(step, 'count', where);
        for (let k = 0; k < count; k++) {
          states[party] = expectSuccess('skip', () => encrypt(states[party], new Uint8Array(0), new Uint8Array(24))).state;
        }
      } else if (op === 'set_counter') {
        // A test hook: the party's Ns or Nr becomes the value, nothing else changes (FORMAT.md).
        const counter = str(step, 'counter', where);
        if (counter !== 'ns' && counter !== 'nr') mismatch(`unknown counter ${counter}`);
        states[party] = { ...states[party], [counter]: u32(step, 'value', where) };
      } else if (op === 'encrypt_fail') {
        const before = stateFingerprint(states[party]);
        expectFailure(step, () => encrypt(states[party], hex(step, 'plaintext', null, where), new Uint8Array(24)));
        if (stateFingerprint(states[party]) !== before) mismatch('state changed by a failed encrypt');
      } else {
        mismatch(`unknown op ${JSON.stringify(op)}`);
      }
    } catch (e) {
      if (e instanceof Mismatch) throw new Mismatch(at(e.message));
      throw e;
    }
  });
  return steps;
}

// PROTOCOL.md 5.6: one responder's record over several sessions with the same peer.
function ratchetInitial(init, where) {
  return {
    rootKey: hex(init, 'root_key', 32, where),
    headerKeyA: hex(init, 'header_key_a', 32, where),
    nextHeaderKeyB: hex(init, 'next_header_key_b', 32, where),
    associatedData: hex(init, 'associated_data', null, where),
  };
}

function replaySessionRecord(v) {
  const sessions = list(v, 'sessions').map((init, i) => {
    const where = `sessions[${i}].`;
    const common = ratchetInitial(init, where);
    const bobPriv = hex(init, 'bob_ratchet_private', 32, where);
    const alice = expectSuccess(`session ${i}: Alice initialization`, () =>
      initAlice({ ...common, bobRatchetPublic: x25519Public(bobPriv), aliceRatchetPrivate: hex(init, 'alice_ratchet_private', 32, where) }),
    );
    return { common, bobPriv, alice, started: false };
  });
  let record = []; // { session, state }: the current state first, then the archived ones, newest first
  const sent = new Map();
  const expectRecord = (step, where) => {
    const expected = list(step, 'record', where);
    const actual = record.map((e) => e.session);
    if (expected.length !== actual.length || expected.some((s, k) => s !== actual[k])) {
      mismatch(`record: expected [${expected.join(', ')}], computed [${actual.join(', ')}]`);
    }
  };
  const steps = list(v, 'steps');
  if (steps.length === 0) mismatch('no steps');
  steps.forEach((step, i) => {
    const where = `steps[${i}].`;
    const op = str(step, 'op', where);
    try {
      if (op === 'start') {
        const n = u32(step, 'session', where);
        const session = sessions[n];
        if (!session || session.started) mismatch(`session ${n} does not exist or was started before`);
        session.started = true;
        record = [{ session: n, state: initBob({ ...session.common, bobRatchetPrivate: session.bobPriv }) }, ...record];
        if (record.length > 1 + Limits.MaxArchivedStates) record = record.slice(0, 1 + Limits.MaxArchivedStates);
        expectRecord(step, where);
      } else if (op === 'encrypt') {
        const n = u32(step, 'session', where);
        const session = sessions[n];
        if (!session) mismatch(`no session ${n}`);
        const id = str(step, 'id', where);
        if (sent.has(id)) mismatch(`duplicate id ${id}`);
        const r = expectSuccess('encrypt', () => encrypt(session.alice, hex(step, 'plaintext', null, where), hex(step, 'header_nonce', 24, where)));
        expectBytes('header', r.header, step);
        expectBytes('ciphertext', r.ciphertext, step);
        session.alice = r.state;
        sent.set(id, r);
      } else if (op === 'decrypt' || op === 'decrypt_fail') {
        const msg = sent.get(str(step, 'id', where));
        if (!msg) mismatch(`no encrypt step with id ${step.id} before it`);
        const nrp = op === 'decrypt' ? hex(step, 'new_ratchet_private', null, where) : null;
        // The current state first, then the archived ones in order; the first that opens the
        // message is committed and becomes current. Otherwise the current state's failure.
        let currentFailure = 'NoSession';
        let opened = null;
        for (let k = 0; k < record.length && opened === null; k++) {
          let failure = null;
          try {
            const r = decrypt(record[k].state, msg.header, msg.ciphertext, () => {
              if (nrp === null) return randomBytes(32); // a failing decryption's ratchet key is irrelevant
              if (nrp.length !== 32) mismatch('the decrypt performs a DH ratchet step but new_ratchet_private is not 32 bytes');
              return nrp;
            });
            opened = { k, r };
          } catch (e) {
            if (e instanceof Mismatch || e.failure === undefined) throw e;
            failure = e.failure;
          }
          if (k === 0 && failure !== null) currentFailure = failure;
        }
        if (op === 'decrypt_fail') {
          if (opened !== null) mismatch(`expected failure ${str(step, 'failure', where)}, but state ${opened.k} opened the message`);
          if (currentFailure !== str(step, 'failure', where)) mismatch(`expected failure ${step.failure}, computed ${currentFailure}`);
        } else {
          if (opened === null) mismatch(`decrypt: failed with ${currentFailure}`);
          if (!opened.r.ratcheted && nrp.length !== 0) mismatch('new_ratchet_private is given but the decrypt performs no DH ratchet step');
          expectBytes('plaintext', opened.r.plaintext, step);
          const entry = { session: record[opened.k].session, state: opened.r.state };
          record = [entry, ...record.filter((_, k) => k !== opened.k)];
        }
        expectRecord(step, where);
      } else {
        mismatch(`unknown op ${JSON.stringify(op)}`);
      }
    } catch (e) {
      if (e instanceof Mismatch) throw new Mismatch(`step ${i} (${op}${step.id ? ` ${step.id}` : ''}): ${e.message}`);
      throw e;
    }
  });
}

const ratchetKinds = {
  session_record(v) {
    replaySessionRecord(v);
  },
  transcript(v) {
    replayTranscript(v);
  },
  ratchet_invalid(v) {
    const steps = replayTranscript(v);
    if (steps[steps.length - 1].op !== 'decrypt_fail') mismatch('the last step is not a decrypt_fail');
  },
};

// ------------------------------------------------------------------ envelopes.json

const envelopeKinds = {
  envelope(v) {
    const bytes = hex(v, 'envelope');
    const env = expectSuccess('envelope validation', () => validateEnvelope(bytes));
    expectValue('type', env.type, u32(v, 'type'));
    if (field(v, 'valid') !== true) mismatch('valid is not true');
  },
  envelope_invalid(v) {
    const bytes = hex(v, 'envelope');
    expectFailure(v, () => validateEnvelope(bytes));
  },
};

// ------------------------------------------------------------------ sender_keys.json

/** A random source over exactly `bytes`: draws must use them all, in order, and no more. */
function exactly(bytes, label) {
  let pos = 0;
  const random = (n) => {
    if (pos + n > bytes.length) mismatch(`${label}: the implementation draws more than the ${bytes.length} recorded bytes`);
    const out = bytes.slice(pos, pos + n);
    pos += n;
    return out;
  };
  random.done = () => {
    if (pos !== bytes.length) mismatch(`${label}: ${bytes.length} bytes recorded, ${pos} drawn`);
  };
  return random;
}

/** The sender's generation values of a vector or rotate step, compared with the computed state. */
function expectGeneration(o, sender, where, withDistributionId) {
  if (withDistributionId) expectBytes(`${where}distribution_id`, sender.distributionId, o, 'distribution_id');
  expectValue(`${where}chain_id`, sender.chainId, u32(o, 'chain_id', where));
  expectBytes(`${where}chain_key`, sender.chainKey, o, 'chain_key');
  expectBytes(`${where}signing_seed`, sender.signingSeed, o, 'signing_seed');
  expectBytes(`${where}signing_key`, sender.signingKey, o, 'signing_key');
}

const senderKeyKinds = {
  sender_key_transcript(v) {
    let sender;
    if ('random' in v) {
      const random = exactly(hex(v, 'random'), 'random');
      sender = expectSuccess('creating the sender', () => createSender(random));
      random.done();
      expectValue('iteration', 0, u32(v, 'iteration'));
      expectGeneration(v, sender, '', true);
    } else {
      sender = senderFromState({
        distributionId: hex(v, 'distribution_id', 16),
        chainId: u32(v, 'chain_id'),
        iteration: u32(v, 'iteration'),
        chainKey: hex(v, 'chain_key', 32),
        signingSeed: hex(v, 'signing_seed', 32),
      });
      expectBytes('signing_key', sender.signingKey, v);
    }
    const now = u64(v, 'now_ms');
    let receiver = emptyReceiver();
    const posts = new Map();
    const steps = list(v, 'steps');
    if (steps.length === 0) mismatch('no steps');
    steps.forEach((step, i) => {
      const where = `steps[${i}].`;
      const op = str(step, 'op', where);
      try {
        if (op === 'distribute') {
          const d = expectSuccess('distribution', () => distributionMessage(sender));
          expectBytes('distribution', d, step);
          receiver = expectSuccess('processing the distribution', () => processDistribution(receiver, d));
        } else if (op === 'encrypt') {
          const id = str(step, 'id', where);
          if (posts.has(id)) mismatch(`duplicate id ${id}`);
          const plaintext = hex(step, 'plaintext', null, where);
          const r = expectSuccess('encrypt', () => senderEncrypt(sender, plaintext, u64(step, 'expires_at_ms', where)));
          expectValue('iteration', r.iteration, u32(step, 'iteration', where));
          expectBytes('ciphertext', r.ciphertext, step);
          expectBytes('signature', r.signature, step);
          expectBytes('message', r.message, step);
          sender = r.state;
          posts.set(id, { message: r.message, plaintext });
        } else if (op === 'set_counter') {
        // A test hook: the party's Ns or Nr becomes the value, nothing else changes (FORMAT.md).
        const counter = str(step, 'counter', where);
        if (counter !== 'ns' && counter !== 'nr') mismatch(`unknown counter ${counter}`);
        states[party] = { ...states[party], [counter]: u32(step, 'value', where) };
      } else if (op === 'encrypt_fail') {
          const plaintext = hex(step, 'plaintext', null, where);
          expectFailure(step, () => senderEncrypt(sender, plaintext, u64(step, 'expires_at_ms', where)));
        } else if (op === 'rotate') {
          const random = exactly(hex(step, 'random', null, where), 'random');
          sender = expectSuccess('rotate', () => rotateSender(sender, random));
          random.done();
          expectGeneration(step, sender, '', false);
        } else if (op === 'decrypt') {
          const id = str(step, 'id', where);
          const post = posts.get(id);
          if (!post) mismatch(`no encrypt step with id ${id} before it`);
          const r = expectSuccess('decrypt', () => receiverDecrypt(receiver, post.message, now));
          expectBytes('plaintext', r.plaintext, step);
          if (!equal(r.plaintext, post.plaintext)) mismatch('the receiver decrypts another plaintext than was encrypted');
          receiver = r.receiver;
        } else {
          mismatch(`unknown op ${JSON.stringify(op)}`);
        }
      } catch (e) {
        if (e instanceof Mismatch) throw new Mismatch(`step ${i} (${op}${step.id ? ` ${step.id}` : ''}): ${e.message}`);
        throw e;
      }
    });
  },
  sender_key_invalid(v) {
    let receiver = emptyReceiver();
    list(v, 'receiver').forEach((step, i) => {
      const where = `receiver[${i}].`;
      const op = str(step, 'op', where);
      if (op === 'distribution') {
        const d = hex(step, 'distribution', null, where);
        receiver = expectSuccess(`${where}distribution`, () => processDistribution(receiver, d));
      } else if (op === 'deliver') {
        const m = hex(step, 'message', null, where);
        receiver = expectSuccess(`${where}deliver`, () => receiverDecrypt(receiver, m, u64(step, 'now_ms', where))).receiver;
      } else if (op === 'delete_expired') {
        receiver = deleteExpiredKeys(receiver, u64(step, 'now_ms', where)).receiver;
      } else {
        mismatch(`${where}op: unknown op ${JSON.stringify(op)}`);
      }
    });
    const message = hex(v, 'message');
    const before = receiverFingerprint(receiver);
    expectFailure(v, () => receiverDecrypt(receiver, message, u64(v, 'now_ms')));
    if (receiverFingerprint(receiver) !== before) mismatch('the refused message changed the receiver');
  },
};

// ------------------------------------------------------------------ stored.json

/** Section 10: sealed = 0x01 || nonce || XChaCha20-Poly1305(key, nonce, state, aad = label || 0x01). */
const SealedAad = Uint8Array.from([...Labels.sealedState, 0x01]);

function openSealed(key, sealed) {
  if (sealed.length < 1 + 24 + 16 || sealed[0] !== 0x01) return null;
  return xchachaOpen(key, sealed.subarray(1, 25), sealed.subarray(25), SealedAad);
}

const storedKinds = {
  sealed_state(v) {
    const key = hex(v, 'storage_key', 32);
    const nonce = hex(v, 'nonce', 24);
    const state = hex(v, 'state');
    expectBytes('sealed', Uint8Array.from([0x01, ...nonce, ...xchachaSeal(key, nonce, state, SealedAad)]), v);
    const opened = openSealed(key, hex(v, 'sealed'));
    if (opened === null || !equal(opened, state)) mismatch('sealed does not open to state');
  },
  sealed_state_invalid(v) {
    const key = hex(v, 'storage_key', 32);
    const sealed = hex(v, 'sealed');
    expectFailure(v, () => {
      if (openSealed(key, sealed) === null) fail('Unauthentic');
    });
  },
};

// ------------------------------------------------------------------ files

/** The known files, in checking order, with the kinds each may hold. */
export const KnownFiles = Object.freeze({
  'kdf.json': kdfKinds,
  'padding.json': paddingKinds,
  'keys.json': keysKinds,
  'handshake.json': handshakeKinds,
  'ratchet.json': ratchetKinds,
  'envelopes.json': envelopeKinds,
  'sender_keys.json': senderKeyKinds,
  'device-lists.json': deviceListKinds,
  'contact-links.json': contactLinkKinds,
  'content.json': contentKinds,
  'consent-records.json': consentRecordKinds,
  'consent-decisions.json': consentDecisionKinds,
  'stored.json': storedKinds,
});

/**
 * Checks one parsed vector file. Returns { checked, passed, failed, problems: [message] }: `checked`
 * counts vectors, `failed` counts failed vectors plus file-level problems (header, no vectors).
 */
export function checkFile(fileName, doc) {
  const kinds = KnownFiles[fileName];
  const problems = [];
  let checked = 0;
  let passed = 0;
  let fileErrors = 0;
  const result = () => ({ checked, passed, failed: checked - passed + fileErrors, problems });
  if (!kinds) {
    fileErrors++;
    problems.push(`unknown vector file ${fileName}`);
    return result();
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    fileErrors++;
    problems.push('not a JSON object');
    return result();
  }
  if (doc.protocol !== Protocol) {
    fileErrors++;
    problems.push(`protocol is ${JSON.stringify(doc.protocol)}, expected ${JSON.stringify(Protocol)}`);
  }
  if (doc.file !== fileName) {
    fileErrors++;
    problems.push(`file is ${JSON.stringify(doc.file)}, expected ${JSON.stringify(fileName)}`);
  }
  if (typeof doc.generator !== 'string' || doc.generator.length === 0) {
    fileErrors++;
    problems.push('generator is missing');
  }
  if (!Array.isArray(doc.vectors) || doc.vectors.length === 0) {
    fileErrors++;
    problems.push('no vectors');
    return result();
  }
  const names = new Set();
  doc.vectors.forEach((v, i) => {
    checked++;
    const label = v && typeof v.name === 'string' ? v.name : `#${i}`;
    try {
      if (typeof v?.name !== 'string' || v.name.length === 0) mismatch('missing name');
      if (names.has(v.name)) mismatch('duplicate name');
      names.add(v.name);
      const check = Object.hasOwn(kinds, v.kind) ? kinds[v.kind] : null;
      if (!check) mismatch(`unknown kind ${JSON.stringify(v.kind)}`);
      check(v);
      passed++;
    } catch (e) {
      problems.push(`${label}: ${e instanceof Mismatch ? e.message : `error: ${e.stack}`}`);
    }
  });
  return result();
}
