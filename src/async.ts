// The options of async sends: receivers are called in call order and their results awaited, one
// after another ('serial', the default) or all together ('concurrent'). The send loops themselves
// are Signal's (src/signal.ts), next to the sync ones, so that every send takes its receivers by
// the same rules.

import { assertOptionsObject, invalidArgument } from './shared/validate'

/**
 * How {@link Signal.sendAsync} and {@link Signal.sendAsyncRobust} run the receivers:
 * - `'serial'` (the default): call a receiver, await its result, then call the next one
 *   (blinker's `send_async`);
 * - `'concurrent'`: call every receiver, in order and synchronously, then await all the results
 *   together (Django's `asend`).
 *
 * @example
 * ```ts
 * import { type Concurrency, Signal } from 'signalry'
 *
 * const saved = new Signal()
 * saved.connect(async () => 'indexed')
 * const mode: Concurrency = 'concurrent'
 * const results = await saved.sendAsync(undefined, undefined, { concurrency: mode })
 * console.log(results.map(([, result]) => result)) // Prints: [ 'indexed' ]
 * ```
 */
export type Concurrency = 'serial' | 'concurrent'

/**
 * Options of {@link Signal.sendAsync} and {@link Signal.sendAsyncRobust}.
 *
 * @remarks
 * Unknown keys and a `concurrency` other than `'serial'` or `'concurrent'` make the send reject
 * with a TypeError before any receiver is called.
 *
 * @example
 * ```ts
 * import { type SendAsyncOptions, Signal } from 'signalry'
 *
 * const uploaded = new Signal<string>()
 * uploaded.connect(async (_, file) => `thumbnail of ${file}`)
 * uploaded.connect(async (_, file) => `virus scan of ${file}`)
 * const allAtOnce: SendAsyncOptions = { concurrency: 'concurrent' }
 * const results = await uploaded.sendAsync(undefined, 'cat.png', allAtOnce)
 * console.log(results.map(([, result]) => result)) // Prints: [ 'thumbnail of cat.png', 'virus scan of cat.png' ]
 * ```
 */
export interface SendAsyncOptions {
  /** `'serial'` (default): await each receiver before calling the next; `'concurrent'`: call all, then await all. */
  concurrency?: Concurrency
}

const SEND_ASYNC_OPTION_KEYS: ReadonlySet<string> = new Set(['concurrency'])

/** Validates sendAsync options; returns the concurrency. Throws a TypeError naming the bad option. */
export function resolveSendAsyncOptions(method: string, options: unknown): Concurrency {
  if (options === undefined) return 'serial'
  assertOptionsObject(method, options, SEND_ASYNC_OPTION_KEYS)
  const { concurrency = 'serial' } = options
  if (concurrency !== 'serial' && concurrency !== 'concurrent') {
    throw invalidArgument(method, `'serial' or 'concurrent' as option "concurrency"`, concurrency)
  }
  return concurrency
}
