// PROTOCOL.md sections 13-15: content, accounts and device lists, contact links.
import { concat, equal, utf8 } from './bytes.mjs';
import { fail, failureOf } from './failure.mjs';
import { domainMessage, parseIdentityKey } from './keys.mjs';
import { ed25519Verify } from './primitives.mjs';
import { accountNameValid, Encoding, readRecord, RecordReader, utf8Text, wireTypeOf, writeRecord } from './records.mjs';

export const BusinessLabels = Object.freeze({
  deviceList: utf8('E2eChat/v1/device-list'),
  contactLink: utf8('E2eChat/v1/contact-link'),
});

export const BusinessLimits = Object.freeze({
  MaxSignedDeviceListLength: 32768,
  MaxDevicesPerAccount: 64,
  MaxLabelLength: 64,
  MaxSignedContactLinkLength: 1024,
  MaxDisplayNameLength: 64,
  MaxPrefilledTextScalars: 140,
  MaxReferralLength: 64,
  MaxContentLength: 65536,
  MaxBodyLength: 65280,
});

const L = BusinessLimits;
const ok = () => null;
const len = (n, failure) => (v) => (v.length === n ? null : failure);
const text = (max, failure) => (v) => (v.length >= 1 && v.length <= max && utf8Text(v) !== null ? null : failure);
const name = (failure) => (v) => (accountNameValid(v) ? null : failure);
const range = (lo, hi, failure) => (v) => (v >= BigInt(lo) && v <= BigInt(hi) ? null : failure);

// ------------------------------------------------------------------ section 14: device lists

const Hosted = 3n;

export const DeviceEntrySchema = {
  name: 'DeviceEntry',
  fields: [
    { number: 1, name: 'device', type: 'uint32', missing: 'InvalidDeviceId', check: range(1, 255, 'InvalidDeviceId') },
    { number: 2, name: 'identity', type: 'bytes', missing: 'InvalidIdentityKey', check: len(128, 'InvalidIdentityKey') },
    { number: 3, name: 'label', type: 'string', missing: 'InvalidLabel', check: text(L.MaxLabelLength, 'InvalidLabel') },
    { number: 4, name: 'role', type: 'enum', missing: 'InvalidRole', check: range(1, 3, 'InvalidRole') },
    { number: 5, name: 'processor', type: 'string', missing: null, check: text(64, 'InvalidProcessor') },
  ],
  end: (e) => {
    if (e.role === Hosted && e.processor === undefined) return 'MissingProcessor';
    if (e.role !== Hosted && e.processor !== undefined) return 'UnexpectedProcessor';
    return null;
  },
};

export const DeviceListSchema = {
  name: 'DeviceList',
  fields: [
    { number: 1, name: 'account', type: 'string', missing: 'InvalidAccount', check: name('InvalidAccount') },
    { number: 2, name: 'kind', type: 'enum', missing: 'InvalidAccountKind', check: range(1, 2, 'InvalidAccountKind') },
    { number: 3, name: 'version', type: 'uint64', missing: 'MissingVersion', check: ok },
    { number: 4, name: 'issued_at_ms', type: 'uint64', missing: 'MissingIssuedAt', check: ok },
    {
      number: 5,
      name: 'devices',
      type: 'message',
      schema: DeviceEntrySchema,
      missing: 'NoDevices',
      check: ok,
      repeated: true,
      max: L.MaxDevicesPerAccount,
      tooMany: 'TooManyDevices',
      entry: (e, prev) => (e.device === prev.device ? 'DuplicateDevice' : e.device < prev.device ? 'DevicesOutOfOrder' : null),
    },
  ],
};

export const SignedDeviceListSchema = {
  name: 'SignedDeviceList',
  fields: [
    { number: 1, name: 'account_key', type: 'bytes', missing: 'InvalidAccountKey', check: len(32, 'InvalidAccountKey') },
    { number: 2, name: 'list', type: 'bytes', missing: 'MissingList', check: ok },
    { number: 3, name: 'signature', type: 'bytes', missing: 'InvalidSignatureLength', check: len(64, 'InvalidSignatureLength') },
  ],
};

/** Section 14.1: returns { account_key, list_bytes, signature, list } or throws a failure name. */
export function readSignedDeviceList(bytes) {
  if (bytes.length > L.MaxSignedDeviceListLength) fail(Encoding.TooLarge);
  const signed = readRecord(bytes, SignedDeviceListSchema);
  if (!ed25519Verify(signed.account_key, domainMessage(BusinessLabels.deviceList, signed.list), signed.signature)) fail('BadSignature');
  const list = readRecord(signed.list, DeviceListSchema);
  for (const e of list.devices) parseIdentityKey(e.identity);
  return { account_key: signed.account_key, list_bytes: signed.list, signature: signed.signature, list };
}

/** Section 14.3: "ToBusiness" or "ToProcessor:<names>". */
export function endToEnd(list) {
  const names = [];
  for (const e of list.devices) {
    if (e.role !== Hosted) continue;
    const n = utf8Text(e.processor);
    if (!names.includes(n)) names.push(n);
  }
  return names.length === 0 ? 'ToBusiness' : `ToProcessor:${names.join(',')}`;
}

/** Section 14.2 for a client that stores `currentBytes` (or nothing): returns { added, removed } or throws. */
export function acceptDeviceList(account, currentBytes, nextBytes) {
  const next = readSignedDeviceList(nextBytes);
  if (utf8Text(next.list.account) !== account) fail('WrongAccount');
  if (currentBytes === null) return { added: next.list.devices.map((e) => Number(e.device)), removed: [], repeat: false };
  const current = readSignedDeviceList(currentBytes);
  if (!equal(current.account_key, next.account_key)) fail('AccountKeyMismatch');
  if (current.list.kind !== next.list.kind) fail('AccountKindMismatch');
  if (next.list.version < current.list.version) fail('VersionRollback');
  if (next.list.version === current.list.version) {
    if (!equal(currentBytes, nextBytes)) fail('VersionRollback');
    return { added: [], removed: [], repeat: true };
  }
  const key = (e) => `${e.device}:${Buffer.from(e.identity).toString('hex')}`;
  const before = new Set(current.list.devices.map(key));
  const after = new Set(next.list.devices.map(key));
  const added = next.list.devices.filter((e) => !before.has(key(e))).map((e) => Number(e.device));
  const removed = current.list.devices.filter((e) => !after.has(key(e))).map((e) => Number(e.device));
  return { added, removed, repeat: false };
}

/** Encodes a device list from its JSON form. */
export function writeDeviceList(json) {
  return writeRecord(DeviceListSchema, json);
}

export function writeSignedDeviceList(accountKey, listBytes, signature) {
  return writeRecord(SignedDeviceListSchema, { account_key: accountKey, list: listBytes, signature });
}

// ------------------------------------------------------------------ section 15: contact links

const AllowedScopes = 2n | 4n | 8n;

export const ContactLinkSchema = {
  name: 'ContactLink',
  fields: [
    { number: 1, name: 'account', type: 'string', missing: 'InvalidAccount', check: name('InvalidAccount') },
    { number: 2, name: 'display_name', type: 'string', missing: 'InvalidDisplayName', check: text(L.MaxDisplayNameLength, 'InvalidDisplayName') },
    { number: 3, name: 'account_key', type: 'bytes', missing: 'InvalidAccountKey', check: len(32, 'InvalidAccountKey') },
    {
      number: 4,
      name: 'prefilled_text',
      type: 'string',
      missing: null,
      check: (v) => {
        const t = utf8Text(v);
        return t !== null && [...t].length <= L.MaxPrefilledTextScalars ? null : 'InvalidPrefilledText';
      },
    },
    { number: 5, name: 'referral', type: 'bytes', missing: null, check: (v) => (v.length <= L.MaxReferralLength ? null : 'InvalidReferral') },
    { number: 6, name: 'scopes', type: 'uint32', missing: null, check: (v) => ((v & ~AllowedScopes) === 0n ? null : 'InvalidScopes') },
    { number: 7, name: 'issued_at_ms', type: 'uint64', missing: 'MissingIssuedAt', check: ok },
    {
      number: 8,
      name: 'expires_at_ms',
      type: 'uint64',
      missing: 'MissingExpiry',
      check: (v, out) => (v > out.issued_at_ms ? null : 'InvalidExpiry'),
    },
  ],
};

export const SignedContactLinkSchema = {
  name: 'SignedContactLink',
  fields: [
    { number: 1, name: 'link', type: 'bytes', missing: 'MissingLink', check: ok },
    { number: 2, name: 'signature', type: 'bytes', missing: 'InvalidSignatureLength', check: len(64, 'InvalidSignatureLength') },
  ],
};

/** Section 15.1: returns { link_bytes, signature, link } or throws a failure name. */
export function readSignedContactLink(bytes) {
  if (bytes.length > L.MaxSignedContactLinkLength) fail(Encoding.TooLarge);
  const signed = readRecord(bytes, SignedContactLinkSchema);
  const link = readRecord(signed.link, ContactLinkSchema);
  if (!ed25519Verify(link.account_key, domainMessage(BusinessLabels.contactLink, signed.link), signed.signature)) fail('BadSignature');
  return { link_bytes: signed.link, signature: signed.signature, link };
}

export function writeContactLink(json) {
  return writeRecord(ContactLinkSchema, json);
}

export function writeSignedContactLink(linkBytes, signature) {
  return writeRecord(SignedContactLinkSchema, { link: linkBytes, signature });
}

const Base64Url = /^[A-Za-z0-9_-]*$/;

/** RFC 4648 section 5 without padding. */
export function base64Url(bytes) {
  return Buffer.from(bytes).toString('base64url');
}

/** Section 15.2: the SignedContactLink bytes of a URI, or InvalidUri. */
export function parseContactUri(uri) {
  let payload = null;
  if (uri.startsWith('e2echat:c/')) {
    payload = uri.slice('e2echat:c/'.length);
  } else {
    const m = /^https:\/\/([a-z0-9.-]{1,253})\/c\/(.*)$/s.exec(uri);
    if (m) payload = m[2];
  }
  if (payload === null || !Base64Url.test(payload)) fail('InvalidUri');
  const bytes = new Uint8Array(Buffer.from(payload, 'base64url'));
  if (base64Url(bytes) !== payload) fail('InvalidUri');
  return bytes;
}

export function contactUri(signed) {
  return `e2echat:c/${base64Url(signed)}`;
}

export function contactWebUri(host, signed) {
  return `https://${host}/c/${base64Url(signed)}`;
}

/** Section 15.3 (the parts a vector covers): returns the read link or throws. */
export function openContactLink(uri, nowMs, directoryAccountKey) {
  const signed = readSignedContactLink(parseContactUri(uri));
  if (BigInt(nowMs) >= signed.link.expires_at_ms) fail('Expired');
  if (!equal(directoryAccountKey, signed.link.account_key)) fail('AccountKeyMismatch');
  return signed;
}

// ------------------------------------------------------------------ section 13: content

export const ApplicationMessageSchema = {
  name: 'ApplicationMessage',
  fields: [
    { number: 1, name: 'body', type: 'bytes', missing: 'MissingBody', check: (v) => (v.length <= L.MaxBodyLength ? null : 'BodyTooLarge') },
    { number: 2, name: 'category', type: 'enum', missing: null, check: range(1, 4, 'InvalidCategory') },
    { number: 3, name: 'referral', type: 'bytes', missing: null, check: (v) => (v.length <= L.MaxReferralLength ? null : 'InvalidReferral') },
  ],
};

export const ReceiptSchema = {
  name: 'Receipt',
  fields: [
    { number: 1, name: 'type', type: 'enum', missing: 'InvalidReceiptType', check: range(1, 2, 'InvalidReceiptType') },
    { number: 2, name: 'message_id', type: 'bytes', missing: 'InvalidReceiptMessageId', check: len(16, 'InvalidReceiptMessageId') },
  ],
};

export const SyncMessageSchema = {
  name: 'SyncMessage',
  fields: [
    { number: 1, name: 'recipient', type: 'string', missing: 'InvalidSyncRecipient', check: name('InvalidSyncRecipient') },
    { number: 2, name: 'recipient_kind', type: 'enum', missing: 'InvalidSyncRecipient', check: range(1, 2, 'InvalidSyncRecipient') },
    { number: 3, name: 'message', type: 'message', schema: ApplicationMessageSchema, missing: 'MissingSyncMessage', check: ok },
  ],
};

/** The Content fields: name, type and (for messages read by this section) schema. */
export const ContentFields = Object.freeze({
  1: { name: 'message', type: 'message', schema: ApplicationMessageSchema },
  2: { name: 'sender_key_distribution', type: 'bytes' },
  3: { name: 'device_list', type: 'message', schema: null },
  4: { name: 'receipt', type: 'message', schema: ReceiptSchema },
  5: { name: 'sync', type: 'message', schema: SyncMessageSchema },
  6: { name: 'consent', type: 'message', schema: null },
});

/** Section 13: returns { <field name>: value } with exactly one field, or throws a failure name. */
export function readContent(bytes) {
  if (bytes.length > L.MaxContentLength) fail(Encoding.TooLarge);
  const r = new RecordReader(bytes);
  let out = null;
  while (!r.done) {
    const { number, wire } = r.tag();
    const field = number >= 1n && number <= 6n ? ContentFields[Number(number)] : undefined;
    if (!field) fail('UnknownContent');
    if (out !== null) fail('MultipleContents');
    if (wire !== wireTypeOf(field.type)) fail(Encoding.WrongWireType);
    const value = Uint8Array.from(r.lengthDelimited());
    if (field.type === 'bytes' && value.length === 0) fail(Encoding.DefaultValueWritten);
    out = { [field.name]: field.schema ? readRecord(value, field.schema) : value };
  }
  if (out === null) fail('ContentMissing');
  return out;
}

/** Encodes a Content with one field: { message | sender_key_distribution | device_list | receipt | sync | consent }. */
export function writeContent(obj) {
  const fields = Object.entries(ContentFields).map(([number, f]) => ({
    number: Number(number),
    name: f.name,
    type: f.schema || f.type === 'bytes' ? f.type : 'bytes',
    schema: f.schema ?? undefined,
  }));
  return writeRecord({ name: 'Content', fields }, obj);
}

export { concat, failureOf };
