// PROTOCOL.md section 2: every label, as its exact ASCII bytes.
import { utf8 } from './bytes.mjs';

export const Labels = Object.freeze({
  identityDhKey: utf8('E2eChat/v1/identity-dh-key'),
  signedPreKey: utf8('E2eChat/v1/signed-prekey'),
  kemPreKey: utf8('E2eChat/v1/kem-prekey'),
  senderKeyMessage: utf8('E2eChat/v1/sender-key-message'),
  handshake: utf8('E2eChat/v1/pqxdh/X25519/ML-KEM-768/SHA-256'),
  ratchetRoot: utf8('E2eChat/v1/ratchet/root'),
  ratchetMessage: utf8('E2eChat/v1/ratchet/message'),
  senderKeyMessageKey: utf8('E2eChat/v1/sender-key/message'),
  fingerprint: utf8('E2eChat/v1/fingerprint'),
  sealedState: utf8('E2eChat/v1/sealed-state'),
});
