// Known answers for the primitives, from their RFCs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concat, fromHex, toHex, utf8 } from '../lib/bytes.mjs';
import { failureOf } from '../lib/failure.mjs';
import {
  LowOrderPoints,
  chachaOpen,
  chachaSeal,
  checkX25519,
  ed25519Public,
  ed25519Sign,
  ed25519Verify,
  hkdfSha256,
  hmacSha256,
  mlKemDecaps,
  mlKemEncaps,
  mlKemKeyGen,
  mlKemPublicKeyValid,
  sha512,
  x25519Agree,
  x25519Public,
  xchachaOpen,
  xchachaSeal,
} from '../lib/primitives.mjs';
import { ed25519 } from '@noble/curves/ed25519.js';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';

const range = (from, to) => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i);
const sunscreen = utf8(
  "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
);

test('HKDF-SHA256: RFC 5869 test case 1', () => {
  const okm = hkdfSha256(range(0x00, 0x0c), new Uint8Array(22).fill(0x0b), range(0xf0, 0xf9), 42);
  assert.equal(toHex(okm), '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
});

test('HMAC-SHA256: RFC 4231 test case 2', () => {
  assert.equal(
    toHex(hmacSha256(utf8('Jefe'), utf8('what do ya want for nothing?'))),
    '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  );
});

test('ChaCha20-Poly1305: RFC 8439 section 2.8.2', () => {
  const key = range(0x80, 0x9f);
  const nonce = fromHex('070000004041424344454647');
  const aad = fromHex('50515253c0c1c2c3c4c5c6c7');
  const expected =
    'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116' +
    '1ae10b594f09e26a7e902ecbd0600691';
  const ct = chachaSeal(key, nonce, sunscreen, aad);
  assert.equal(toHex(ct), expected);
  assert.deepEqual(chachaOpen(key, nonce, ct, aad), sunscreen);
  const tampered = Uint8Array.from(ct);
  tampered[0] ^= 1;
  assert.equal(chachaOpen(key, nonce, tampered, aad), null);
  assert.equal(chachaOpen(key, nonce, ct, new Uint8Array(0)), null);
});

test('XChaCha20-Poly1305: draft-irtf-cfrg-xchacha appendix A.3.1', () => {
  const key = range(0x80, 0x9f);
  const nonce = range(0x40, 0x57);
  const aad = fromHex('50515253c0c1c2c3c4c5c6c7');
  const expected =
    'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e' +
    'c0875924c1c7987947deafd8780acf49';
  const ct = xchachaSeal(key, nonce, sunscreen, aad);
  assert.equal(toHex(ct), expected);
  assert.deepEqual(xchachaOpen(key, nonce, ct, aad), sunscreen);
  assert.equal(xchachaOpen(range(0x81, 0xa0), nonce, ct, aad), null);
});

test('X25519: RFC 7748 section 5.2 and 6.1', () => {
  const out = x25519Agree(
    fromHex('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4'),
    fromHex('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c'),
  );
  assert.equal(toHex(out), 'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552');
  const a = fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
  const b = fromHex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
  assert.equal(toHex(x25519Public(a)), '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
  assert.equal(toHex(x25519Public(b)), 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
  const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
  assert.equal(toHex(x25519Agree(a, x25519Public(b))), shared);
  assert.equal(toHex(x25519Agree(b, x25519Public(a))), shared);
});

test('CheckX25519: length, canonical, low order', () => {
  const priv = new Uint8Array(32).fill(7);
  assert.equal(failureOf(() => checkX25519(new Uint8Array(31))), 'InvalidLength');
  assert.equal(failureOf(() => checkX25519(new Uint8Array(33))), 'InvalidLength');
  for (const h of LowOrderPoints) {
    assert.equal(failureOf(() => checkX25519(fromHex(h))), 'LowOrderPublicKey', h);
    assert.equal(failureOf(() => x25519Agree(priv, fromHex(h))), 'LowOrderPublicKey', h);
  }
  // p = 2^255 - 19 and p + 1 (non-canonical encodings of 0 and 1), and the top bit set.
  const p = fromHex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
  const p1 = fromHex('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
  const top = Uint8Array.from(x25519Public(priv));
  top[31] |= 0x80;
  for (const k of [p, p1, top]) assert.equal(failureOf(() => checkX25519(k)), 'NonCanonicalPublicKey');
  // p - 1 is canonical but low order; the largest canonical value p - 1 is listed, p - 2 is fine.
  const pm2 = fromHex('ebffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
  assert.equal(failureOf(() => checkX25519(pm2)), null);
  assert.equal(failureOf(() => checkX25519(x25519Public(priv))), null);
});

test('Ed25519: RFC 8032 test 1 and 2, strict verification', () => {
  const seed = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
  const pub = ed25519Public(seed);
  assert.equal(toHex(pub), 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
  const sig = ed25519Sign(seed, new Uint8Array(0));
  assert.equal(
    toHex(sig),
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  );
  assert.ok(ed25519Verify(pub, new Uint8Array(0), sig));
  const seed2 = fromHex('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb');
  const sig2 = ed25519Sign(seed2, fromHex('72'));
  assert.equal(
    toHex(sig2),
    '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  );
  assert.ok(ed25519Verify(ed25519Public(seed2), fromHex('72'), sig2));
  assert.ok(!ed25519Verify(ed25519Public(seed2), fromHex('73'), sig2));
});

test('Ed25519 strict: S >= L, small-order and non-canonical keys, wrong lengths are refused', () => {
  const seed = new Uint8Array(32).fill(3);
  const pub = ed25519Public(seed);
  const msg = utf8('m');
  const sig = ed25519Sign(seed, msg);
  assert.ok(ed25519Verify(pub, msg, sig));
  // S + L encodes the same scalar mod L: libsodium refuses it.
  const L = ed25519.Point.Fn.ORDER;
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]);
  const sPlusL = s + L;
  const bad = Uint8Array.from(sig);
  let t = sPlusL;
  for (let i = 32; i < 64; i++) {
    bad[i] = Number(t & 0xffn);
    t >>= 8n;
  }
  assert.ok(!ed25519Verify(pub, msg, bad));
  // Identity public key (small order) with the trivially valid signature R = identity, S = 0.
  const identity = fromHex('0100000000000000000000000000000000000000000000000000000000000000');
  assert.ok(!ed25519Verify(identity, msg, concat(identity, new Uint8Array(32))));
  // Non-canonical public key encoding (y = p + 1).
  const nonCanonical = fromHex('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
  assert.ok(!ed25519Verify(nonCanonical, msg, sig));
  // Wrong lengths.
  assert.ok(!ed25519Verify(pub.subarray(0, 31), msg, sig));
  assert.ok(!ed25519Verify(pub, msg, sig.subarray(0, 63)));
});

test('Ed25519 strict: a mixed-order key is accepted, the cofactorless equation decides (rules 4, 5)', () => {
  // A' = [a]B + T (T of order 8), R = [r]B, S = r + k·a: [S]B - [k]A' = R - [k]T.
  const { Point } = ed25519;
  const L = Point.Fn.ORDER;
  const le = (bytes) => BigInt(`0x${toHex(Uint8Array.from(bytes).reverse())}`);
  const le32 = (n) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
  const a = 1234567n;
  const order8 = Point.fromBytes(fromHex('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'));
  const mixed = Point.BASE.multiply(a).add(order8);
  assert.ok(!mixed.isSmallOrder() && !mixed.isTorsionFree());
  const key = mixed.toBytes();
  const msg = utf8('m');
  const seen = new Set();
  for (let r = 1n; seen.size < 2; r++) {
    const rBytes = Point.BASE.multiply(r).toBytes();
    const k = le(sha512(concat(rBytes, key, msg))) % L;
    const sig = concat(rBytes, le32((r + k * a) % L));
    const multipleOfEight = k % 8n === 0n;
    assert.equal(ed25519Verify(key, msg, sig), multipleOfEight);
    // @noble/curves checks the cofactored equation: it accepts both.
    assert.ok(ed25519.verify(sig, msg, key, { zip215: false }));
    seen.add(multipleOfEight);
  }
});

test('ML-KEM-768: deterministic keygen, encapsulation and key check', () => {
  const seed = Uint8Array.from({ length: 64 }, (_, i) => i);
  const k1 = mlKemKeyGen(seed);
  const k2 = mlKemKeyGen(seed);
  assert.equal(k1.publicKey.length, 1184);
  assert.equal(k1.secretKey.length, 2400);
  assert.deepEqual(k1.publicKey, k2.publicKey);
  const m = new Uint8Array(32).fill(9);
  const e1 = mlKemEncaps(k1.publicKey, m);
  const e2 = mlKemEncaps(k1.publicKey, m);
  assert.equal(e1.ciphertext.length, 1088);
  assert.deepEqual(e1.ciphertext, e2.ciphertext);
  assert.deepEqual(mlKemDecaps(k1.secretKey, e1.ciphertext), e1.sharedSecret);
  // z (the second half of the seed) only changes the secret key.
  const seedZ = Uint8Array.from(seed);
  seedZ[40] ^= 1;
  assert.deepEqual(mlKemKeyGen(seedZ).publicKey, k1.publicKey);
  // The secret key is dk_PKE || ek || H(ek) || z (FIPS 203).
  assert.deepEqual(k1.secretKey.subarray(1152, 1152 + 1184), k1.publicKey);
  assert.deepEqual(k1.secretKey.subarray(2368), seed.subarray(32));
  // Coefficient check: our own check agrees with the library's.
  assert.ok(mlKemPublicKeyValid(k1.publicKey));
  const bad = Uint8Array.from(k1.publicKey);
  bad[0] = 0xff;
  bad[1] |= 0x0f; // first coefficient 4095 >= 3329
  assert.ok(!mlKemPublicKeyValid(bad));
  assert.throws(() => ml_kem768.encapsulate(bad, m));
  const bad2 = Uint8Array.from(k1.publicKey);
  bad2[1150] = 0xff;
  bad2[1151] = 0xff; // last coefficient of the 1152 bytes
  assert.ok(!mlKemPublicKeyValid(bad2));
  const rhoOnly = Uint8Array.from(k1.publicKey);
  rhoOnly[1183] ^= 0xff; // rho is not checked
  assert.ok(mlKemPublicKeyValid(rhoOnly));
  assert.ok(!mlKemPublicKeyValid(k1.publicKey.subarray(0, 1183)));
});
