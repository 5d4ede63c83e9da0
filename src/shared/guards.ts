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
