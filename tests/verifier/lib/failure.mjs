// Typed protocol failures. A protocol operation that refuses its input throws a ProtocolFailure
// whose `failure` is the failure name used in PROTOCOL.md (e.g. "TooBigGap"); the vector checkers
// compare that name with the expected one.

export class ProtocolFailure extends Error {
  constructor(failure) {
    super(failure);
    this.name = 'ProtocolFailure';
    this.failure = failure;
  }
}

/** Throws ProtocolFailure(name). */
export function fail(name) {
  throw new ProtocolFailure(name);
}

/**
 * Runs fn and returns the failure name it throws, or null if it succeeds. Any error that is not a
 * ProtocolFailure propagates: hostile input must only ever produce typed failures.
 */
export function failureOf(fn) {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof ProtocolFailure) return e.failure;
    throw e;
  }
}

/** Runs fn, mapping any ProtocolFailure to another failure name. */
export function mapFailure(fn, name) {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ProtocolFailure) fail(name);
    throw e;
  }
}
