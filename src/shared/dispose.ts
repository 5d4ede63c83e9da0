// The dispose symbols, without patching any global.

/**
 * @internal `Symbol.dispose` where the runtime has it (Node ≥ 18.18, current browsers), else the
 * registered `Symbol.for('Symbol.dispose')` that TypeScript's `using` helpers and common polyfills
 * look up.
 */
export const disposeSymbol: typeof Symbol.dispose =
  (Symbol as { dispose?: typeof Symbol.dispose }).dispose ??
  (Symbol.for('Symbol.dispose') as typeof Symbol.dispose)

/** @internal `Symbol.asyncDispose`, or the registered `Symbol.for('Symbol.asyncDispose')`, likewise. */
export const asyncDisposeSymbol: typeof Symbol.asyncDispose =
  (Symbol as { asyncDispose?: typeof Symbol.asyncDispose }).asyncDispose ??
  (Symbol.for('Symbol.asyncDispose') as typeof Symbol.asyncDispose)

/**
 * @internal Ends a connection returned by `connectedTo()` as aborted (reported as `'aborted'` on
 * `receiverDisconnected`): for events() and next(), which listen to their AbortSignal themselves so
 * that a waiting call puts one listener on it, not two (the connection's and their own).
 */
export const abortConnection = Symbol('signalry.abortConnection')
