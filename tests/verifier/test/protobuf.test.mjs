// The hand-written protobuf encoder and decoders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, toHex } from '../lib/bytes.mjs';
import { decodeLenient, encode, ProtoError } from '../lib/protobuf.mjs';
import { Address, Envelope, PreKeyBundle, SenderKeyMessage } from '../lib/wire.mjs';

const kindOf = (fn) => {
  try {
    fn();
    return null;
  } catch (e) {
    assert.ok(e instanceof ProtoError, e.message);
    return e.kind;
  }
};

test('protobuf: canonical encoding omits defaults and orders fields', () => {
  assert.equal(toHex(encode(Address, { name: 'bob', device: 1, kind: 1 })), '0a03626f6210011801');
  assert.equal(toHex(encode(Address, { name: '', device: 0, kind: 0 })), '');
  assert.equal(toHex(encode(PreKeyBundle, { kem_prekey_last_resort: true, signed_prekey_id: 300 })), '10ac024001');
  const m = { distribution_id: new Uint8Array(16), chain_id: 1, iteration: 0, expires_at_ms: 2n ** 63n, ciphertext: Uint8Array.of(1), signature: Uint8Array.of(2) };
  const bytes = encode(SenderKeyMessage, m);
  const back = decodeLenient(SenderKeyMessage, bytes);
  assert.equal(back.expires_at_ms, 2n ** 63n);
  assert.equal(back.iteration, 0);
  assert.deepEqual(encode(SenderKeyMessage, back), bytes);
});

test('protobuf: lenient decoder accepts what a general parser accepts', () => {
  // Unknown varint, fixed32, fixed64, length-delimited fields and a group are skipped.
  const bytes = fromHex('2001' + '2d01020304' + '290102030405060708' + '22026869' + '23' + '0801' + '24' + '0a03626f62');
  assert.deepEqual(decodeLenient(Address, bytes), { name: 'bob', device: 0, kind: 0 });
  // Last one wins; out of order is fine; a known field with another wire type is skipped.
  assert.deepEqual(decodeLenient(Address, fromHex('10051003 0a0161 15 01020304'.replaceAll(' ', ''))), { name: 'a', device: 3, kind: 0 });
  // uint32 keeps the low 32 bits; bool is any nonzero varint.
  assert.equal(decodeLenient(Address, fromHex('1081808080 10'.replaceAll(' ', ''))).device, 1);
  assert.equal(decodeLenient(PreKeyBundle, fromHex('4002')).kem_prekey_last_resort, true);
  // A repeated embedded message is merged.
  const merged = decodeLenient(Envelope, fromHex('1a050a03626f62' + '1a021002'));
  assert.deepEqual(merged.sender, { name: 'bob', device: 2, kind: 0 });
  for (const bad of ['0a05626f62', '10', '0f', '00', '24', '23', '2308']) {
    assert.equal(kindOf(() => decodeLenient(Address, fromHex(bad))), 'Malformed', bad);
  }
});
