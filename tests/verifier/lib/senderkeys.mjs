// PROTOCOL.md section 7: sender keys (broadcasts and status).
import { concat, equal, u32be, u64be } from './bytes.mjs';
import { fail } from './failure.mjs';
import { kdfCk, senderMessageKeys } from './kdf.mjs';
import { domainMessage } from './keys.mjs';
import { Labels } from './labels.mjs';
import { Limits } from './limits.mjs';
import { isBucket, pad, unpad } from './padding.mjs';
import { chachaOpen, chachaSeal, ed25519Public, ed25519Sign, ed25519Verify } from './primitives.mjs';
import { decodeLenient, encode, ProtoError } from './protobuf.mjs';
import { SenderKeyMessage } from './wire.mjs';

/** header = distribution_id (16) || u32be(chain_id) || u32be(iteration) || u64be(expires_at_ms). */
export function senderKeyHeader(distributionId, chainId, iteration, expiresAtMs) {
  return concat(distributionId, u32be(chainId), u32be(iteration), u64be(expiresAtMs));
}

/** A sender's state: { distributionId, chainId, iteration, chainKey, signingSeed }. */
export function senderState({ distributionId, chainId, iteration = 0, chainKey, signingSeed }) {
  return { distributionId, chainId, iteration, chainKey, signingSeed, signingKey: ed25519Public(signingSeed) };
}

/** The distribution a sender hands its members (SenderKeyDistribution fields). */
export function distributionOf(state) {
  return {
    distributionId: state.distributionId,
    chainId: state.chainId,
    iteration: state.iteration,
    chainKey: state.chainKey,
    signingKey: state.signingKey,
  };
}

/**
 * Encrypts one post at `iteration` (default: the state's current one; a later one skips ahead).
 * Returns { state, iteration, ciphertext, signature, message (SenderKeyMessage bytes) }.
 */
export function senderEncrypt(state, plaintext, expiresAtMs, iteration = state.iteration) {
  if (iteration < state.iteration) throw new RangeError('sender key iteration already used');
  let ck = state.chainKey;
  for (let i = state.iteration; i < iteration; i++) ck = kdfCk(ck).nextChainKey;
  const { messageKeySeed, nextChainKey } = kdfCk(ck);
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

/** Adds a received distribution to a receiver's list of states for one sender (oldest first). */
export function addDistribution(states, d) {
  const out = states.map((s) => ({ ...s, skipped: [...s.skipped] }));
  if (out.some((s) => equal(s.distributionId, d.distributionId) && s.chainId === d.chainId)) return out;
  out.push({
    distributionId: Uint8Array.from(d.distributionId),
    chainId: d.chainId,
    iteration: d.iteration,
    chainKey: Uint8Array.from(d.chainKey),
    signingKey: Uint8Array.from(d.signingKey),
    skipped: [], // { iteration, mk }, oldest first
  });
  // At most MaxSenderKeyStates generations per distribution: forget the oldest.
  const same = out.filter((s) => equal(s.distributionId, d.distributionId));
  if (same.length > Limits.MaxSenderKeyStates) out.splice(out.indexOf(same[0]), 1);
  return out;
}

/**
 * Decrypts a SenderKeyMessage with the receiver's states for its sender. Returns
 * { states, plaintext, expiresAtMs }. Failures, in order: Malformed (does not parse, or a field
 * length is wrong), UnknownSenderKey, BadSignature, Expired, TooBigGap, Duplicate,
 * InvalidCiphertext, InvalidPadding.
 */
export function receiverDecrypt(states, messageBytes, nowMs) {
  let m;
  try {
    m = decodeLenient(SenderKeyMessage, messageBytes);
  } catch (e) {
    if (e instanceof ProtoError) fail('Malformed');
    throw e;
  }
  if (m.distribution_id.length !== 16 || m.signature.length !== 64 || m.ciphertext.length < 16 || !isBucket(m.ciphertext.length - 16)) {
    fail('Malformed');
  }
  const index = states.findIndex((s) => equal(s.distributionId, m.distribution_id) && s.chainId === m.chain_id);
  if (index < 0) fail('UnknownSenderKey');
  const state = { ...states[index], skipped: [...states[index].skipped] };
  const header = senderKeyHeader(m.distribution_id, m.chain_id, m.iteration, m.expires_at_ms);
  if (!ed25519Verify(state.signingKey, domainMessage(Labels.senderKeyMessage, header, m.ciphertext), m.signature)) fail('BadSignature');
  if (m.expires_at_ms !== 0n && m.expires_at_ms <= BigInt(nowMs)) fail('Expired');
  let mk;
  if (m.iteration >= state.iteration) {
    if (m.iteration - state.iteration > Limits.MaxSenderKeyGap) fail('TooBigGap');
    let ck = state.chainKey;
    for (let i = state.iteration; i < m.iteration; i++) {
      const step = kdfCk(ck);
      state.skipped.push({ iteration: i, mk: step.messageKeySeed });
      while (state.skipped.length > Limits.MaxSenderKeySkippedKeys) state.skipped.shift();
      ck = step.nextChainKey;
    }
    const step = kdfCk(ck);
    mk = step.messageKeySeed;
    state.chainKey = step.nextChainKey;
    state.iteration = m.iteration + 1;
  } else {
    const i = state.skipped.findIndex((k) => k.iteration === m.iteration);
    if (i < 0) fail('Duplicate');
    mk = state.skipped.splice(i, 1)[0].mk;
  }
  const { key, nonce } = senderMessageKeys(mk);
  const padded = chachaOpen(key, nonce, m.ciphertext, header);
  if (padded === null) fail('InvalidCiphertext');
  const plaintext = unpad(padded);
  const out = states.slice();
  out[index] = state;
  return { states: out, plaintext, expiresAtMs: m.expires_at_ms };
}
