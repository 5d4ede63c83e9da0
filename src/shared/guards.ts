// Small guards on values of unknown origin. None of them throws: bad input may be a revoked proxy
// or an object with throwing getters.

/** @internal Whether `value` is an object or a function: what a WeakMap, WeakRef or owner accepts (symbols aside). */
export function isObjectLike(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function'
}

/**
 * @internal Whether `value` has a callable `then` (a promise or another thenable). Reading `then`
 * may throw (a strict Proxy); callers that must not leave a state behind catch it.
 */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return isObjectLike(value) && typeof (value as { then?: unknown }).then === 'function'
}

/** @internal Whether `value` is an AbortSignal: duck-typed, so that those of another realm (a VM context, jsdom) pass. */
export function isAbortSignal(value: unknown): value is AbortSignal {
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as Partial<AbortSignal>
  try {
    return (
      typeof candidate.aborted === 'boolean' &&
      typeof candidate.addEventListener === 'function' &&
      typeof candidate.removeEventListener === 'function'
    )
  } catch {
    return false // a revoked proxy or a throwing getter: not an AbortSignal
  }
}

/** @internal Whether `value` is a class constructor: a function that throws when called without `new`. */
export function isClass(value: unknown): value is abstract new (...args: never[]) => unknown {
  if (typeof value !== 'function') return false
  // Classes have a non-writable prototype; plain functions a writable one, arrows and methods none.
  // Checked first, so that the source text is read only for the few candidates.
  try {
    // Arrows, methods and bound functions have no prototype: one property read rules them out.
    if ((value as { prototype?: unknown }).prototype === undefined) return false
    const prototype = Object.getOwnPropertyDescriptor(value, 'prototype')
    if (prototype === undefined || prototype.writable !== false) return false
    return /^class\b/.test(Function.prototype.toString.call(value))
  } catch {
    return false // a revoked proxy: not a class anyone could construct
  }
}

/**
 * @internal Whether `fn` is a native async function (bound ones included: they report it too).
 * Down-levelled ones and plain functions that return promises cannot be told apart from sync
 * functions before they are called.
 */
export function isAsyncFunction(fn: Function): boolean {
  return (fn as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'AsyncFunction'
}
