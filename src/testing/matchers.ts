// The recorder matchers, written once for jest's and vitest's `expect.extend` (both call a matcher
// with a context that has `isNot`, `equals` and `utils`), and the failure texts node:test shares.
import { hasRecorderBrand } from './brand'
import type { RecordedCall, Recorder } from './recorder'

/**
 * What jest and vitest give a matcher as `this`: only the parts these matchers use.
 *
 * @example
 * ```ts
 * import type { SignalMatcherContext, SignalMatcherResult } from 'signalry/testing/jest'
 *
 * // A matcher of your own that reuses the same context, for expect.extend:
 * function toBeEven(this: SignalMatcherContext, received: number): SignalMatcherResult {
 *   return { pass: received % 2 === 0, message: () => `expected ${this.utils.printReceived(received)} to be even` }
 * }
 * console.log(typeof toBeEven) // Prints: function
 * ```
 */
export interface SignalMatcherContext {
  /** Whether the matcher runs under `.not`. */
  readonly isNot?: boolean | undefined
  /** The runner's deep equality (asymmetric matchers such as `expect.any` included). */
  equals(a: unknown, b: unknown): boolean
  /** The runner's printing helpers. */
  readonly utils: {
    /** The first line of a failure: `expect(received).matcher(expected)`. */
    matcherHint(name: string, received?: string, expected?: string, options?: object): string
    /** A value printed as expected (green). */
    printExpected(value: unknown): string
    /** A value printed as received (red). */
    printReceived(value: unknown): string
    /** The runner's diff of two values. */
    diff(expected: unknown, received: unknown): string | null | undefined
  }
}

/**
 * What a matcher returns to the runner: what `expect.extend` expects of a synchronous matcher.
 *
 * @example
 * ```ts
 * import type { SignalMatcherContext, SignalMatcherResult } from 'signalry/testing/jest'
 *
 * // A matcher of your own that reuses the same context, for expect.extend:
 * function toBeEven(this: SignalMatcherContext, received: number): SignalMatcherResult {
 *   return { pass: received % 2 === 0, message: () => `expected ${this.utils.printReceived(received)} to be even` }
 * }
 * console.log(typeof toBeEven) // Prints: function
 * ```
 */
export interface SignalMatcherResult {
  /** Whether the expectation holds (before `.not`). */
  readonly pass: boolean
  /** The failure message. */
  readonly message: () => string
}

/**
 * The types the matchers add to `expect(recorder)`, for jest's and vitest's augmentations.
 *
 * @example
 * ```ts
 * import type { SignalMatchers } from 'signalry/testing/jest'
 *
 * // What `expect(recorder)` gains, as an ordinary type:
 * type Added = keyof SignalMatchers
 * const names: Added[] = ['toHaveBeenSent', 'toHaveBeenSentTimes', 'toHaveBeenSentWith']
 * console.log(names.length) // Prints: 3
 * ```
 */
export interface SignalMatchers<R = unknown> {
  /**
   * Passes when the recorder heard at least one send.
   *
   * @example
   * ```ts
   * import { expect } from 'expect'
   * import { Signal } from 'signalry'
   * import { record } from 'signalry/testing'
   * import { signalMatchers } from 'signalry/testing/jest'
   *
   * expect.extend(signalMatchers)
   * const saved = new Signal()
   * using calls = record(saved)
   * saved.send()
   * expect(calls).toHaveBeenSent()
   * ```
   */
  toHaveBeenSent(): R
  /**
   * Passes when the recorder heard exactly `times` sends.
   *
   * @example
   * ```ts
   * import { expect } from 'expect'
   * import { Signal } from 'signalry'
   * import { record } from 'signalry/testing'
   * import { signalMatchers } from 'signalry/testing/jest'
   *
   * expect.extend(signalMatchers)
   * const saved = new Signal()
   * using calls = record(saved)
   * saved.send()
   * saved.send()
   * expect(calls).toHaveBeenSentTimes(2)
   * ```
   */
  toHaveBeenSentTimes(times: number): R
  /**
   * Passes when one of the sends the recorder heard had this sender and payload (deep equality;
   * asymmetric matchers such as `expect.objectContaining` work).
   *
   * @example
   * ```ts
   * import { expect } from 'expect'
   * import { Signal } from 'signalry'
   * import { record } from 'signalry/testing'
   * import { signalMatchers } from 'signalry/testing/jest'
   *
   * expect.extend(signalMatchers)
   * const saved = new Signal<{ id: number }, string>()
   * using calls = record(saved)
   * saved.send('orders', { id: 7 })
   * expect(calls).toHaveBeenSentWith('orders', { id: 7 })
   * expect(calls).not.toHaveBeenSentWith('users', expect.anything())
   * ```
   */
  toHaveBeenSentWith(sender: unknown, payload?: unknown): R
}

function recorderOf(name: string, context: SignalMatcherContext, received: unknown): Recorder {
  if (hasRecorderBrand(received)) return received as Recorder
  throw new TypeError(
    `${context.utils.matcherHint(name, undefined, undefined, { isNot: context.isNot })}\n\n` +
      `The received value must be a recorder from record() (signalry/testing), got ${context.utils.printReceived(received)}`,
  )
}

/** The calls of a recorder, numbered, for failure messages. */
function listCalls(context: SignalMatcherContext, calls: readonly RecordedCall[]): string {
  if (calls.length === 0) return 'It was never sent.'
  return `Sends received:\n${calls
    .map((call, i) => `  ${i + 1}: ${context.utils.printReceived(call)}`)
    .join('\n')}`
}

/** Which signal a recorder records, for the first line of a message. */
function signalOf(recorder: Recorder): string {
  return String(recorder.signal)
}

/**
 * The matchers, for `expect.extend(signalMatchers)` in jest (`expect`, `@jest/globals`) and vitest:
 * `toHaveBeenSent()`, `toHaveBeenSentTimes(n)`, `toHaveBeenSentWith(sender, payload)` on a
 * {@link Recorder}. See {@link SignalMatchers}.
 *
 * @example
 * ```ts
 * import { expect } from 'expect'
 * import { Signal } from 'signalry'
 * import { record } from 'signalry/testing'
 * import { signalMatchers } from 'signalry/testing/jest'
 *
 * expect.extend(signalMatchers) // in a setup file: setupFilesAfterEnv (jest), setupFiles (vitest)
 * const saved = new Signal()
 * using calls = record(saved)
 * expect(calls).not.toHaveBeenSent()
 * ```
 */
export const signalMatchers = {
  /** See {@link SignalMatchers.toHaveBeenSent}. */
  toHaveBeenSent(this: SignalMatcherContext, received: unknown): SignalMatcherResult {
    const recorder = recorderOf('toHaveBeenSent', this, received)
    const calls = recorder.calls
    const pass = calls.length > 0
    const hint = this.utils.matcherHint('toHaveBeenSent', 'recorder', '', { isNot: this.isNot })
    return {
      pass,
      message: () =>
        pass
          ? `${hint}\n\nExpected ${signalOf(recorder)} not to have been sent, but it was sent ${calls.length} time${calls.length === 1 ? '' : 's'}.\n${listCalls(this, calls)}`
          : `${hint}\n\nExpected ${signalOf(recorder)} to have been sent, but it was never sent.`,
    }
  },

  /** See {@link SignalMatchers.toHaveBeenSentTimes}. */
  toHaveBeenSentTimes(this: SignalMatcherContext, received: unknown, times: unknown): SignalMatcherResult {
    const recorder = recorderOf('toHaveBeenSentTimes', this, received)
    if (typeof times !== 'number' || !Number.isSafeInteger(times) || times < 0) {
      throw new TypeError(
        `${this.utils.matcherHint('toHaveBeenSentTimes', 'recorder', 'times', { isNot: this.isNot })}\n\n` +
          `The expected count must be a non-negative integer, got ${this.utils.printExpected(times)}`,
      )
    }
    const calls = recorder.calls
    const pass = calls.length === times
    const hint = this.utils.matcherHint('toHaveBeenSentTimes', 'recorder', 'times', { isNot: this.isNot })
    return {
      pass,
      message: () =>
        `${hint}\n\nExpected ${signalOf(recorder)} ${pass ? 'not ' : ''}to have been sent ${this.utils.printExpected(times)} time${times === 1 ? '' : 's'}\n` +
        `Received: ${this.utils.printReceived(calls.length)} time${calls.length === 1 ? '' : 's'}\n\n${listCalls(this, calls)}`,
    }
  },

  /** See {@link SignalMatchers.toHaveBeenSentWith}. */
  toHaveBeenSentWith(
    this: SignalMatcherContext,
    received: unknown,
    sender: unknown,
    payload?: unknown,
  ): SignalMatcherResult {
    const recorder = recorderOf('toHaveBeenSentWith', this, received)
    const calls = recorder.calls
    const expected = { sender, payload }
    const matching = calls.findIndex(
      (call) => this.equals(call.sender, sender) && this.equals(call.payload, payload),
    )
    const pass = matching >= 0
    const hint = this.utils.matcherHint('toHaveBeenSentWith', 'recorder', 'sender, payload', {
      isNot: this.isNot,
    })
    return {
      pass,
      message: () => {
        if (pass) {
          return `${hint}\n\nExpected ${signalOf(recorder)} not to have been sent with ${this.utils.printExpected(expected)}\nbut send ${matching + 1} was.`
        }
        const closest = calls[calls.length - 1]
        const diff = closest === undefined ? undefined : this.utils.diff(expected, { ...closest })
        return (
          `${hint}\n\nExpected ${signalOf(recorder)} to have been sent with ${this.utils.printExpected(expected)}\n` +
          (diff ? `\nThe latest send differs:\n${diff}\n\n` : '\n') +
          listCalls(this, calls)
        )
      },
    }
  },
}
