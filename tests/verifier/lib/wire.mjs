// The messages of protos/wire.proto (package e2echat.wire.v1) as protobuf schemas.

export const EnvelopeType = Object.freeze({ Unspecified: 0, PreKey: 1, Ratchet: 2, SenderKey: 3 });
export const AccountKind = Object.freeze({ Unspecified: 0, Person: 1, Business: 2 });

export const Address = {
  name: 'Address',
  fields: {
    1: { name: 'name', type: 'string' },
    2: { name: 'device', type: 'uint32' },
    3: { name: 'kind', type: 'enum' },
  },
};

export const RatchetMessage = {
  name: 'RatchetMessage',
  fields: {
    1: { name: 'header', type: 'bytes' },
    2: { name: 'ciphertext', type: 'bytes' },
  },
};

export const PreKeyMessage = {
  name: 'PreKeyMessage',
  fields: {
    1: { name: 'identity_key', type: 'bytes' },
    2: { name: 'base_key', type: 'bytes' },
    3: { name: 'signed_prekey_id', type: 'uint32' },
    4: { name: 'one_time_prekey_id', type: 'uint32' },
    5: { name: 'kem_prekey_id', type: 'uint32' },
    6: { name: 'kem_ciphertext', type: 'bytes' },
    7: { name: 'message', type: 'message', schema: RatchetMessage },
  },
};

export const SenderKeyMessage = {
  name: 'SenderKeyMessage',
  fields: {
    1: { name: 'distribution_id', type: 'bytes' },
    2: { name: 'chain_id', type: 'uint32' },
    3: { name: 'iteration', type: 'uint32' },
    4: { name: 'expires_at_ms', type: 'uint64' },
    5: { name: 'ciphertext', type: 'bytes' },
    6: { name: 'signature', type: 'bytes' },
  },
};

export const Envelope = {
  name: 'Envelope',
  fields: {
    1: { name: 'version', type: 'uint32' },
    2: { name: 'type', type: 'enum' },
    3: { name: 'sender', type: 'message', schema: Address },
    4: { name: 'recipient', type: 'message', schema: Address },
    5: { name: 'message_id', type: 'bytes' },
    6: { name: 'timestamp_ms', type: 'uint64' },
    7: { name: 'prekey', type: 'message', schema: PreKeyMessage },
    8: { name: 'ratchet', type: 'message', schema: RatchetMessage },
    9: { name: 'sender_key', type: 'message', schema: SenderKeyMessage },
    10: { name: 'category', type: 'enum' },
  },
};

export const PreKeyBundle = {
  name: 'PreKeyBundle',
  fields: {
    1: { name: 'identity_key', type: 'bytes' },
    2: { name: 'signed_prekey_id', type: 'uint32' },
    3: { name: 'signed_prekey', type: 'bytes' },
    4: { name: 'signed_prekey_signature', type: 'bytes' },
    5: { name: 'one_time_prekey_id', type: 'uint32' },
    6: { name: 'one_time_prekey', type: 'bytes' },
    7: { name: 'kem_prekey_id', type: 'uint32' },
    8: { name: 'kem_prekey_last_resort', type: 'bool' },
    9: { name: 'kem_prekey', type: 'bytes' },
    10: { name: 'kem_prekey_signature', type: 'bytes' },
  },
};

export const SenderKeyDistribution = {
  name: 'SenderKeyDistribution',
  fields: {
    1: { name: 'distribution_id', type: 'bytes' },
    2: { name: 'chain_id', type: 'uint32' },
    3: { name: 'iteration', type: 'uint32' },
    4: { name: 'chain_key', type: 'bytes' },
    5: { name: 'signing_key', type: 'bytes' },
  },
};
