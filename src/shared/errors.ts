import { functionLabel } from './describe'

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
 * `async function`: they call receivers synchronously and would drop its promise.
 *
 * @remarks
 * The check happens before any receiver runs, so a send either calls every receiver or none.
 * Async receivers are recognised when they are connected, not at each send. A plain function
 * that returns a promise is not recognised; its promise is returned as its result.
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
  constructor(method: string, signalDescription: string, receiver: (...args: never[]) => unknown) {
    super(
      `${method}() cannot call the async receiver ${functionLabel(receiver)} of ${signalDescription}: ` +
        `${method}() calls receivers synchronously and would drop its promise. ` +
        `Use ${method === 'sendRobust' ? 'sendAsyncRobust' : 'sendAsync'}() to await async receivers, or connect a synchronous function.`,
    )
    this.name = 'AsyncReceiverError'
    this.receiver = receiver
  }
}
