// Checkers for device-lists.json, contact-links.json and content.json (PROTOCOL.md 13.1, 14.5, 15.4).
import { equal, fromHex, toHex } from './bytes.mjs';
import { failureOf } from './failure.mjs';
import { domainMessage } from './keys.mjs';
import { ed25519Public, ed25519Sign } from './primitives.mjs';
import { utf8Text } from './records.mjs';
import {
  acceptDeviceList,
  BusinessLabels,
  contactUri,
  contactWebUri,
  endToEnd,
  openContactLink,
  parseContactUri,
  readContent,
  readSignedContactLink,
  readSignedDeviceList,
  writeContactLink,
  writeContent,
  writeDeviceList,
  writeSignedContactLink,
  writeSignedDeviceList,
} from './business.mjs';

class VectorMismatch extends Error {
  constructor(message) {
    super(message);
    this.name = 'Mismatch';
  }
}

function mismatch(message) {
  throw new VectorMismatch(message);
}

function get(o, key) {
  if (o === null || typeof o !== 'object' || !(key in o)) mismatch(`missing field ${key}`);
  return o[key];
}

function hex(o, key) {
  try {
    return fromHex(get(o, key));
  } catch (e) {
    if (e instanceof VectorMismatch) throw e;
    return mismatch(`${key}: ${e.message}`);
  }
}

function int(o, key) {
  const v = get(o, key);
  if (Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^(0|[1-9][0-9]*)$/.test(v)) return BigInt(v);
  return mismatch(`${key}: not an unsigned integer`);
}

function string(o, key) {
  const v = get(o, key);
  if (typeof v !== 'string') mismatch(`${key}: not a string`);
  return v;
}

function expectBytes(label, actual, expected) {
  if (!equal(actual, expected)) mismatch(`${label}: expected ${toHex(expected).slice(0, 80)}, computed ${toHex(actual).slice(0, 80)}`);
}

function expectSame(label, actual, expected) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) mismatch(`${label}: expected ${e}, computed ${a}`);
}

/** The failure fn throws ("None" when it succeeds) must be the vector's. */
function expectFailure(v, fn) {
  const expected = string(v, 'failure');
  let actual;
  try {
    actual = failureOf(fn) ?? 'None';
  } catch (e) {
    mismatch(`expected ${expected}, got an untyped error: ${e.message}`);
  }
  if (actual !== expected) mismatch(`expected failure ${expected}, computed ${actual}`);
}

const str = (bytes) => utf8Text(bytes);
const opt = (o, key) => (o && key in o && o[key] !== null ? o[key] : undefined);

// ------------------------------------------------------------------ device lists

function deviceListFromJson(j) {
  return {
    account: string(j, 'account'),
    kind: int(j, 'kind'),
    version: int(j, 'version'),
    issued_at_ms: int(j, 'issued_at_ms'),
    devices: get(j, 'devices').map((e) => ({
      device: int(e, 'device'),
      identity: hex(e, 'identity'),
      label: string(e, 'label'),
      role: int(e, 'role'),
      processor: opt(e, 'processor'),
    })),
  };
}

function deviceListToJson(list) {
  return {
    account: str(list.account),
    kind: list.kind,
    version: list.version,
    issued_at_ms: list.issued_at_ms,
    devices: list.devices.map((e) => ({
      device: e.device,
      identity: e.identity,
      label: str(e.label),
      role: e.role,
      processor: e.processor === undefined ? undefined : str(e.processor),
    })),
  };
}

export const bigJson = (o) => JSON.parse(JSON.stringify(o, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));

function checkDeviceList(v) {
  const seed = hex(v, 'account_key_seed');
  const list = deviceListFromJson(get(v, 'list'));
  const accountKey = ed25519Public(seed);
  expectBytes('account_key', accountKey, hex(v, 'account_key'));
  const listBytes = writeDeviceList(list);
  expectBytes('list_bytes', listBytes, hex(v, 'list_bytes'));
  const signature = ed25519Sign(seed, domainMessage(BusinessLabels.deviceList, listBytes));
  expectBytes('signature', signature, hex(v, 'signature'));
  const signed = writeSignedDeviceList(accountKey, listBytes, signature);
  expectBytes('signed', signed, hex(v, 'signed'));
  let read;
  const f = failureOf(() => {
    read = readSignedDeviceList(signed);
  });
  if (f !== null) mismatch(`reading signed fails with ${f}`);
  expectBytes('list read back', writeDeviceList(deviceListToJson(read.list)), listBytes);
  expectSame('end_to_end', endToEnd(read.list), string(v, 'end_to_end'));
}

function checkDeviceListInvalid(v) {
  const signed = hex(v, 'signed');
  expectFailure(v, () => readSignedDeviceList(signed));
}

function runUpdate(v) {
  const current = hex(v, 'current');
  const next = hex(v, 'next');
  return { current, next, result: () => acceptDeviceList(string(v, 'account'), current.length === 0 ? null : current, next) };
}

function checkDeviceListUpdate(v) {
  const { current, next, result } = runUpdate(v);
  let r;
  const f = failureOf(() => {
    r = result();
  });
  if (f !== null) mismatch(`the update fails with ${f}`);
  expectSame('added', r.added, get(v, 'added'));
  expectSame('removed', r.removed, get(v, 'removed'));
  expectBytes('stored', r.repeat ? current : next, hex(v, 'stored'));
}

function checkDeviceListUpdateInvalid(v) {
  expectFailure(v, runUpdate(v).result);
}

export const deviceListKinds = Object.freeze({
  device_list: checkDeviceList,
  device_list_invalid: checkDeviceListInvalid,
  device_list_update: checkDeviceListUpdate,
  device_list_update_invalid: checkDeviceListUpdateInvalid,
});

// ------------------------------------------------------------------ contact links

function checkContactLink(v) {
  const seed = hex(v, 'account_key_seed');
  const j = get(v, 'link');
  const accountKey = ed25519Public(seed);
  expectBytes('account_key', accountKey, hex(v, 'account_key'));
  const link = {
    account: string(j, 'account'),
    display_name: string(j, 'display_name'),
    account_key: accountKey,
    prefilled_text: opt(j, 'prefilled_text'),
    referral: opt(j, 'referral') === undefined ? undefined : hex(j, 'referral'),
    scopes: opt(j, 'scopes') === undefined ? undefined : int(j, 'scopes'),
    issued_at_ms: int(j, 'issued_at_ms'),
    expires_at_ms: int(j, 'expires_at_ms'),
  };
  const linkBytes = writeContactLink(link);
  expectBytes('link_bytes', linkBytes, hex(v, 'link_bytes'));
  const signature = ed25519Sign(seed, domainMessage(BusinessLabels.contactLink, linkBytes));
  expectBytes('signature', signature, hex(v, 'signature'));
  const signed = writeSignedContactLink(linkBytes, signature);
  expectBytes('signed', signed, hex(v, 'signed'));
  expectSame('uri', contactUri(signed), string(v, 'uri'));
  expectSame('web_uri', contactWebUri(string(v, 'host'), signed), string(v, 'web_uri'));
  for (const key of ['uri', 'web_uri']) {
    let read;
    const f = failureOf(() => {
      read = readSignedContactLink(parseContactUri(string(v, key)));
    });
    if (f !== null) mismatch(`reading ${key} fails with ${f}`);
    expectBytes(`${key} link read back`, writeContactLink(read.link), linkBytes);
  }
}

function checkContactLinkInvalid(v) {
  const signed = hex(v, 'signed');
  expectFailure(v, () => readSignedContactLink(signed));
}

function runOpen(v) {
  const uri = string(v, 'uri');
  const now = int(v, 'now_ms');
  const key = hex(v, 'directory_account_key');
  return () => openContactLink(uri, now, key);
}

function checkContactLinkOpen(v) {
  let opened;
  const f = failureOf(() => {
    opened = runOpen(v)();
  });
  if (f !== null) mismatch(`opening fails with ${f}`);
  expectBytes('link_bytes', opened.link_bytes, hex(v, 'link_bytes'));
}

function checkContactLinkOpenInvalid(v) {
  expectFailure(v, runOpen(v));
}

export const contactLinkKinds = Object.freeze({
  contact_link: checkContactLink,
  contact_link_invalid: checkContactLinkInvalid,
  contact_link_open: checkContactLinkOpen,
  contact_link_open_invalid: checkContactLinkOpenInvalid,
});

// ------------------------------------------------------------------ content

function messageFromJson(m) {
  return {
    body: hex(m, 'body'),
    category: opt(m, 'category') === undefined ? undefined : int(m, 'category'),
    referral: opt(m, 'referral') === undefined ? undefined : hex(m, 'referral'),
  };
}

function contentFromJson(c) {
  const keys = Object.keys(c);
  if (keys.length !== 1) mismatch('content: exactly one field expected');
  const k = keys[0];
  switch (k) {
    case 'message':
      return { message: messageFromJson(c.message) };
    case 'sender_key_distribution':
    case 'device_list':
    case 'consent':
      return { [k]: hex(c, k) };
    case 'receipt':
      return { receipt: { type: int(c.receipt, 'type'), message_id: hex(c.receipt, 'message_id') } };
    case 'sync':
      return {
        sync: {
          recipient: string(c.sync, 'recipient'),
          recipient_kind: int(c.sync, 'recipient_kind'),
          message: messageFromJson(get(c.sync, 'message')),
        },
      };
    default:
      return mismatch(`content: unknown field ${k}`);
  }
}

function normalize(content) {
  const message = (m) => ({ body: toHex(m.body), category: m.category, referral: m.referral === undefined ? undefined : toHex(m.referral) });
  const [k, value] = Object.entries(content)[0];
  if (k === 'message') return { message: message(value) };
  if (k === 'receipt') return { receipt: { type: value.type, message_id: toHex(value.message_id) } };
  if (k === 'sync') {
    const recipient = typeof value.recipient === 'string' ? value.recipient : str(value.recipient);
    return { sync: { recipient, recipient_kind: value.recipient_kind, message: message(value.message) } };
  }
  return { [k]: toHex(value) };
}

function checkContent(v) {
  const content = contentFromJson(get(v, 'content'));
  const encoded = writeContent(content);
  expectBytes('encoded', encoded, hex(v, 'encoded'));
  let read;
  const f = failureOf(() => {
    read = readContent(encoded);
  });
  if (f !== null) mismatch(`reading encoded fails with ${f}`);
  expectSame('content read back', bigJson(normalize(read)), bigJson(normalize(content)));
}

function checkContentInvalid(v) {
  const encoded = hex(v, 'encoded');
  expectFailure(v, () => readContent(encoded));
}

export const contentKinds = Object.freeze({
  content: checkContent,
  content_invalid: checkContentInvalid,
});
