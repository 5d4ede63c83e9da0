// Assertions for node:test (and any runner without `expect`): they throw node's AssertionError
// with `actual` and `expected`, which node:test prints as a diff.
import { AssertionError } from 'node:assert'
import { isDeepStrictEqual } from 'node:util'
import { hasRecorderBrand } from './brand'
import type { RecordedCall, Recorder } from './recorder'

function recorderOf(method: string, value: unknown): Recorder<any, any> {
  if (hasRecorderBrand(value)) return value as Recorder<any, any>
  throw new TypeError(`${method}() expects a recorder from record() (signalry/testing) as its first argument`)
}

/**
 * An AssertionError whose message is `message` (the caller's), or ours followed by the diff node's
 * assert writes for `operator` (`strictEqual`, `deepStrictEqual`): the text node:test prints.
 */
function fail(
  method: Function,
  message: string | undefined,
  ours: string,
  actual: unknown,
  expected: unknown,
  operator: 'strictEqual' | 'deepStrictEqual' | 'fail',
): AssertionError {
  const error = new AssertionError({ actual, expected, operator, stackStartFn: method })
  const text = message ?? (operator === 'fail' ? ours : `${ours}\n\n${error.message}`)
  // The stack's first line repeats the message as it was when the error was made.
  if (error.stack !== undefined) error.stack = error.stack.replace(error.message, text)
  error.message = text
  if (message !== undefined) error.generatedMessage = false
  return error
}

/**
 * Asserts that `recorder` heard at least one send; throws an `AssertionError` otherwise.
 *
 * @param recorder - A {@link Recorder} from `record()`.
 * @param message - Replaces the default failure message.
 *
 * @example
 * ```ts
 * import { Signal } from 'signalry'
 * import { record } from 'signalry/testing'
 * import { assertSent } from 'signalry/testing/node'
 *
 * const saved = new Signal()
 * using calls = record(saved)
 * saved.send()
 * assertSent(calls)
 * ```
 */
export function assertSent(recorder: Recorder<any, any>, message?: string): void {
  const calls = recorderOf('assertSent', recorder).calls
  if (calls.length > 0) return
  throw fail(
    assertSent,
    message,
    `Expected ${String(recorder.signal)} to have been sent, but it was never sent`,
    0,
    1,
    'fail',
  )
}

/**
 * Asserts that `recorder` heard no send; throws an `AssertionError` listing the sends otherwise.
 *
 * @param recorder - A {@link Recorder} from `record()`.
 * @param message - Replaces the default failure message.
 *
 * @example
 * ```ts
 * import { Signal } from 'signalry'
 * import { record } from 'signalry/testing'
 * import { assertNotSent } from 'signalry/testing/node'
 *
 * const saved = new Signal()
 * using calls = record(saved)
 * assertNotSent(calls)
 * ```
 */
export function assertNotSent(recorder: Recorder<any, any>, message?: string): void {
  const calls = recorderOf('assertNotSent', recorder).calls
  if (calls.length === 0) return
  throw fail(
    assertNotSent,
    message,
    `Expected ${String(recorder.signal)} not to have been sent, but it was sent ${calls.length} time(s)`,
    calls.map((call) => ({ ...call })),
    [],
    'deepStrictEqual',
  )
}

/**
 * Asserts that `recorder` heard exactly `times` sends; the `AssertionError` has the count as
 * `actual` and `times` as `expected`.
 *
 * @param recorder - A {@link Recorder} from `record()`.
 * @param times - The expected number of sends.
 * @param message - Replaces the default failure message.
 *
 * @example
 * ```ts
 * import { Signal } from 'signalry'
 * import { record } from 'signalry/testing'
 * import { assertSentTimes } from 'signalry/testing/node'
 *
 * const saved = new Signal()
 * using calls = record(saved)
 * saved.send()
 * assertSentTimes(calls, 1)
 * ```
 */
export function assertSentTimes(recorder: Recorder<any, any>, times: number, message?: string): void {
  const calls = recorderOf('assertSentTimes', recorder).calls
  if (calls.length === times) return
  throw fail(
    assertSentTimes,
    message,
    `Expected ${String(recorder.signal)} to have been sent ${times} time(s), but it was sent ${calls.length}`,
    calls.length,
    times,
    'strictEqual',
  )
}

/**
 * Asserts that one of the sends `recorder` heard had this sender and payload (deep strict
 * equality). The `AssertionError` has the latest send as `actual` and `{ sender, payload }` as
 * `expected`, and its message ends with node's diff of the two, which node:test prints.
 *
 * @param recorder - A {@link Recorder} from `record()`.
 * @param sender - The expected sender.
 * @param payload - The expected payload.
 * @param message - Replaces the default failure message.
 *
 * @example
 * ```ts
 * import { Signal } from 'signalry'
 * import { record } from 'signalry/testing'
 * import { assertSentWith } from 'signalry/testing/node'
 *
 * const saved = new Signal<{ id: number }, string>()
 * using calls = record(saved)
 * saved.send('orders', { id: 7 })
 * assertSentWith(calls, 'orders', { id: 7 })
 * try {
 *   assertSentWith(calls, 'orders', { id: 8 })
 * } catch (error) {
 *   console.log((error as Error).name, (error as { expected?: unknown }).expected)
 *   // Prints: AssertionError { sender: 'orders', payload: { id: 8 } }
 * }
 * ```
 */
export function assertSentWith<P, S>(
  recorder: Recorder<P, S>,
  sender: S,
  payload?: P,
  message?: string,
): void {
  const calls: ReadonlyArray<RecordedCall<P, S>> = recorderOf('assertSentWith', recorder).calls
  const expected = { sender, payload }
  if (calls.some((call) => isDeepStrictEqual({ ...call }, expected))) return
  const latest = calls[calls.length - 1]
  throw fail(
    assertSentWith,
    message,
    latest === undefined
      ? `Expected ${String(recorder.signal)} to have been sent with this sender and payload, but it was never sent`
      : `Expected ${String(recorder.signal)} to have been sent with this sender and payload; none of its ${calls.length} send(s) was (the diff shows the latest)`,
    latest === undefined ? undefined : { ...latest },
    expected,
    'deepStrictEqual',
  )
}
