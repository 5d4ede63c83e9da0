// Recorders: a receiver that keeps every call it gets, for tests to look at afterwards or await.
import { ANY, type ConnectOptions, type Connection, type Signal } from 'signalry'
import { disposeSymbol } from '../shared/dispose'
import { hasRecorderBrand, RECORDER } from './brand'
import type { AnySignal, SendOf } from './signalLike'
import { describeSignal } from '../shared/describe'
import { assertOptionsObject, invalidArgument } from '../shared/validate'

/**
 * One send a {@link Recorder} heard: its sender and payload.
 *
 * @example
 * ```ts
 * import { Signal } from 'signalry'
 * import { type RecordedCall, record } from 'signalry/testing'
 *
 * const saved = new Signal<number, string>()
 * using calls = record(saved)
 * saved.send('orders', 1)
 * const first: RecordedCall<number, string> | undefined = calls.calls[0]
 * console.log(first) // Prints: { sender: 'orders', payload: 1 }
 * ```
 */
export interface RecordedCall<P = unknown, S = unknown> {
  /** The sender of the send. */
  readonly sender: S
  /** The payload of the send (`undefined` when it had none). */
  readonly payload: P
}

/**
 * Options of {@link record}.
 *
 * @example
 * ```ts
 * import { Signal } from 'signalry'
 * import { type RecordOptions, record } from 'signalry/testing'
 *
 * const saved = new Signal<number, string>()
 * const onlyOrders: RecordOptions<string> = { sender: 'orders' }
 * using calls = record(saved, onlyOrders)
 * saved.send('users', 1)
 * console.log(calls.count) // Prints: 0
 * ```
 */
export interface RecordOptions<S = unknown> {
  /** Record only sends with this sender (`Object.is`); {@link ANY} (the default) records every send. */
  readonly sender?: S | typeof ANY
}

/**
 * Options of {@link Recorder.next}.
 *
 * @example
 * ```ts
 * import { Signal } from 'signalry'
 * import { type RecorderNextOptions, record } from 'signalry/testing'
 *
 * using calls = record(new Signal())
 * const options: RecorderNextOptions = { signal: AbortSignal.abort(new Error('test over')) }
 * await calls.next(options).catch((error: Error) => console.log(error.message)) // Prints: test over
 * ```
 */
export interface RecorderNextOptions {
  /** Rejects with `signal.reason` (and stops waiting) when aborted. */
  readonly signal?: AbortSignal
  /** Rejects with an `Error` when no call arrives within this many milliseconds. */
  readonly timeout?: number
}

/** @internal Whether `value` is a {@link Recorder} of any copy of `signalry/testing`. */
export function isRecorder(value: unknown): value is Recorder<unknown, unknown> {
  return hasRecorderBrand(value)
}

interface Waiter {
  readonly resolve: (call: RecordedCall<any, any>) => void
  readonly reject: (reason: unknown) => void
}

/**
 * A receiver connected to a signal that records every send it hears, in order: what {@link record}
 * returns. Stop it with `using`, {@link Recorder.stop} or `[Symbol.dispose]()`.
 *
 * @typeParam P - The signal's payload type.
 * @typeParam S - The signal's sender type.
 *
 * @example
 * ```ts
 * import { Signal } from 'signalry'
 * import { Recorder, record } from 'signalry/testing'
 *
 * const saved = new Signal<{ id: number }, string>()
 * using calls = record(saved)
 * saved.send('orders', { id: 1 })
 * console.log(calls instanceof Recorder, calls.count, calls.last) // Prints: true 1 { sender: 'orders', payload: { id: 1 } }
 * ```
 */
export class Recorder<P = unknown, S = unknown> implements Disposable {
  /**
   * The signal this recorder listens to. Typed loosely on purpose: a recorder of one signal type
   * stays assignable to `Recorder` (comparing two Signal types structurally is costly for the compiler).
   */
  readonly signal: Signal<any, any, any>
  /**
   * The function connected to the signal: pass it where a receiver is expected, as {@link isolate}
   * does, to let this recorder hear a muted signal.
   */
  readonly receiver: (sender: any, payload: any) => void
  readonly #calls: Array<RecordedCall<P, S>> = []
  readonly #connection: Connection
  #waiters: Waiter[] = []

  /**
   * Connects a recorder to `signal`; {@link record} is the usual way to make one.
   *
   * @param signal - The signal to record.
   * @param options - `sender`: record only sends with this sender.
   */
  constructor(signal: AnySignal, options?: RecordOptions<S>) {
    if (options !== undefined) assertOptionsObject('record', options, ['sender'])
    if (typeof (signal as Partial<Signal>)?.connectedTo !== 'function')
      throw invalidArgument('record', 'a signal', signal)
    this.signal = signal as unknown as Signal<any, any, any>
    Object.defineProperty(this, RECORDER, { value: true })
    // A named function, so that a listing of connections (and leak reports) says what it is.
    const recorder = this
    this.receiver = function recorder$receiver(sender: S, payload: P): void {
      recorder.#hear({ sender, payload })
    }
    Object.defineProperty(this.receiver, 'name', { value: `record(${describeSignal(signal)})` })
    const sender = options !== undefined && 'sender' in options ? options.sender : ANY
    this.#connection = this.signal.connectedTo(this.receiver, { sender } as ConnectOptions<S>)
  }

  #hear(call: RecordedCall<P, S>): void {
    this.#calls.push(call)
    const waiters = this.#waiters
    if (waiters.length === 0) return
    this.#waiters = []
    for (const waiter of waiters) waiter.resolve(call)
  }

  /**
   * The calls heard so far, oldest first (a copy).
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   * import { record } from 'signalry/testing'
   *
   * const tick = new Signal<number>()
   * using ticks = record(tick)
   * tick.send('clock', 1)
   * tick.send('clock', 2)
   * console.log(ticks.calls.map((call) => call.payload)) // Prints: [ 1, 2 ]
   * ```
   */
  get calls(): Array<RecordedCall<P, S>> {
    return [...this.#calls]
  }

  /**
   * How many calls were heard.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   * import { record } from 'signalry/testing'
   *
   * const tick = new Signal()
   * using ticks = record(tick)
   * tick.send()
   * console.log(ticks.count) // Prints: 1
   * ```
   */
  get count(): number {
    return this.#calls.length
  }

  /**
   * The latest call heard, or `undefined` when there was none.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   * import { record } from 'signalry/testing'
   *
   * const tick = new Signal<number>()
   * using ticks = record(tick)
   * console.log(ticks.last) // Prints: undefined
   * tick.send('clock', 3)
   * console.log(ticks.last?.payload) // Prints: 3
   * ```
   */
  get last(): RecordedCall<P, S> | undefined {
    return this.#calls[this.#calls.length - 1]
  }

  /**
   * Whether the recorder still listens (it has not been stopped).
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   * import { record } from 'signalry/testing'
   *
   * const ticks = record(new Signal())
   * ticks.stop()
   * console.log(ticks.recording) // Prints: false
   * ```
   */
  get recording(): boolean {
    return this.#connection.connected
  }

  /**
   * Forgets the calls heard so far; the recorder keeps listening.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   * import { record } from 'signalry/testing'
   *
   * const tick = new Signal()
   * using ticks = record(tick)
   * tick.send()
   * ticks.clear()
   * console.log(ticks.count) // Prints: 0
   * ```
   */
  clear(): void {
    this.#calls.length = 0
  }

  /**
   * A promise of the next call this recorder hears (calls heard before are not considered).
   *
   * @remarks
   * Rejects with `signal.reason` when `signal` aborts, with an `Error` after `timeout` milliseconds
   * without a call, and with an `Error` when the recorder is stopped first.
   *
   * @param options - `signal`, `timeout`; see {@link RecorderNextOptions}.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   * import { record } from 'signalry/testing'
   *
   * const uploaded = new Signal<string>()
   * using uploads = record(uploaded)
   * setTimeout(() => uploaded.send('worker', 'cat.png'), 1)
   * console.log(await uploads.next({ timeout: 1000 })) // Prints: { sender: 'worker', payload: 'cat.png' }
   * ```
   */
  next(options?: RecorderNextOptions): Promise<RecordedCall<P, S>> {
    try {
      if (options !== undefined) assertOptionsObject('next', options, ['signal', 'timeout'])
    } catch (error) {
      return Promise.reject(error)
    }
    const { signal, timeout }: RecorderNextOptions = options ?? {}
    if (timeout !== undefined && !(typeof timeout === 'number' && timeout >= 0))
      return Promise.reject(invalidArgument('next', 'a number of milliseconds as timeout', timeout))
    if (signal?.aborted === true) return Promise.reject(signal.reason)
    if (!this.recording)
      return Promise.reject(new Error('next() was called on a stopped recorder: it will hear no more calls'))
    return new Promise<RecordedCall<P, S>>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined
      const settle = (): void => {
        if (timer !== undefined) clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        this.#waiters = this.#waiters.filter((waiter) => waiter !== entry)
      }
      const entry: Waiter = {
        resolve: (call) => {
          settle()
          resolve(call)
        },
        reject: (reason) => {
          settle()
          reject(reason)
        },
      }
      const onAbort = (): void => entry.reject(signal?.reason)
      signal?.addEventListener('abort', onAbort, { once: true })
      if (timeout !== undefined) {
        timer = setTimeout(
          () =>
            entry.reject(
              new Error(`no send of ${describeSignal(this.signal)} was recorded within ${timeout} ms`),
            ),
          timeout,
        )
      }
      this.#waiters.push(entry)
    })
  }

  /**
   * Disconnects the recorder; the calls heard stay readable. A send already running when it stops
   * does not reach it any more. Pending {@link Recorder.next} promises reject.
   *
   * @returns `true` if it was still recording.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   * import { record } from 'signalry/testing'
   *
   * const tick = new Signal()
   * const ticks = record(tick)
   * tick.send()
   * console.log(ticks.stop(), ticks.stop()) // Prints: true false
   * tick.send()
   * console.log(ticks.count, tick.receiverCount) // Prints: 1 0
   * ```
   */
  stop(): boolean {
    const stopped = this.#connection.disconnect()
    const waiters = this.#waiters
    this.#waiters = []
    for (const waiter of waiters) waiter.reject(new Error('the recorder was stopped before a call arrived'))
    return stopped
  }

  /**
   * Stops the recorder, for `using`; see {@link Recorder.stop}.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   * import { record } from 'signalry/testing'
   *
   * const tick = new Signal()
   * {
   *   using _ticks = record(tick)
   *   console.log(tick.receiverCount) // Prints: 1
   * }
   * console.log(tick.receiverCount) // Prints: 0
   * ```
   */
  [disposeSymbol](): void {
    this.stop()
  }
}

/**
 * Records the sends of `signal` (Flask's `captured_templates`, a sinon spy): connects a
 * {@link Recorder} for `sender` (default {@link ANY}: every send) until it is stopped.
 *
 * @param signal - The signal to record.
 * @param options - `sender`: record only sends with this sender.
 * @throws TypeError for something that is not a signal, or a bad option.
 *
 * @example
 * ```ts
 * import { signal } from 'signalry'
 * import { record } from 'signalry/testing'
 *
 * const saved = signal<{ id: number }, string>('docs.record.saved')
 * using orders = record(saved, { sender: 'orders' })
 * saved.send('orders', { id: 1 })
 * saved.send('users', { id: 2 })
 * console.log(orders.calls) // Prints: [ { sender: 'orders', payload: { id: 1 } } ]
 * ```
 */
export function record<Sig extends AnySignal>(
  signal: Sig,
  options?: RecordOptions<SendOf<Sig>[0]>,
): Recorder<SendOf<Sig>[1], SendOf<Sig>[0]> {
  return new Recorder(signal, options)
}
