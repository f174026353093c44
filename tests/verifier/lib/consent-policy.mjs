// The consent policy of PROTOCOL.md section 17, written from the spec: a pair's state, applying a
// record (17.2), the service window (17.3), the decision table (17.4) and the ledger rule (17.6).
// Times and serials are BigInt (u64).

export const ServiceWindowMs = 86400000n;
const U64Max = 0xffffffffffffffffn;

export const Categories = Object.freeze({ SERVICE: 1, UTILITY: 2, MARKETING: 3, AUTHENTICATION: 4 });
export const Actions = Object.freeze({ GRANT: 1, REVOKE: 2, BLOCK: 3, UNBLOCK: 4 });
export const ActionNames = Object.freeze(['UNSPECIFIED', 'GRANT', 'REVOKE', 'BLOCK', 'UNBLOCK']);

/** The initial state of a pair (17.1). */
export function initialState() {
  return { serial: 0n, lastAction: 0, blocked: false, scopes: 0, grantExpires: 0n, windowUntil: 0n };
}

/** scope(c) = 1 << (c - 1) (16.1). */
export function scopeOf(category) {
  if (!Number.isInteger(category) || category < 1 || category > 4) throw new RangeError(`category ${category}`);
  return 1 << (category - 1);
}

/** 17.2: returns the new state, or null for StaleSerial (nothing changes). */
export function applyRecord(state, { action, scopes, serial, expiresAt }) {
  if (serial <= state.serial) return null;
  const next = { ...state, serial, lastAction: action };
  switch (action) {
    case Actions.GRANT:
      next.scopes = scopes;
      next.grantExpires = expiresAt;
      break;
    case Actions.REVOKE:
      next.scopes = 0;
      next.grantExpires = 0n;
      break;
    case Actions.BLOCK:
      next.blocked = true;
      next.scopes = 0;
      next.grantExpires = 0n;
      break;
    case Actions.UNBLOCK:
      next.blocked = false;
      break;
    default:
      throw new RangeError(`action ${action}`);
  }
  return next;
}

/** 17.3: a customer's message at t. */
export function openWindow(state, t) {
  if (state.blocked) return state;
  const end = t + ServiceWindowMs > U64Max ? U64Max : t + ServiceWindowMs;
  return end > state.windowUntil ? { ...state, windowUntil: end } : state;
}

/** 17.4: the decision for a business message of category c at t. */
export function decide(state, c, t) {
  const granted = (state.scopes & scopeOf(c)) !== 0;
  if (state.blocked) return 'Blocked';
  if (t < state.windowUntil) return 'Deliver';
  if (granted && (state.grantExpires === 0n || t < state.grantExpires)) return 'Deliver';
  if (granted) return 'Expired';
  if (state.lastAction === Actions.REVOKE) return 'Revoked';
  if (c === Categories.SERVICE && state.windowUntil > 0n) return 'WindowClosed';
  return 'NoConsent';
}

/** 17.6: the ledger's UTC day of a time. */
export function ledgerDay(t) {
  return t / ServiceWindowMs;
}
