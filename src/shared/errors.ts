import { functionLabel, messageOf } from './describe'

/**
 * Thrown when sends nest deeper than {@link Signal.maxSendDepth}: usually a cycle where a receiver
 * sends a signal that, directly or through others, sends the first one again.
 *
 * @remarks
 * The error names the chain of signals so the cycle can be found without reading a stack trace.
 * It is thrown by the innermost send before any of its receivers runs; every enclosing send
 * unwinds normally and every signal stays usable.
 *
 * @example
 * ```ts
 * import { SendDepthError, signal } from 'signalry'
 *
 * const ping = signal('ping')
 * const pong = signal('pong')
 * ping.connect(() => pong.send())
 * pong.connect(() => ping.send())
 * try {
 *   ping.send()
 * } catch (error) {
 *   if (error instanceof SendDepthError) console.log(error.cycle) // Prints: [ 'ping', 'pong', 'ping' ]
 * }
 * ```
 */
export class SendDepthError extends Error {
  /** The depth limit that was passed. */
  readonly limit: number
  /** Labels of every signal being sent, outermost first, ending with the one that could not be sent. */
  readonly chain: readonly string[]
  /** The repeating part of {@link SendDepthError.chain}, from the earlier send of the last signal to it. */
  readonly cycle: readonly string[]

  /**
   * Creates the error for a send that would nest deeper than `limit`; the library throws it.
   *
   * @param limit - The depth limit that was passed.
   * @param chain - Labels of the signals being sent, outermost first.
   * @param cycleStart - Where in `chain` the last signal was sent before, or -1.
   */
  constructor(limit: number, chain: readonly string[], cycleStart = -1) {
    const cycle = cycleStart < 0 ? [] : chain.slice(cycleStart)
    const shown = cycle.length > 0 ? cycle : chain.slice(-6)
    super(
      `Sends nested deeper than ${limit} (Signal.maxSendDepth) while sending ${chain[chain.length - 1] ?? 'a signal'}. ` +
        (cycle.length > 0
          ? `The signals form a cycle: ${shown.join(' → ')}; a receiver probably sends the signal that called it. `
          : `The innermost sends were: ${shown.join(' → ')}. `) +
        'Break the cycle, or raise Signal.maxSendDepth if the nesting is intended.',
    )
    this.name = 'SendDepthError'
    this.limit = limit
    this.chain = chain
    this.cycle = cycle
  }
}

/**
 * Thrown by `send()`, `emit()` and `sendRobust()` when a receiver they would call is a native
 * `async function`: they call receivers synchronously and would drop its promise. Also what a
 * rejected promise returned to one of them is reported as.
 *
 * @remarks
 * The check happens before any receiver runs, so a send either calls every receiver or none.
 * Async receivers are recognised when they are connected, not at each send. A plain function
 * that returns a promise (`jest.fn(async …)`, async code compiled to ES2016, an arrow returning a
 * promise) cannot be recognised before it is called: the send calls it and then never lets its
 * promise vanish. The first time each such receiver returns a promise (or another thenable) to a
 * synchronous send, an `AsyncReceiverWarning` naming it is emitted (`process.emitWarning` in Node,
 * `console.warn` elsewhere). `emit()` drops results, so if the promise rejects, the rejection is
 * reported as an unhandled rejection of an `AsyncReceiverError` naming the signal and the receiver,
 * with the original error as its `cause` — instead of the bare error, far from its cause.
 * `send()` and `sendRobust()` return the promise as the receiver's result, for the caller to await.
 *
 * @example
 * ```ts
 * import { AsyncReceiverError, Signal } from 'signalry'
 *
 * const saved = new Signal()
 * saved.connect(async () => {})
 * try {
 *   saved.send()
 * } catch (error) {
 *   console.log(error instanceof AsyncReceiverError) // Prints: true
 * }
 * ```
 */
export class AsyncReceiverError extends Error {
  /** The async receiver that would have been called. */
  readonly receiver: (...args: never[]) => unknown

  /**
   * Creates the error for `method` refusing to call `receiver`; the library throws it.
   *
   * @param method - The send method that refused: `send`, `emit` or `sendRobust`; the message points
   *   at `sendAsyncRobust` for `sendRobust` and at `sendAsync` for the others.
   * @param signalDescription - Which signal, for the message.
   * @param receiver - The async receiver.
   */
  constructor(
    method: string,
    signalDescription: string,
    receiver: (...args: never[]) => unknown,
    options?: { readonly cause: unknown },
  ) {
    const useInstead = `Use ${method === 'sendRobust' ? 'sendAsyncRobust' : 'sendAsync'}()`
    super(
      options === undefined
        ? `${method}() cannot call the async receiver ${functionLabel(receiver)} of ${signalDescription}: ` +
            `${method}() calls receivers synchronously and would drop its promise. ` +
            `${useInstead} to await async receivers, or connect a synchronous function.`
        : `The promise that receiver ${functionLabel(receiver)} of ${signalDescription} returned to ${method}() rejected: ` +
            `${messageOf(options.cause)}. ${method}() does not await receivers; ${useInstead} to await them ` +
            `and get their errors where the send is (the original error is this error's cause).`,
      options,
    )
    this.name = 'AsyncReceiverError'
    this.receiver = receiver
  }
}
