// PROTOCOL.md section 5: the Double Ratchet with header encryption.
// A state is a plain object; every operation works on a deep copy and returns the new state, so
// the caller's state is never changed by a failure.
import { concat, equal, readU32be, u32be } from './bytes.mjs';
import { fail, mapFailure } from './failure.mjs';
import { kdfCk, kdfRk, messageKeys } from './kdf.mjs';
import { Limits } from './limits.mjs';
import { isBucket, pad, unpad } from './padding.mjs';
import { chachaOpen, chachaSeal, checkX25519, x25519Agree, x25519Public, xchachaOpen, xchachaSeal } from './primitives.mjs';

export const HeaderLength = 40;
export const EncryptedHeaderLength = 80;
export const HeaderNonceLength = 24;

function cloneState(s) {
  return structuredClone(s);
}

/** Alice (initiator), section 5.3. */
export function initAlice({ rootKey, headerKeyA, nextHeaderKeyB, associatedData, bobRatchetPublic, aliceRatchetPrivate }) {
  const dh = x25519Agree(aliceRatchetPrivate, bobRatchetPublic);
  const { rootKey: rk, chainKey: cks, nextHeaderKey: nhks } = kdfRk(rootKey, dh);
  return {
    dhsPriv: Uint8Array.from(aliceRatchetPrivate),
    dhsPub: x25519Public(aliceRatchetPrivate),
    dhr: Uint8Array.from(bobRatchetPublic),
    rk,
    cks,
    ckr: null,
    ns: 0,
    nr: 0,
    pn: 0,
    hks: Uint8Array.from(headerKeyA),
    hkr: null,
    nhks,
    nhkr: Uint8Array.from(nextHeaderKeyB),
    ad: Uint8Array.from(associatedData),
    skipped: [], // { hk, n, mk }, oldest first
    previousChains: [], // header keys of previous receiving chains, newest first
  };
}

/** Bob (responder), section 5.3. */
export function initBob({ rootKey, headerKeyA, nextHeaderKeyB, associatedData, bobRatchetPrivate }) {
  return {
    dhsPriv: Uint8Array.from(bobRatchetPrivate),
    dhsPub: x25519Public(bobRatchetPrivate),
    dhr: null,
    rk: Uint8Array.from(rootKey),
    cks: null,
    ckr: null,
    ns: 0,
    nr: 0,
    pn: 0,
    hks: null,
    hkr: null,
    nhks: Uint8Array.from(nextHeaderKeyB),
    nhkr: Uint8Array.from(headerKeyA),
    ad: Uint8Array.from(associatedData),
    skipped: [],
    previousChains: [],
  };
}

/** The 40-byte header: DHs.pub || u32be(PN) || u32be(N). */
export function encodeHeader(dh, pn, n) {
  return concat(dh, u32be(pn), u32be(n));
}

export function encryptHeader(hk, nonce, header) {
  return concat(nonce, xchachaSeal(hk, nonce, header, new Uint8Array(0)));
}

/** Decrypts an 80-byte encrypted header; returns { dh, pn, n } or null. */
export function decryptHeader(hk, encHeader) {
  if (hk === null) return null;
  const plain = xchachaOpen(hk, encHeader.subarray(0, HeaderNonceLength), encHeader.subarray(HeaderNonceLength), new Uint8Array(0));
  if (plain === null || plain.length !== HeaderLength) return null;
  return { dh: plain.slice(0, 32), pn: readU32be(plain, 32), n: readU32be(plain, 36) };
}

/**
 * Encrypts (section 5.4) with the given 24-byte header nonce.
 * Returns { state, header (80 bytes), ciphertext }. Failures: NotReady, PlaintextTooLong,
 * ChainExhausted.
 */
export function encrypt(state, plaintext, headerNonce) {
  if (headerNonce.length !== HeaderNonceLength) throw new RangeError('header nonce must be 24 bytes');
  if (state.cks === null || state.hks === null) fail('NotReady');
  if (plaintext.length > Limits.MaxPlaintextLength) fail('PlaintextTooLong');
  if (state.ns > Limits.MaxChainCounter) fail('ChainExhausted');
  const s = cloneState(state);
  const { messageKeySeed: mk, nextChainKey } = kdfCk(s.cks);
  s.cks = nextChainKey;
  const header = encryptHeader(s.hks, headerNonce, encodeHeader(s.dhsPub, s.pn, s.ns));
  const { key, nonce } = messageKeys(mk);
  const ciphertext = chachaSeal(key, nonce, pad(plaintext), concat(s.ad, header));
  s.ns += 1;
  return { state: s, header, ciphertext };
}

function storeSkipped(s, hk, n, mk) {
  s.skipped.push({ hk: Uint8Array.from(hk), n, mk });
  while (s.skipped.length > Limits.MaxSkippedMessageKeys) s.skipped.shift();
}

/** Stores skipped keys for Nr .. until-1 of CKr under hk, advancing CKr and Nr. */
function skipTo(s, hk, until) {
  while (s.nr < until) {
    const { messageKeySeed, nextChainKey } = kdfCk(s.ckr);
    storeSkipped(s, hk, s.nr, messageKeySeed);
    s.ckr = nextChainKey;
    s.nr += 1;
  }
}

/** Derives MK for message n = Nr of the current receiving chain and sets Nr = n + 1. */
function deriveCurrent(s) {
  const { messageKeySeed, nextChainKey } = kdfCk(s.ckr);
  s.ckr = nextChainKey;
  s.nr += 1;
  return messageKeySeed;
}

/** Removes and returns the skipped key (hk, n), or null. */
function takeSkipped(s, hk, n) {
  const i = s.skipped.findIndex((k) => k.n === n && equal(k.hk, hk));
  if (i < 0) return null;
  const [entry] = s.skipped.splice(i, 1);
  return entry.mk;
}

function rememberPreviousChain(s, hk) {
  s.previousChains.unshift(Uint8Array.from(hk));
  // At most MaxReceiverChains receiving chains, the current one included.
  while (s.previousChains.length > Limits.MaxReceiverChains - 1) {
    const forgotten = s.previousChains.pop();
    s.skipped = s.skipped.filter((k) => !equal(k.hk, forgotten));
  }
}

/**
 * Decrypts (section 5.5). `newRatchetPrivate()` supplies the private key of a DH ratchet step.
 * Returns { state, plaintext, ratcheted }. Failures: Malformed, Duplicate, TooBigGap,
 * InvalidRatchetKey, InvalidHeader, InvalidCiphertext, InvalidPadding.
 */
export function decrypt(state, encHeader, ciphertext, newRatchetPrivate) {
  if (encHeader.length !== EncryptedHeaderLength) fail('Malformed');
  if (ciphertext.length < 16 || !isBucket(ciphertext.length - 16)) fail('Malformed');
  const s = cloneState(state);
  let mk = null;
  let ratcheted = false;

  // 1. Current chain.
  const current = decryptHeader(s.hkr, encHeader);
  if (current !== null) {
    const { n } = current;
    if (n < s.nr) {
      mk = takeSkipped(s, s.hkr, n);
      if (mk === null) fail('Duplicate');
    } else {
      if (n - s.nr > Limits.MaxMessageGap) fail('TooBigGap');
      if (n > Limits.MaxChainCounter) fail('InvalidHeader');
      skipTo(s, s.hkr, n);
      mk = deriveCurrent(s);
    }
  }

  // 2. Previous chains, newest first.
  if (mk === null) {
    for (const hk of s.previousChains) {
      const h = decryptHeader(hk, encHeader);
      if (h === null) continue;
      mk = takeSkipped(s, hk, h.n);
      if (mk === null) fail('Duplicate');
      break;
    }
  }

  // 3. New chain.
  if (mk === null) {
    const h = decryptHeader(s.nhkr, encHeader);
    if (h === null) fail('InvalidHeader'); // 4.
    const { dh, pn, n } = h;
    mapFailure(() => checkX25519(dh), 'InvalidRatchetKey');
    if ((s.hkr !== null && pn > s.nr && pn - s.nr > Limits.MaxMessageGap) || n > Limits.MaxMessageGap) fail('TooBigGap');
    if (s.hkr !== null) {
      skipTo(s, s.hkr, pn);
      rememberPreviousChain(s, s.hkr);
    }
    s.pn = s.ns;
    s.ns = 0;
    s.nr = 0;
    s.hks = s.nhks;
    s.hkr = s.nhkr;
    s.dhr = Uint8Array.from(dh);
    const recv = kdfRk(s.rk, mapFailure(() => x25519Agree(s.dhsPriv, s.dhr), 'InvalidRatchetKey'));
    s.rk = recv.rootKey;
    s.ckr = recv.chainKey;
    s.nhkr = recv.nextHeaderKey;
    const priv = newRatchetPrivate();
    ratcheted = true;
    s.dhsPriv = Uint8Array.from(priv);
    s.dhsPub = x25519Public(priv);
    const send = kdfRk(s.rk, mapFailure(() => x25519Agree(s.dhsPriv, s.dhr), 'InvalidRatchetKey'));
    s.rk = send.rootKey;
    s.cks = send.chainKey;
    s.nhks = send.nextHeaderKey;
    skipTo(s, s.hkr, n);
    mk = deriveCurrent(s);
  }

  // 5. Payload.
  const { key, nonce } = messageKeys(mk);
  const padded = chachaOpen(key, nonce, ciphertext, concat(s.ad, encHeader));
  if (padded === null) fail('InvalidCiphertext');
  const plaintext = unpad(padded);
  // 6. Commit (the caller replaces its state with s).
  return { state: s, plaintext, ratcheted };
}

/** A stable serialization of a state, for "state unchanged" checks. */
export function stateFingerprint(s) {
  return JSON.stringify(s, (_, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v));
}
