// The recorder matchers, written once for jest's and vitest's `expect.extend` (both call a matcher
// with a context that has `isNot`, `equals` and `utils`), and the failure texts node:test shares.
import { hasRecorderBrand } from './brand'
import type { RecordedCall, Recorder } from './recorder'

/** What jest and vitest give a matcher as `this`: only the parts these matchers use. */
export interface SignalMatcherContext {
  /** Whether the matcher runs under `.not`. */
  readonly isNot: boolean
  /** The runner's deep equality (asymmetric matchers such as `expect.any` included). */
  equals(a: unknown, b: unknown): boolean
  /** The runner's printing helpers. */
  readonly utils: {
    matcherHint(name: string, received?: string, expected?: string, options?: object): string
    printExpected(value: unknown): string
    printReceived(value: unknown): string
    diff(expected: unknown, received: unknown): string | null | undefined
  }
}

/** What a matcher returns to the runner. */
export interface SignalMatcherResult {
  /** Whether the expectation holds (before `.not`). */
  readonly pass: boolean
  /** The failure message. */
  readonly message: () => string
}

/** The types the matchers add to `expect(recorder)`, for jest's and vitest's augmentations. */
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
 */
export const signalMatchers = {
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
