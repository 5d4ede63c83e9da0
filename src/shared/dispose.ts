// The dispose symbols, without patching any global.

/**
 * @internal `Symbol.dispose` where the runtime has it (Node ≥ 18.18, current browsers), else the
 * registered `Symbol.for('Symbol.dispose')` that TypeScript's `using` helpers and common polyfills
 * look up.
 */
export const disposeSymbol: typeof Symbol.dispose = /*#__PURE__*/ symbolNamed('dispose')

/** @internal `Symbol.asyncDispose`, or the registered `Symbol.for('Symbol.asyncDispose')`, likewise. */
export const asyncDisposeSymbol: typeof Symbol.asyncDispose = /*#__PURE__*/ symbolNamed('asyncDispose')

// A call (marked pure) rather than an expression: a bundler cannot tell that reading `Symbol.dispose`
// has no side effect, and would keep the module's code for it.
function symbolNamed<Name extends 'dispose' | 'asyncDispose'>(name: Name): SymbolConstructor[Name] {
  return (
    (Symbol as Partial<SymbolConstructor>)[name] ?? (Symbol.for(`Symbol.${name}`) as SymbolConstructor[Name])
  )
}

/**
 * @internal Ends a connection returned by `connectedTo()` as aborted (reported as `'aborted'` on
 * `receiverDisconnected`): for events() and next(), which listen to their AbortSignal themselves so
 * that a waiting call puts one listener on it, not two (the connection's and their own).
 */
export const abortConnection = Symbol('signalry.abortConnection')
