// Async sends: receivers are called in call order and their results awaited, one after another
// ('serial', the default) or all together ('concurrent').
//
// The signal hands over what its synchronous sends use too: the plan the send started with (a
// copy-on-write array, so holding it across awaits is safe) and `take`, which decides at the moment
// of the call whether a planned connection is still to be called and resolves its receiver. So a
// receiver disconnected while an earlier one is awaited is not called, one connected meanwhile is
// not in the plan, and a `once` receiver is removed before its one call even when sends overlap.
//
// The process-wide nested-send stack (sendDepth.ts) is synchronous: each receiver call is wrapped
// in enterSend/leaveSend on its own, and nothing stays on the stack across an await.

import type { ConnectionRecord, ReceiverFunction } from './connections'
import { invalidArgument } from './errors'
import { assertOptionsObject } from './options'
import { enterSend, leaveSend } from './sendDepth'
import type { Outcome } from './types'

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

/** @internal What a signal hands to an async send once it has checked that the send calls someone. */
export interface AsyncSendSource {
  /** The signal, for the nested-send stack. */
  readonly signal: object
  /** The connections the send calls, in call order, as they were when it started. */
  readonly plan: readonly ConnectionRecord[]
  /**
   * The receiver to call for a planned connection, or undefined to skip it (disconnected since,
   * or already called by this send). Removes a `once` connection; may throw (a receiverDisconnected
   * receiver that throws).
   */
  take(record: ConnectionRecord): ReceiverFunction | undefined
  /** `take` by the robust sends' rule: a failure to take is the outcome of the receiver it was about. */
  takeRobust(record: ConnectionRecord): ReceiverFunction | TakeFailure | undefined
}

/** @internal Taking a receiver threw: the error is that receiver's outcome in a robust send. */
export class TakeFailure {
  constructor(
    readonly receiver: ReceiverFunction,
    readonly reason: unknown,
  ) {}
}

type Pair<V> = [receiver: ReceiverFunction, value: V]

/** Calls one receiver with the signal on the nested-send stack for exactly the synchronous call. */
function call(signal: object, receiver: ReceiverFunction, sender: unknown, payload: unknown): unknown {
  enterSend(signal)
  try {
    return (receiver as (sender: unknown, payload: unknown) => unknown)(sender, payload)
  } finally {
    leaveSend()
  }
}

/**
 * Calls the receivers and awaits their results; the first failure rejects (see the method docs for
 * which one is first in each mode).
 */
export async function sendAsyncFrom(
  source: AsyncSendSource,
  sender: unknown,
  payload: unknown,
  concurrency: Concurrency,
): Promise<Array<Pair<unknown>>> {
  const { signal, plan } = source
  const results: Array<Pair<unknown>> = []
  if (concurrency === 'serial') {
    for (let i = 0; i < plan.length; i++) {
      const receiver = source.take(plan[i] as ConnectionRecord)
      if (receiver === undefined) continue
      results.push([receiver, await call(signal, receiver, sender, payload)])
    }
    return results
  }
  // Concurrent: call everyone first. A receiver that throws counts as a rejection of its own; the
  // later receivers are still called, as they would be if it had returned a rejected promise.
  // A receiver that could not be taken (undefined here) always has a rejected entry, so it is never
  // read back into the results.
  const receivers: Array<ReceiverFunction | undefined> = []
  const pending: unknown[] = []
  for (let i = 0; i < plan.length; i++) {
    let receiver: ReceiverFunction | undefined
    try {
      receiver = source.take(plan[i] as ConnectionRecord)
      if (receiver === undefined) continue
      pending.push(call(signal, receiver, sender, payload))
    } catch (error) {
      pending.push(Promise.reject(error))
    }
    receivers.push(receiver)
  }
  // allSettled handles every rejection, so none is ever reported as unhandled; the send settles
  // only when every receiver has, and then rejects with the error of the earliest one in call order.
  const outcomes = await Promise.allSettled(pending)
  for (let i = 0; i < outcomes.length; i++) {
    const outcome = outcomes[i] as PromiseSettledResult<unknown>
    if (outcome.status === 'rejected') throw outcome.reason
    results.push([receivers[i] as ReceiverFunction, outcome.value])
  }
  return results
}

/** Calls every receiver and reports each one's {@link Outcome}; rejects only for errors of the send itself. */
export async function sendAsyncRobustFrom(
  source: AsyncSendSource,
  sender: unknown,
  payload: unknown,
  concurrency: Concurrency,
): Promise<Array<Pair<Outcome>>> {
  const { signal, plan } = source
  const results: Array<Pair<Outcome>> = []
  const receivers: ReceiverFunction[] = []
  const pending: unknown[] = []
  for (let i = 0; i < plan.length; i++) {
    const taken = source.takeRobust(plan[i] as ConnectionRecord)
    if (taken === undefined) continue
    let receiver: ReceiverFunction
    let result: unknown
    if (taken instanceof TakeFailure) {
      receiver = taken.receiver
      result = Promise.reject(taken.reason)
    } else {
      receiver = taken
      // Outside the receiver's try: a SendDepthError is an error of the send, as in sendRobust.
      try {
        enterSend(signal)
      } catch (error) {
        void Promise.allSettled(pending) // the receivers already called are not left unhandled
        throw error
      }
      try {
        result = (receiver as (sender: unknown, payload: unknown) => unknown)(sender, payload)
      } catch (reason) {
        result = Promise.reject(reason)
      } finally {
        leaveSend()
      }
    }
    if (concurrency === 'serial') {
      const [outcome] = await Promise.allSettled([result])
      results.push([receiver, outcome as Outcome])
    } else {
      pending.push(result)
      receivers.push(receiver)
    }
  }
  if (concurrency === 'serial') return results
  const outcomes = await Promise.allSettled(pending)
  for (let i = 0; i < outcomes.length; i++) results.push([receivers[i] as ReceiverFunction, outcomes[i] as Outcome])
  return results
}
