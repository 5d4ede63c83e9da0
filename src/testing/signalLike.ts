// How signalry/testing's signatures accept signals: by two of their methods, not the Signal class.
// Checking a NamedSignal against `Signal<any, any, any>` (or inferring a signal's type arguments
// from the class) makes the compiler compare the whole self-referring class structurally, which
// takes it tens of seconds per call site; these checks take none.

/**
 * Any signal (`Signal`, `NamedSignal`), as `signalry/testing` accepts it.
 *
 * @example
 * ```ts
 * import { Signal } from 'signalry'
 * import type { AnySignal } from 'signalry/testing'
 *
 * const saved: AnySignal = new Signal<number>()
 * console.log(typeof saved.next) // Prints: function
 * ```
 */
export interface AnySignal {
  /** `Signal.next()`: its result type carries the signal's sender and payload types. */
  next(options?: any): Promise<readonly [any, any]>
  /** `Signal.muted()`. */
  muted(): Disposable
}

/** `[sender, payload]` of a signal type, read from its `next()`. */
export type SendOf<Sig extends AnySignal> = Awaited<ReturnType<Sig['next']>>
