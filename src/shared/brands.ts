// The brands that recognise the library's objects across every copy of it in the process (the ESM
// and the CJS build side by side, two installed copies): registered symbols whose names carry the
// protocol version, set on each class's prototype. One definition of each, used by whoever must
// recognise the object without importing its class (which would make an import circle).

/** @internal On every Signal (NamedSignal included). */
export const SIGNAL_BRAND = Symbol.for('signalry.Signal@1')
/** @internal On every NamedSignal. */
export const NAMED_SIGNAL_BRAND = Symbol.for('signalry.NamedSignal@1')
/** @internal On every Namespace. */
export const NAMESPACE_BRAND = Symbol.for('signalry.Namespace@1')

/** @internal Whether `value` is an object carrying `brand`. Never throws. */
export function hasBrand(value: unknown, brand: symbol): boolean {
  try {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true
  } catch {
    return false // a revoked proxy
  }
}

/** @internal Marks a class's instances with `brand` (on its prototype, not enumerable). */
export function brand(prototype: object, brandSymbol: symbol): void {
  Object.defineProperty(prototype, brandSymbol, { value: true })
}

/**
 * @internal Whether `cls` is the class that defines the branded `Symbol.hasInstance` (not a
 * subclass, which inherits it and should use ordinary `instanceof`).
 *
 * Asked of `this` instead of comparing it with the class by name: a class body that names its own
 * class makes the bundler rename it (`var Signal = class _Signal`), and users would see `_Signal`
 * in stack traces. __tests__/package/classNames.test.ts checks the built files.
 */
export function definesBrandCheck(cls: object): boolean {
  return Object.hasOwn(cls, Symbol.hasInstance)
}
