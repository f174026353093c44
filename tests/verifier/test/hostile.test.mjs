// Hostile input only ever produces typed failures (never an untyped exception).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failureOf } from '../lib/failure.mjs';
import { validateEnvelope } from '../lib/envelope.mjs';
import { makeIdentity, verifyBundle } from '../lib/keys.mjs';
import { bobStores, respond } from '../lib/handshake.mjs';
import { emptyReceiver, processDistribution, receiverDecrypt } from '../lib/senderkeys.mjs';
import { decrypt, initBob } from '../lib/ratchet.mjs';
import { Drbg } from '../selftest/drbg.mjs';
import { generateVectors } from '../selftest/generate.mjs';
import { fromHex } from '../lib/bytes.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('parsers and decryptors: random and mutated input gives typed failures only', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'e2echat-hostile-'));
  try {
    const docs = await generateVectors(dir);
    const rng = new Drbg('hostile');
    const envelopes = docs['envelopes.json'].vectors.filter((v) => v.kind === 'envelope').map((v) => fromHex(v.envelope));
    const bundles = docs['keys.json'].vectors.filter((v) => v.kind === 'bundle').map((v) => fromHex(v.bundle));
    // A receiver holding the first transcript's first distribution, and that transcript's first post.
    const transcript = docs['sender_keys.json'].vectors.find((v) => v.kind === 'sender_key_transcript');
    const receiver = processDistribution(emptyReceiver(), fromHex(transcript.steps.find((s) => s.op === 'distribute').distribution));
    const skMessage = fromHex(transcript.steps.find((s) => s.op === 'encrypt').message);
    const skDistribution = fromHex(transcript.steps.find((s) => s.op === 'distribute').distribution);
    const hs = docs['handshake.json'].vectors.find((v) => v.kind === 'handshake_invalid' && v.name.endsWith('tampered_ciphertext'));
    const pkm = fromHex(hs.prekey_message);
    const mutate = (bytes) => {
      const out = Uint8Array.from(bytes);
      const n = 1 + rng.int(3);
      for (let i = 0; i < n; i++) out[rng.int(out.length)] ^= 1 << rng.int(8);
      return rng.int(4) === 0 ? out.subarray(0, rng.int(out.length)) : out;
    };
    const typed = (label, fn) => assert.doesNotThrow(() => failureOf(fn), label);
    for (let i = 0; i < 150; i++) {
      const random = rng.bytes(rng.int(300));
      typed('envelope', () => validateEnvelope(random));
      typed('envelope', () => validateEnvelope(mutate(envelopes[i % envelopes.length])));
      typed('bundle', () => verifyBundle(random));
      typed('bundle', () => verifyBundle(mutate(bundles[i % bundles.length])));
      typed('sender key', () => receiverDecrypt(receiver, random, 0));
      typed('sender key', () => receiverDecrypt(receiver, mutate(skMessage), 0));
      typed('sender key distribution', () => processDistribution(receiver, random));
      typed('sender key distribution', () => processDistribution(receiver, mutate(skDistribution)));
    }
    // The handshake and ratchet need Bob's keys: a few mutated PreKeyMessages through respond().
    const { bob } = hs;
    const bobKeys = {
      identity: makeIdentity(fromHex(bob.ed25519_seed), fromHex(bob.x25519_private)),
      signedPreKeyId: bob.signed_prekey_id,
      signedPreKeyPrivate: fromHex(bob.signed_prekey_private),
      oneTimePreKeyId: bob.one_time_prekey_id,
      oneTimePreKeyPrivate: fromHex(bob.one_time_prekey_private),
      kemPreKeyId: bob.kem_prekey_id,
      kemPreKeyLastResort: bob.kem_prekey_last_resort,
      kemSeed: fromHex(bob.kem_seed),
    };
    for (let i = 0; i < 20; i++) typed('prekey message', () => respond(bobStores(bobKeys, { name: 'acme-shoes', device: 2 }), mutate(pkm), () => rng.bytes(32), { name: 'alice', device: 1 }));
    const rv = docs['ratchet.json'].vectors[0];
    const state = initBob({
      rootKey: fromHex(rv.initial.root_key),
      headerKeyA: fromHex(rv.initial.header_key_a),
      nextHeaderKeyB: fromHex(rv.initial.next_header_key_b),
      associatedData: fromHex(rv.initial.associated_data),
      bobRatchetPrivate: fromHex(rv.initial.bob_ratchet_private),
    });
    const first = rv.steps[0];
    for (let i = 0; i < 50; i++) {
      typed('ratchet', () => decrypt(state, mutate(fromHex(first.header)), fromHex(first.ciphertext), () => rng.bytes(32)));
      typed('ratchet', () => decrypt(state, fromHex(first.header), mutate(fromHex(first.ciphertext)), () => rng.bytes(32)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
