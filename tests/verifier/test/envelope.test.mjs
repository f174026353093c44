// The relay validator of PROTOCOL.md section 8: every EnvelopeFailure, and the order in which the
// first broken rule is reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concat, utf8 } from '../lib/bytes.mjs';
import { failureOf } from '../lib/failure.mjs';
import { EnvelopeFailure, validateEnvelope } from '../lib/envelope.mjs';

// ------------------------------------------------------------------ raw encoding helpers

function varint(value) {
  let v = BigInt(value);
  const out = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return Uint8Array.from(out);
}
const tag = (number, wire) => varint((BigInt(number) << 3n) | BigInt(wire));
const V = (number, value) => concat(tag(number, 0), varint(value));
const L = (number, bytes) => concat(tag(number, 2), varint(bytes.length), bytes);
const raw = (...bytes) => Uint8Array.from(bytes);
const fill = (n, b = 0x5a) => new Uint8Array(n).fill(b);

const address = (name = 'alice', device = 1, kind = 1) => concat(L(1, utf8(name)), V(2, device), V(3, kind));
const ratchet = (header = fill(80), ciphertext = fill(80)) => concat(L(1, header), L(2, ciphertext));
const prekey = ({ identityKey = fill(128), baseKey = fill(32), oneTime = null, message = ratchet() } = {}) =>
  concat(L(1, identityKey), L(2, baseKey), V(3, 7), oneTime === null ? new Uint8Array(0) : V(4, oneTime), V(5, 9), L(6, fill(1088)), L(7, message));
const senderKey = ({ iteration = null, expires = null, ciphertext = fill(80), signature = fill(64) } = {}) =>
  concat(
    L(1, fill(16)),
    V(2, 3),
    iteration === null ? new Uint8Array(0) : V(3, iteration),
    expires === null ? new Uint8Array(0) : V(4, expires),
    L(5, ciphertext),
    L(6, signature),
  );
/** version, type, sender, recipient, message_id, timestamp_ms. */
const head = (type = 2, sender = address()) =>
  concat(V(1, 1), V(2, type), L(3, sender), L(4, address('shop.example-1', 3, 2)), L(5, fill(16)), V(6, 1767225600000n));
const ratchetEnvelope = concat(head(2), L(8, ratchet()));

const F = EnvelopeFailure;
const check = (bytes, expected, label) => assert.equal(failureOf(() => validateEnvelope(bytes)), expected, label);

// ------------------------------------------------------------------ tests

test('envelope: valid envelopes of each type, with their type', () => {
  assert.equal(validateEnvelope(ratchetEnvelope).type, 2);
  assert.equal(validateEnvelope(concat(head(1), L(7, prekey()))).type, 1);
  assert.equal(validateEnvelope(concat(head(1), L(7, prekey({ oneTime: 0xffffffff })))).type, 1);
  assert.equal(validateEnvelope(concat(head(3), L(9, senderKey()))).type, 3);
  const maxima = concat(head(3), L(9, senderKey({ iteration: 0xffffffff, expires: 2n ** 64n - 1n, ciphertext: fill(81936) })));
  assert.equal(validateEnvelope(maxima).type, 3);
  const env = validateEnvelope(concat(head(2, address('a.b_c-9', 255, 2)), L(8, ratchet())));
  assert.deepEqual(env.sender, { name: 'a.b_c-9', device: 255, kind: 2 });
  assert.equal(validateEnvelope(concat(head(2, address('a'.repeat(64))), L(8, ratchet()))).type, 2);
});

test('envelope: every EnvelopeFailure name is produced', () => {
  const cases = [
    [concat(ratchetEnvelope, fill(98305 - ratchetEnvelope.length)), F.TooLarge],
    [ratchetEnvelope.subarray(0, ratchetEnvelope.length - 1), F.Truncated],
    [concat(raw(0x08, 0x81, 0x00), ratchetEnvelope.subarray(2)), F.MalformedVarint],
    [concat(V(11, 1), ratchetEnvelope), F.UnknownField],
    [concat(ratchetEnvelope.subarray(0, 2), ratchetEnvelope), F.DuplicateField],
    [concat(ratchetEnvelope, V(6, 1)), F.FieldsOutOfOrder],
    [concat(L(1, raw(1)), ratchetEnvelope.subarray(2)), F.WrongWireType],
    [concat(V(1, 0), ratchetEnvelope.subarray(2)), F.DefaultValueWritten],
    [ratchetEnvelope.subarray(2), F.MissingVersion],
    [concat(V(1, 2), ratchetEnvelope.subarray(2)), F.UnsupportedVersion],
    [concat(head(4), L(8, ratchet())), F.InvalidType],
    [concat(head(2), L(9, senderKey())), F.ContentMismatch],
    [concat(head(2, address('Alice')), L(8, ratchet())), F.InvalidSenderAddress],
    [concat(V(1, 1), V(2, 2), L(3, address()), L(4, address('bob', 256)), L(5, fill(16)), V(6, 1), L(8, ratchet())), F.InvalidRecipientAddress],
    [concat(V(1, 1), V(2, 2), L(3, address()), L(4, address()), L(5, fill(17)), V(6, 1), L(8, ratchet())), F.InvalidMessageId],
    [concat(V(1, 1), V(2, 2), L(3, address()), L(4, address()), L(5, fill(16)), L(8, ratchet())), F.MissingTimestamp],
    [concat(head(1), L(7, prekey({ identityKey: fill(127) }))), F.InvalidIdentityKeyLength],
    [concat(head(1), L(7, prekey({ baseKey: fill(33) }))), F.InvalidBaseKeyLength],
    [concat(head(1), L(7, concat(L(1, fill(128)), L(2, fill(32)), V(5, 9), L(6, fill(1088)), L(7, ratchet())))), F.InvalidPreKeyId],
    [concat(head(1), L(7, concat(L(1, fill(128)), L(2, fill(32)), V(3, 7), V(5, 9), L(6, fill(1087)), L(7, ratchet())))), F.InvalidKemCiphertextLength],
    [concat(head(1), L(7, concat(L(1, fill(128)), L(2, fill(32)), V(3, 7), V(5, 9), L(6, fill(1088))))), F.MissingRatchetMessage],
    [concat(head(2), L(8, ratchet(fill(79)))), F.InvalidHeaderLength],
    [concat(head(2), L(8, ratchet(fill(80), fill(81)))), F.InvalidCiphertextLength],
    [concat(head(3), L(9, concat(L(1, fill(15)), V(2, 3), L(5, fill(80)), L(6, fill(64))))), F.InvalidDistributionId],
    [concat(head(3), L(9, concat(L(1, fill(16)), L(5, fill(80)), L(6, fill(64))))), F.InvalidChainId],
    [concat(head(3), L(9, senderKey({ signature: fill(63) }))), F.InvalidSignatureLength],
    [concat(V(1, 1), V(2, 2), L(3, address('shop', 1, 2)), L(4, address()), L(5, fill(16)), V(6, 1), L(8, ratchet())), F.MissingCategory],
    [concat(ratchetEnvelope, V(10, 1)), F.UnexpectedCategory],
    [concat(ratchetEnvelope, V(10, 5)), F.InvalidCategory],
  ];
  const produced = new Set();
  cases.forEach(([bytes, expected], i) => {
    check(bytes, expected, `case ${i}`);
    produced.add(expected);
  });
  assert.deepEqual([...produced].sort(), Object.values(F).sort());
});

test('envelope: the whole length, then the tag, then the field number, order and wire type', () => {
  check(new Uint8Array(98304), F.UnknownField, 'exactly 98304 bytes is not TooLarge (its first tag is field 0)');
  check(new Uint8Array(0), F.MissingVersion, 'empty');
  check(concat(V(1, 1), raw(0x80)), F.Truncated, 'truncated tag');
  check(concat(V(1, 1), fill(11, 0x80), raw(0x01)), F.MalformedVarint, 'an 11-byte tag');
  check(concat(V(1, 1), varint(2n ** 32n), varint(1)), F.MalformedVarint, 'a tag above 2^32 - 1');
  check(concat(V(1, 1), varint(2n ** 32n - 1n), varint(1)), F.UnknownField, 'field 2^29 - 1 (tag 2^32 - 1)');
  check(concat(V(1, 1), raw(0x00, 0x01)), F.UnknownField, 'field number 0');
  check(concat(V(1, 1), tag(12, 3), tag(12, 4)), F.UnknownField, 'an unknown group');
  check(concat(V(1, 1), tag(2, 3), tag(2, 4)), F.WrongWireType, 'a known field as a group');
  check(concat(V(1, 1), tag(2, 5), fill(4)), F.WrongWireType, 'a known field as fixed32');
  check(concat(V(1, 1), tag(1, 2), varint(1), raw(1)), F.DuplicateField, 'a duplicate before its wire type');
  check(concat(V(1, 1), V(2, 2), L(3, address()), tag(2, 2), varint(1), raw(1)), F.FieldsOutOfOrder, 'out of order before its wire type');
});

test('envelope: a missing required field is reported when a higher field or the end is reached', () => {
  check(concat(V(2, 2), V(1, 1)), F.MissingVersion, 'type before version');
  check(concat(V(11, 1), V(1, 1)), F.UnknownField, 'an unknown field before the missing check');
  check(concat(L(2, raw(1)), V(1, 1)), F.WrongWireType, 'a wrong wire type before the missing check');
  check(concat(tag(2, 0), raw(0x80)), F.MissingVersion, 'the missing check before the value');
  check(concat(V(1, 1), V(3, 1)), F.WrongWireType, 'sender with wire type 0');
  check(concat(V(1, 1), L(3, address())), F.InvalidType, 'missing type');
  check(concat(V(1, 1), V(2, 2)), F.InvalidSenderAddress, 'end after type');
  check(concat(V(1, 1), V(2, 2), L(3, address()), L(4, address()), V(6, 1), L(8, ratchet())), F.InvalidMessageId, 'missing message id');
  check(concat(V(1, 1), V(2, 2), L(3, address()), L(4, address()), L(5, new Uint8Array(0)), L(8, ratchet())), F.DefaultValueWritten, 'an empty message id written');
  check(concat(V(1, 1), V(2, 2), L(8, ratchet())), F.InvalidSenderAddress, 'content right after type');
  check(concat(V(1, 1), V(2, 2), L(7, prekey())), F.InvalidSenderAddress, 'a missing sender before a mismatched content');
  check(concat(head(2), L(8, concat(L(2, fill(80)), L(1, fill(80))))), F.InvalidHeaderLength, 'ciphertext before header');
  check(concat(head(2), L(8, new Uint8Array(0))), F.InvalidHeaderLength, 'an empty ratchet message');
  check(concat(head(1), L(7, prekey({ message: new Uint8Array(0) }))), F.InvalidHeaderLength, 'an empty inner ratchet message');
  check(concat(head(2), L(8, concat(L(1, fill(80))))), F.InvalidCiphertextLength, 'no ciphertext');
  check(concat(head(3), L(9, concat(L(1, fill(16)), V(2, 3), L(5, fill(80))))), F.InvalidSignatureLength, 'no signature');
});

test('envelope: content fields', () => {
  check(concat(head(2)), F.ContentMismatch, 'no content');
  check(concat(head(2), L(8, ratchet()), L(9, senderKey())), F.ContentMismatch, 'two contents');
  check(concat(head(2), L(7, prekey({ identityKey: fill(3) }))), F.ContentMismatch, 'mismatch before the content is read');
  check(concat(head(2), tag(7, 2), varint(500), fill(10)), F.ContentMismatch, 'mismatch before the length is read');
  check(concat(head(2), V(7, 1)), F.WrongWireType, 'wrong wire type before the mismatch');
  check(concat(head(1), L(7, prekey()), L(8, ratchet())), F.ContentMismatch, 'a valid prekey, then a ratchet message');
});

test('envelope: values: varints, defaults, then the rule', () => {
  check(concat(V(1, 2n ** 32n), ratchetEnvelope.subarray(2)), F.MalformedVarint, 'uint32 version over 32 bits');
  check(concat(V(1, 1), V(2, 2n ** 32n + 2n)), F.InvalidType, 'an enum over 32 bits fails its rule');
  check(concat(V(1, 1), tag(2, 0), fill(9, 0xff), raw(0x02)), F.MalformedVarint, 'a value over 64 bits');
  check(concat(V(1, 1), V(2, 0)), F.DefaultValueWritten, 'type 0 written');
  check(concat(head(2), tag(8, 2), raw(0xa4, 0x81, 0x00), ratchet()), F.MalformedVarint, 'a length not minimal');
  check(concat(head(2), tag(8, 2), varint(300), ratchet()), F.Truncated, 'a length beyond the envelope');
  check(concat(V(1, 1), V(2, 2), tag(3, 2), varint(2n ** 33n), raw(0)), F.Truncated, 'a length over 32 bits is only too long');
  check(concat(head(2), L(8, concat(tag(1, 2), varint(90), fill(80)))), F.Truncated, 'a nested length beyond its message');
  check(concat(head(3), L(9, senderKey({ iteration: 2n ** 32n }))), F.MalformedVarint, 'iteration over 32 bits');
  check(concat(head(3), L(9, senderKey({ iteration: 0 }))), F.DefaultValueWritten, 'iteration 0 written');
  check(concat(head(3), L(9, concat(L(1, fill(16)), V(2, 0), L(5, fill(80)), L(6, fill(64))))), F.DefaultValueWritten, 'chain id 0 written');
  check(concat(head(1), L(7, prekey({ oneTime: 0 }))), F.DefaultValueWritten, 'one-time id 0 written');
  check(concat(head(1), L(7, concat(L(1, new Uint8Array(0)), L(2, fill(32))))), F.DefaultValueWritten, 'an empty identity key written');
  check(concat(head(2), L(8, ratchet(fill(80), fill(16)))), F.InvalidCiphertextLength, 'a tag alone');
  check(concat(head(2), L(8, ratchet(fill(80), fill(81937)))), F.InvalidCiphertextLength, 'over the largest bucket');
  check(concat(head(2), L(8, ratchet(fill(80), fill(49168)))), null, 'bucket 49152');
});

test('envelope: an Address: its rules name the address, its encoding errors keep their own names', () => {
  const withSender = (sender) => concat(V(1, 1), V(2, 2), L(3, sender), L(4, address()), L(5, fill(16)), V(6, 1), L(8, ratchet()));
  check(withSender(address('zo\u00eb')), F.InvalidSenderAddress, 'non-ASCII UTF-8');
  check(withSender(concat(L(1, raw(0x61, 0xff)), V(2, 1), V(3, 1))), F.InvalidSenderAddress, 'not UTF-8');
  check(withSender(address('a b')), F.InvalidSenderAddress, 'a space');
  check(withSender(address('a'.repeat(65))), F.InvalidSenderAddress, '65 characters');
  check(withSender(address('alice', 1, 3)), F.InvalidSenderAddress, 'kind 3');
  check(withSender(concat(L(1, utf8('alice')), V(2, 1), V(3, 2n ** 32n + 1n))), F.InvalidSenderAddress, 'kind over 32 bits');
  check(withSender(concat(L(1, utf8('alice')), V(2, 2n ** 33n), V(3, 1))), F.MalformedVarint, 'device over 32 bits');
  check(withSender(concat(L(1, utf8('alice')), V(2, 0), V(3, 1))), F.DefaultValueWritten, 'device 0 written');
  check(withSender(concat(L(1, new Uint8Array(0)), V(2, 1), V(3, 1))), F.DefaultValueWritten, 'an empty name written');
  check(withSender(new Uint8Array(0)), F.InvalidSenderAddress, 'an empty address');
  check(withSender(concat(V(2, 1), L(1, utf8('a')), V(3, 1))), F.InvalidSenderAddress, 'device first: the name is missing');
  check(withSender(concat(address(), V(4, 1))), F.UnknownField, 'an unknown field after a valid address');
  check(withSender(concat(V(5, 1), address('X'))), F.UnknownField, 'an unknown field before an invalid name');
  check(withSender(concat(address('X'), V(4, 1))), F.InvalidSenderAddress, 'an invalid name before an unknown field');
  check(withSender(concat(L(1, utf8('X')), tag(2, 0), raw(0x80))), F.InvalidSenderAddress, 'an invalid name before a truncated device');
  check(withSender(concat(tag(1, 2), varint(30), utf8('abc'))), F.Truncated, 'a name longer than its address');
  check(withSender(concat(L(1, utf8('a')), address())), F.DuplicateField, 'a repeated name');
});
