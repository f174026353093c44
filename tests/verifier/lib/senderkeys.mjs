// PROTOCOL.md section 7: sender keys (broadcasts and status).
//
// Sender: createSender / senderFromState, senderEncrypt, distributionMessage, rotateSender.
// Receiver (one sender's records, one per distribution id): emptyReceiver, processDistribution,
// receiverDecrypt, deleteExpiredKeys. Every function returns new state; inputs are never changed,
// so a refused message leaves the caller's state exactly as it was.
import { concat, equal, readU32be, toHex, u32be, u64be } from './bytes.mjs';
import { fail, mapFailure } from './failure.mjs';
import { kdfCk, senderMessageKeys } from './kdf.mjs';
import { domainMessage } from './keys.mjs';
import { Labels } from './labels.mjs';
import { Limits } from './limits.mjs';
import { pad, unpad } from './padding.mjs';
import { chachaOpen, chachaSeal, ed25519Public, ed25519Sign, ed25519Verify } from './primitives.mjs';
import { encode } from './protobuf.mjs';
import { readCanonical, SenderKeyMessageRules } from './envelope.mjs';
import { SenderKeyDistribution, SenderKeyMessage } from './wire.mjs';

const U64Max = 0xffffffffffffffffn;

/** header = distribution_id (16) || u32be(chain_id) || u32be(iteration) || u64be(expires_at_ms). */
export function senderKeyHeader(distributionId, chainId, iteration, expiresAtMs) {
  return concat(distributionId, u32be(chainId), u32be(iteration), u64be(expiresAtMs));
}

// ------------------------------------------------------------------ sender

/** A sender state from its values: { distributionId, chainId, iteration, chainKey, signingSeed, signingKey }. */
export function senderFromState({ distributionId, chainId, iteration = 0, chainKey, signingSeed }) {
  return { distributionId, chainId, iteration, chainKey, signingSeed, signingKey: ed25519Public(signingSeed) };
}

/** u32be of 4 random bytes, drawn again while it is 0 or `current`. */
function drawChainId(random, current) {
  for (;;) {
    const id = readU32be(random(4), 0);
    if (id !== 0 && id !== current) return id;
  }
}

/**
 * A new sender state (section 7): draws, in order, the distribution id (16), the chain id (4 bytes,
 * again while 0), the chain key (32) and the signing seed (32). random(n) returns n bytes.
 */
export function createSender(random) {
  const distributionId = random(16);
  const chainId = drawChainId(random, 0);
  const chainKey = random(32);
  const signingSeed = random(32);
  return senderFromState({ distributionId, chainId, iteration: 0, chainKey, signingSeed });
}

/** Rotation: a new chain id (again while 0 or the current one), chain key and signing seed; iteration 0. */
export function rotateSender(state, random) {
  const chainId = drawChainId(random, state.chainId);
  const chainKey = random(32);
  const signingSeed = random(32);
  return senderFromState({ distributionId: state.distributionId, chainId, iteration: 0, chainKey, signingSeed });
}

/** The canonical SenderKeyDistribution of the sender's current generation at its current iteration. */
export function distributionMessage(state) {
  if (state.iteration > Limits.MaxChainCounter) fail('ChainExhausted');
  return encode(SenderKeyDistribution, {
    distribution_id: state.distributionId,
    chain_id: state.chainId,
    iteration: state.iteration,
    chain_key: state.chainKey,
    signing_key: state.signingKey,
  });
}

/**
 * Encrypts one post at the sender's current iteration. Returns { state, iteration, ciphertext,
 * signature, message (SenderKeyMessage bytes) }; fails PlaintextTooLong or ChainExhausted.
 */
export function senderEncrypt(state, plaintext, expiresAtMs) {
  if (plaintext.length > Limits.MaxPlaintextLength) fail('PlaintextTooLong');
  if (state.iteration > Limits.MaxChainCounter) fail('ChainExhausted');
  const iteration = state.iteration;
  const { messageKeySeed, nextChainKey } = kdfCk(state.chainKey);
  const { key, nonce } = senderMessageKeys(messageKeySeed);
  const header = senderKeyHeader(state.distributionId, state.chainId, iteration, expiresAtMs);
  const ciphertext = chachaSeal(key, nonce, pad(plaintext), header);
  const signature = ed25519Sign(state.signingSeed, domainMessage(Labels.senderKeyMessage, header, ciphertext));
  const message = encode(SenderKeyMessage, {
    distribution_id: state.distributionId,
    chain_id: state.chainId,
    iteration,
    expires_at_ms: BigInt(expiresAtMs),
    ciphertext,
    signature,
  });
  return { state: { ...state, iteration: iteration + 1, chainKey: nextChainKey }, iteration, ciphertext, signature, message };
}

// ------------------------------------------------------------------ parsing (canonical only)

const malformedIf = (bad) => (bad ? 'Malformed' : null);

const DistributionRules = {
  name: 'SenderKeyDistribution',
  fields: [
    { number: 1, name: 'distribution_id', type: 'bytes', missing: 'Malformed', check: (v) => malformedIf(v.length !== 16) },
    { number: 2, name: 'chain_id', type: 'uint32', missing: 'Malformed', check: () => null },
    { number: 3, name: 'iteration', type: 'uint32', missing: null, check: (v) => malformedIf(v > BigInt(Limits.MaxChainCounter)) },
    { number: 4, name: 'chain_key', type: 'bytes', missing: 'Malformed', check: (v) => malformedIf(v.length !== 32) },
    { number: 5, name: 'signing_key', type: 'bytes', missing: 'Malformed', check: (v) => malformedIf(v.length !== 32) },
  ],
};

/**
 * A SenderKeyMessage: the canonical encoding with the field rules of section 8's table, and
 * iteration at most 4294967294; anything else is Malformed. Returns { distributionId, chainId,
 * iteration, expiresAtMs (BigInt), ciphertext, signature }.
 */
export function parseSenderKeyMessage(bytes) {
  const m = mapFailure(() => readCanonical(bytes, SenderKeyMessageRules), 'Malformed');
  const iteration = m.iteration ?? 0n;
  if (iteration > BigInt(Limits.MaxChainCounter)) fail('Malformed');
  return {
    distributionId: m.distribution_id,
    chainId: Number(m.chain_id),
    iteration: Number(iteration),
    expiresAtMs: m.expires_at_ms ?? 0n,
    ciphertext: m.ciphertext,
    signature: m.signature,
  };
}

/** A SenderKeyDistribution, canonical and with section 7's field rules, else Malformed. */
export function parseDistribution(bytes) {
  const d = mapFailure(() => readCanonical(bytes, DistributionRules), 'Malformed');
  return {
    distributionId: d.distribution_id,
    chainId: Number(d.chain_id),
    iteration: Number(d.iteration ?? 0n),
    chainKey: d.chain_key,
    signingKey: d.signing_key,
  };
}

// ------------------------------------------------------------------ receiver

/**
 * A receiver's records for one sender: Map(hex(distribution id) -> record), where a record is
 * { distributionId, states: [{ chainId, nr, chainKey, signingKey }] newest first,
 *   skipped: [{ chainId, iteration, deleteAfterMs (BigInt), mk }] oldest (first stored) first }.
 */
export function emptyReceiver() {
  return new Map();
}

function cloneRecord(r) {
  return { distributionId: r.distributionId, states: r.states.map((s) => ({ ...s })), skipped: r.skipped.slice() };
}

function withRecord(receiver, record) {
  const out = new Map(receiver);
  out.set(toHex(record.distributionId), record);
  return out;
}

/**
 * Processes a distribution (received through the pairwise session with the sender). The record of
 * its distribution id is created by the first one. A held chain id with the same signing key moves
 * to the front unchanged; with another signing key it is dropped with its skipped keys and the new
 * generation is added as for a new chain id: newest, evicting the oldest (and its skipped keys)
 * beyond MaxSenderKeyStates.
 */
export function processDistribution(receiver, bytes) {
  const d = parseDistribution(bytes);
  const key = toHex(d.distributionId);
  const record = receiver.has(key) ? cloneRecord(receiver.get(key)) : { distributionId: d.distributionId, states: [], skipped: [] };
  const held = record.states.findIndex((s) => s.chainId === d.chainId);
  if (held >= 0) {
    const [existing] = record.states.splice(held, 1);
    if (equal(existing.signingKey, d.signingKey)) {
      record.states.unshift(existing);
      return withRecord(receiver, record);
    }
    record.skipped = record.skipped.filter((k) => k.chainId !== existing.chainId);
  }
  record.states.unshift({ chainId: d.chainId, nr: d.iteration, chainKey: d.chainKey, signingKey: d.signingKey });
  while (record.states.length > Limits.MaxSenderKeyStates) {
    const oldest = record.states.pop();
    record.skipped = record.skipped.filter((k) => k.chainId !== oldest.chainId);
  }
  return withRecord(receiver, record);
}

/**
 * Decrypts a post at the receiver's clock nowMs (section 7 steps 1-7). Returns { receiver,
 * plaintext, expiresAtMs }, or fails, in this order: Malformed, UnknownSenderKey, BadSignature,
 * Expired, Duplicate / TooBigGap, InvalidCiphertext, InvalidPadding.
 */
export function receiverDecrypt(receiver, bytes, nowMs) {
  const now = BigInt(nowMs);
  const m = parseSenderKeyMessage(bytes);
  const stored = receiver.get(toHex(m.distributionId));
  if (stored === undefined) fail('UnknownSenderKey');
  const index = stored.states.findIndex((s) => s.chainId === m.chainId);
  if (index < 0) fail('UnknownSenderKey');
  const state = stored.states[index];
  const header = senderKeyHeader(m.distributionId, m.chainId, m.iteration, m.expiresAtMs);
  if (!ed25519Verify(state.signingKey, domainMessage(Labels.senderKeyMessage, header, m.ciphertext), m.signature)) fail('BadSignature');
  if (m.expiresAtMs !== 0n && m.expiresAtMs <= now) fail('Expired');

  let mk;
  let usedSkipped = -1;
  const derived = [];
  let nextChainKey = null;
  if (m.iteration < state.nr) {
    usedSkipped = stored.skipped.findIndex((k) => k.chainId === m.chainId && k.iteration === m.iteration);
    if (usedSkipped < 0) fail('Duplicate');
    mk = stored.skipped[usedSkipped].mk;
  } else {
    if (m.iteration - state.nr > Limits.MaxSenderKeyGap) fail('TooBigGap');
    let ck = state.chainKey;
    for (let i = state.nr; i < m.iteration; i++) {
      const step = kdfCk(ck);
      derived.push({ iteration: i, mk: step.messageKeySeed });
      ck = step.nextChainKey;
    }
    const step = kdfCk(ck);
    mk = step.messageKeySeed;
    nextChainKey = step.nextChainKey;
  }

  const { key, nonce } = senderMessageKeys(mk);
  const padded = chachaOpen(key, nonce, m.ciphertext, header);
  if (padded === null) fail('InvalidCiphertext');
  const plaintext = unpad(padded);

  // Commit.
  const record = cloneRecord(stored);
  if (usedSkipped >= 0) {
    record.skipped.splice(usedSkipped, 1);
  } else {
    let deleteAfterMs = 0n;
    if (m.expiresAtMs !== 0n) {
      deleteAfterMs = now + BigInt(Limits.StatusLifetimeMilliseconds);
      if (deleteAfterMs > U64Max) deleteAfterMs = U64Max;
    }
    for (const k of derived) record.skipped.push({ chainId: m.chainId, iteration: k.iteration, deleteAfterMs, mk: k.mk });
    if (record.skipped.length > Limits.MaxSenderKeySkippedKeys) record.skipped.splice(0, record.skipped.length - Limits.MaxSenderKeySkippedKeys);
    record.states[index] = { ...state, nr: m.iteration + 1, chainKey: nextChainKey };
  }
  return { receiver: withRecord(receiver, record), plaintext, expiresAtMs: m.expiresAtMs };
}

/** DeleteExpiredKeys(now): every skipped key with deleteAfterMs nonzero and <= now. Returns { receiver, deleted }. */
export function deleteExpiredKeys(receiver, nowMs) {
  const now = BigInt(nowMs);
  let deleted = 0;
  const out = new Map();
  for (const [key, record] of receiver) {
    const copy = cloneRecord(record);
    copy.skipped = record.skipped.filter((k) => k.deleteAfterMs === 0n || k.deleteAfterMs > now);
    deleted += record.skipped.length - copy.skipped.length;
    out.set(key, copy);
  }
  return { receiver: out, deleted };
}

/** A string that changes whenever anything in the receiver's records changes (for "unchanged" checks). */
export function receiverFingerprint(receiver) {
  const parts = [];
  for (const key of [...receiver.keys()].sort()) {
    const r = receiver.get(key);
    parts.push(key);
    for (const s of r.states) parts.push(`s${s.chainId}:${s.nr}:${toHex(s.chainKey)}:${toHex(s.signingKey)}`);
    for (const k of r.skipped) parts.push(`k${k.chainId}:${k.iteration}:${k.deleteAfterMs}:${toHex(k.mk)}`);
  }
  return parts.join('|');
}
