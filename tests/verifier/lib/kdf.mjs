// PROTOCOL.md sections 4 (handshake KDF), 5.2 (ratchet KDFs) and 7 (sender-key message keys).
import { concat, u32be, utf8 } from './bytes.mjs';
import { Labels } from './labels.mjs';
import { hkdfSha256, hmacSha256 } from './primitives.mjs';

const Zeros32 = new Uint8Array(32);

/** KDF_RK(rk, dh) -> { rootKey, chainKey, nextHeaderKey }. */
export function kdfRk(rk, dh) {
  const okm = hkdfSha256(rk, dh, Labels.ratchetRoot, 96);
  return { rootKey: okm.slice(0, 32), chainKey: okm.slice(32, 64), nextHeaderKey: okm.slice(64, 96) };
}

/** KDF_CK(ck) -> { messageKeySeed: MK, nextChainKey: CK' }. */
export function kdfCk(ck) {
  return {
    messageKeySeed: hmacSha256(ck, Uint8Array.of(0x01)),
    nextChainKey: hmacSha256(ck, Uint8Array.of(0x02)),
  };
}

function splitKeyNonce(okm) {
  return { key: okm.slice(0, 32), nonce: okm.slice(32, 44) };
}

/** MessageKeys(MK) -> { key, nonce } for ratchet messages. */
export function messageKeys(mk) {
  return splitKeyNonce(hkdfSha256(Zeros32, mk, Labels.ratchetMessage, 44));
}

/** Sender-key message keys (section 7). */
export function senderMessageKeys(mk) {
  return splitKeyNonce(hkdfSha256(Zeros32, mk, Labels.senderKeyMessageKey, 44));
}

/** Addr(a) = u8(len(name)) || name || u32be(device) (section 4); address = { name, device }. */
export function encodeAddress(address) {
  const name = utf8(address.name);
  if (name.length < 1 || name.length > 64 || !/^[a-z0-9._-]+$/.test(address.name)) throw new Error(`invalid account name ${address.name}`);
  if (!Number.isInteger(address.device) || address.device < 1 || address.device > 255) throw new Error(`invalid device ${address.device}`);
  return concat(Uint8Array.of(name.length), name, u32be(address.device));
}

/** The handshake's HKDF info: the label, then the initiator's and the responder's addresses (section 4 step 5). */
export function handshakeInfo(initiatorAddress, responderAddress) {
  return concat(Labels.handshake, encodeAddress(initiatorAddress), encodeAddress(responderAddress));
}

/** Handshake OKM split (section 4 step 5); ikm is the whole IKM including the 0xFF*32 prefix, info from handshakeInfo. */
export function handshakeKdf(ikm, info) {
  const okm = hkdfSha256(Zeros32, ikm, info, 128);
  return {
    rootKey: okm.slice(0, 32),
    headerKeyA: okm.slice(32, 64),
    nextHeaderKeyB: okm.slice(64, 96),
    sessionBinding: okm.slice(96, 128),
  };
}
