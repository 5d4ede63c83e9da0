// Signals as async iterables: `events()` buffers sends for a `for await` loop, `next()` waits for
// one send. Both connect an ordinary synchronous receiver through the signal's public API (so sends
// stay synchronous and `send()` keeps working), and disconnect it the moment they are done.

import { type ConnectOptions, passOn, type ResolvedConnectOptions, resolveConnectOptions } from './options'
import type { ANY } from './shared/any'
import { describeSignal } from './shared/describe'
import { abortConnection, asyncDisposeSymbol, disposeSymbol } from './shared/dispose'
import { assertOptionsObject, invalidArgument } from './shared/validate'
import type { Connection, Receiver } from './types'

/**
 * What {@link Signal.events} does when a send arrives and its buffer is full:
 * - `'error'` (the default): the iterator fails — buffered sends are dropped, the receiver is
 *   disconnected, and the next `next()` rejects with an {@link EventsOverflowError};
 * - `'drop-oldest'`: the oldest buffered send makes room for the new one (keep the latest state);
 * - `'drop-newest'`: the new send is dropped (keep what is already queued).
 *
 * @example
 * ```ts
 * import { type Overflow, Signal } from 'signalry'
 *
 * const progress = new Signal<number>()
 * const keepLatest: Overflow = 'drop-oldest'
 * const updates = progress.events({ bufferSize: 1, overflow: keepLatest })
 * progress.send(undefined, 10)
 * progress.send(undefined, 20)
 * console.log((await updates.next()).value) // Prints: [ undefined, 20 ]
 * await updates.return()
 * ```
 */
export type Overflow = 'drop-oldest' | 'drop-newest' | 'error'

/**
 * Options of {@link Signal.events}.
 *
 * @remarks
 * Unknown keys, a `bufferSize` that is not a positive integer, an unknown `overflow` and a
 * `signal` that is not an AbortSignal throw a TypeError; nothing is connected then.
 *
 * @typeParam S - The sender type of the signal.
 *
 * @example
 * ```ts
 * import { type EventsOptions, Signal } from 'signalry'
 *
 * const logged = new Signal<string, string>()
 * const fromDb: EventsOptions<string> = { sender: 'db', bufferSize: 100, overflow: 'drop-oldest' }
 * const lines = logged.events(fromDb)
 * logged.send('cache', 'miss')
 * logged.send('db', 'slow query')
 * console.log((await lines.next()).value) // Prints: [ 'db', 'slow query' ]
 * await lines.return()
 * ```
 */
export interface EventsOptions<S = unknown> {
  /** Only sends with this sender (`Object.is`); default {@link ANY}, every send. */
  sender?: S | typeof ANY
  /** How many sends may wait in the buffer for the consumer. A positive integer; default 1024. */
  bufferSize?: number
  /** What to do with a send that arrives when the buffer is full; default `'error'`. See {@link Overflow}. */
  overflow?: Overflow
  /** Aborting it disconnects at once; the next `next()` rejects with the abort reason, then the iterator is done. */
  signal?: AbortSignal
}

/**
 * Options of {@link Signal.next}.
 *
 * @typeParam S - The sender type of the signal.
 *
 * @example
 * ```ts
 * import { type NextOptions, Signal } from 'signalry'
 *
 * const ready = new Signal<string, string>()
 * const fromWorker: NextOptions<string> = { sender: 'worker', signal: AbortSignal.timeout(60_000) }
 * const waiting = ready.next(fromWorker)
 * ready.send('main', 'not this one')
 * ready.send('worker', 'booted')
 * console.log(await waiting) // Prints: [ 'worker', 'booted' ]
 * ```
 */
export interface NextOptions<S = unknown> {
  /** Only a send with this sender (`Object.is`); default {@link ANY}, any send. */
  sender?: S | typeof ANY
  /** Aborting it disconnects and rejects the promise with the abort reason. */
  signal?: AbortSignal
}

/**
 * The async iterator {@link Signal.events} returns: yields `[sender, payload]` for each send, in
 * order, and is disposable with `await using`.
 *
 * @remarks
 * `return()` (also what `break` out of `for await` calls) and `[Symbol.asyncDispose]()` disconnect at
 * once, before their promise settles, and drop the buffered sends; `next()` calls waiting then
 * resolve with `{ done: true }`.
 *
 * @typeParam P - The payload type of the signal.
 * @typeParam S - The sender type of the signal.
 *
 * @example
 * ```ts
 * import { type EventIterator, Signal } from 'signalry'
 *
 * const saved = new Signal<{ id: number }, string>()
 * const events: EventIterator<{ id: number }, string> = saved.events()
 * saved.send('orders', { id: 1 })
 * const { value } = await events.next()
 * console.log(value) // Prints: [ 'orders', { id: 1 } ]
 * await events.return()
 * console.log(saved.receiverCount) // Prints: 0
 * ```
 */
// AsyncIterator, not AsyncIterableIterator: the latter takes a second type argument only from
// TypeScript 5.6, and these declarations must type-check on TypeScript 5.2 (skipLibCheck false).
export interface EventIterator<P = void, S = unknown>
  extends AsyncIterator<[S, P], undefined>,
    AsyncDisposable {
  /** The next send as `{ done: false, value: [sender, payload] }`, waiting for one if none is buffered. */
  next(): Promise<IteratorResult<[S, P], undefined>>
  /** Ends the iteration: disconnects at once and drops the buffered sends. */
  return(): Promise<IteratorReturnResult<undefined>>
  /** The iterator itself, for `for await`. */
  [Symbol.asyncIterator](): EventIterator<P, S>
}

/**
 * The error of an {@link Signal.events} iterator whose buffer overflowed with `overflow: 'error'`
 * (the default): the consumer fell behind the senders by more than `bufferSize` sends.
 *
 * @example
 * ```ts
 * import { EventsOverflowError, Signal } from 'signalry'
 *
 * const tick = new Signal<number>()
 * const ticks = tick.events({ bufferSize: 2 })
 * for (let n = 1; n <= 3; n++) tick.send(undefined, n)
 * try {
 *   await ticks.next()
 * } catch (error) {
 *   if (error instanceof EventsOverflowError) console.log('fell behind; buffer size', error.bufferSize) // Prints: fell behind; buffer size 2
 * }
 * ```
 */
export class EventsOverflowError extends Error {
  /** The buffer size that was exceeded. */
  readonly bufferSize: number

  /**
   * Creates the error for an events() buffer of `bufferSize` that overflowed; the library throws it.
   *
   * @param bufferSize - The buffer size that was exceeded.
   * @param signalDescription - Which signal, for the message.
   */
  constructor(bufferSize: number, signalDescription: string) {
    super(
      `events() of ${signalDescription} received a send while its buffer of ${bufferSize} was full: the consumer ` +
        'fell behind, so the iteration ended and its buffered sends were dropped. Consume faster, raise ' +
        `bufferSize, or pass overflow: 'drop-oldest' or 'drop-newest' if losing sends is acceptable.`,
    )
    this.name = 'EventsOverflowError'
    this.bufferSize = bufferSize
  }
}

/** The default buffer of events(): generous for bursts, small enough that a stalled consumer is noticed. */
const DEFAULT_BUFFER_SIZE = 1024

/** @internal What events() and next() need of a signal: its public scoped connect. */
interface ScopedConnector<P, S> {
  connectedTo(receiver: Receiver<P, S>, options?: ConnectOptions<S> | ResolvedConnectOptions<S>): Connection
}

const EVENTS_OPTION_KEYS: ReadonlySet<string> = new Set(['sender', 'bufferSize', 'overflow', 'signal'])
const NEXT_OPTION_KEYS: ReadonlySet<string> = new Set(['sender', 'signal'])
const DONE: IteratorReturnResult<undefined> = /*#__PURE__*/ Object.freeze({
  done: true,
  value: undefined,
}) as IteratorReturnResult<undefined>

interface Reader<P, S> {
  resolve(result: IteratorResult<[S, P], undefined>): void
  reject(reason: unknown): void
}

/**
 * Validates the options both methods share; returns the resolved connect options for them, without
 * the AbortSignal: the caller listens to it itself and ends the connection as aborted
 * (abortConnection), so that a waiting call puts one listener on it, not two.
 */
function connectOptionsOf<S>(
  method: string,
  options: Record<string, unknown>,
  once: boolean,
): ConnectPlan<S> {
  const shared: Record<string, unknown> = { once }
  if ('sender' in options) shared['sender'] = options['sender']
  if (options['signal'] !== undefined) shared['signal'] = options['signal']
  const resolved = resolveConnectOptions<S>(method, shared) // validates `signal`
  return { connect: passOn({ ...resolved, signal: undefined }), abortSignal: resolved.signal }
}

/** @internal What events() and next() connect with, and the AbortSignal they listen to. */
interface ConnectPlan<S> {
  readonly connect: ResolvedConnectOptions<S>
  readonly abortSignal: AbortSignal | undefined
}

/** Ends a connection of connectedTo() as aborted (see abortConnection). */
function abort(connection: Connection): void {
  ;(connection as Connection & { [abortConnection](): void })[abortConnection]()
}

/** Opens the iterator of `signal.events(options)`: validates, then connects at once. */
export function openEvents<P, S>(signal: ScopedConnector<P, S>, options: unknown): EventIterator<P, S> {
  const given = options === undefined ? {} : options
  assertOptionsObject('events', given, EVENTS_OPTION_KEYS)
  const plan = connectOptionsOf<S>('events', given, false)
  const { bufferSize = DEFAULT_BUFFER_SIZE, overflow = 'error' } = given
  if (typeof bufferSize !== 'number' || !Number.isSafeInteger(bufferSize) || bufferSize < 1) {
    throw invalidArgument('events', 'a positive integer as option "bufferSize"', bufferSize)
  }
  if (overflow !== 'error' && overflow !== 'drop-oldest' && overflow !== 'drop-newest') {
    throw invalidArgument('events', `'error', 'drop-oldest' or 'drop-newest' as option "overflow"`, overflow)
  }
  return new DisposableEventStream<P, S>(signal, plan, bufferSize, overflow)
}

/** A first-in first-out queue with O(1) shift. */
class Queue<T> {
  #items: Array<T | undefined> = []
  #head = 0

  get length(): number {
    return this.#items.length - this.#head
  }

  push(item: T): void {
    this.#items.push(item)
  }

  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined
    const item = this.#items[this.#head]
    this.#items[this.#head++] = undefined
    if (this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
    return item
  }

  clear(): void {
    this.#items = []
    this.#head = 0
  }
}

class EventStream<P, S> implements EventIterator<P, S> {
  readonly #buffer = new Queue<[S, P]>()
  readonly #readers = new Queue<Reader<P, S>>()
  readonly #bufferSize: number
  readonly #overflow: Overflow
  readonly #describe: () => string
  #connection: Connection | undefined
  #abortSignal: AbortSignal | undefined
  #open = true
  /** Set when the iteration failed (overflow, abort) and the next next() has yet to reject with it. */
  #failure: { reason: unknown } | undefined

  constructor(
    signal: ScopedConnector<P, S>,
    { connect, abortSignal }: ConnectPlan<S>,
    bufferSize: number,
    overflow: Overflow,
  ) {
    this.#bufferSize = bufferSize
    this.#overflow = overflow
    this.#describe = () => describeSignal(signal)
    if (abortSignal?.aborted === true) {
      this.#open = false
      this.#failure = { reason: abortSignal.reason }
      return
    }
    this.#connection = signal.connectedTo((sender, payload) => this.#receive(sender, payload), connect)
    if (abortSignal !== undefined) {
      this.#abortSignal = abortSignal
      abortSignal.addEventListener('abort', this.#onAbort, { once: true })
    }
  }

  readonly #onAbort = (): void => {
    const reason = (this.#abortSignal as AbortSignal).reason
    if (this.#connection !== undefined) abort(this.#connection)
    this.#fail(reason)
  }

  #receive(sender: S, payload: P): void {
    if (!this.#open) return
    const reader = this.#readers.shift()
    if (reader !== undefined) {
      reader.resolve({ done: false, value: [sender, payload] })
      return
    }
    if (this.#buffer.length >= this.#bufferSize) {
      if (this.#overflow === 'drop-newest') return
      if (this.#overflow === 'error') {
        this.#fail(new EventsOverflowError(this.#bufferSize, this.#describe()))
        return
      }
      this.#buffer.shift()
    }
    this.#buffer.push([sender, payload])
  }

  /** Disconnects at once and drops what is buffered; readers waiting get `done`. */
  #close(): void {
    if (this.#connection !== undefined) {
      this.#connection[disposeSymbol]()
      this.#connection = undefined
    }
    if (this.#abortSignal !== undefined) {
      this.#abortSignal.removeEventListener('abort', this.#onAbort)
      this.#abortSignal = undefined
    }
    this.#open = false
    this.#buffer.clear()
    for (let reader = this.#readers.shift(); reader !== undefined; reader = this.#readers.shift())
      reader.resolve(DONE)
  }

  /** Ends the iteration with an error: a waiting reader gets it, else the next next() does. */
  #fail(reason: unknown): void {
    if (!this.#open) return
    const reader = this.#readers.shift()
    if (reader !== undefined) reader.reject(reason)
    else this.#failure = { reason }
    this.#close()
  }

  /**
   * The next buffered send as `{ done: false, value: [sender, payload] }`, waiting for one if the
   * buffer is empty; `{ done: true }` once the iteration has ended.
   */
  next(): Promise<IteratorResult<[S, P], undefined>> {
    const value = this.#buffer.shift()
    if (value !== undefined) return Promise.resolve({ done: false, value })
    const failure = this.#failure
    if (failure !== undefined) {
      this.#failure = undefined
      return Promise.reject(failure.reason)
    }
    if (!this.#open) return Promise.resolve(DONE)
    return new Promise((resolve, reject) => this.#readers.push({ resolve, reject }))
  }

  /** Ends the iteration: disconnects at once (before the promise settles) and drops buffered sends. */
  return(): Promise<IteratorReturnResult<undefined>> {
    this.#failure = undefined
    this.#close()
    return Promise.resolve(DONE)
  }

  /** For `await using`: ends the iteration like {@link EventStream.return} (defined below the class). */
  declare [asyncDisposeSymbol]: () => Promise<void>;

  [Symbol.asyncIterator](): this {
    return this
  }
}

// The `await using` method is put on the prototype by a call marked pure, not written in the class
// body: a computed key other than a well-known symbol (`Symbol.asyncDispose` may be missing, hence
// asyncDisposeSymbol) makes bundlers keep the class, and all it reaches, in bundles without events().
const DisposableEventStream = /*#__PURE__*/ withAsyncDispose(EventStream)

function withAsyncDispose(stream: typeof EventStream): typeof EventStream {
  // Written as a method of an object literal so that it is named as in a class body ("[Symbol.asyncDispose]").
  const { [asyncDisposeSymbol]: value } = {
    [asyncDisposeSymbol](this: EventStream<unknown, unknown>): Promise<void> {
      void this.return()
      return Promise.resolve()
    },
  }
  // Not enumerable, like a method of a class body.
  Object.defineProperty(stream.prototype, asyncDisposeSymbol, { value, writable: true, configurable: true })
  return stream
}

/** Waits for the next matching send of `signal`: the promise of `signal.next(options)`. */
export function nextSend<P, S>(signal: ScopedConnector<P, S>, options: unknown): Promise<[S, P]> {
  const given = options === undefined ? {} : options
  assertOptionsObject('next', given, NEXT_OPTION_KEYS)
  const { connect, abortSignal } = connectOptionsOf<S>('next', given, true)
  if (abortSignal?.aborted === true) return Promise.reject(abortSignal.reason)
  return new Promise<[S, P]>((resolve, reject) => {
    const onAbort = (): void => {
      abort(connection)
      reject((abortSignal as AbortSignal).reason)
    }
    const connection = signal.connectedTo((sender, payload) => {
      abortSignal?.removeEventListener('abort', onAbort)
      resolve([sender, payload])
    }, connect)
    abortSignal?.addEventListener('abort', onAbort, { once: true })
  })
}
