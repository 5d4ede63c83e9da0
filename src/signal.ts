import { type Concurrency, resolveSendAsyncOptions, type SendAsyncOptions } from './async'
import { connectorFor, type ReceiverDecorator } from './decorators'
import {
  checkReceiverCount,
  defaultMaxReceivers,
  maxReceiversOf,
  activeTracing,
  publishSend,
  type SendMethod,
  type SendTrace,
  reportThenable,
  setDefaultMaxReceivers,
  setMaxReceiversOf,
  tracePromise,
  traceSync,
} from './diagnostics'
import {
  type ConnectionRecord,
  type DisconnectReason,
  type ReceiverFunction,
  rethrowLater,
  type SenderGroup,
} from './engine/connections'
import { enterSend, leaveSend } from './engine/sendDepth'
import { type ConnectionCounts, ConnectionTable, type FastPlan, type TableOwnerHooks } from './engine/table'
import { type EventIterator, type EventsOptions, type NextOptions, nextSend, openEvents } from './events'
import {
  type ConnectOptions,
  type DisconnectOptions,
  type KeyedDisconnect,
  passOn,
  type ResolvedConnectOptions,
  resolveConnectOptions,
  resolveDisconnectOptions,
  resolveKeyedDisconnect,
} from './options'
import { runScoped, scopeHandle } from './scope'
import { ANY } from './shared/any'
import { brand, definesBrandCheck, hasBrand, NAMED_SIGNAL_BRAND, SIGNAL_BRAND } from './shared/brands'
import { isSendObserved, publishReceiverError, type ReceiverErrorSource } from './shared/channels'
import { describeSignal, signalText } from './shared/describe'
import { abortConnection, disposeSymbol } from './shared/dispose'
import { AsyncReceiverError } from './shared/errors'
import { processState } from './shared/processState'
import { isAsyncFunction, isObjectLike } from './shared/guards'
import {
  assertBody,
  assertConnectableReceiver,
  assertNumberSetting,
  assertReceiver,
  invalidArgument,
} from './shared/validate'
import type {
  AsyncRobustSendResult,
  AsyncSendResult,
  ConnectInfo,
  Connection,
  DisconnectInfo,
  Outcome,
  Receiver,
  RobustSendResult,
  SendArguments,
  SendResult,
  signalTypes,
  SyncSendArguments,
} from './types'

type AnySignal = Signal<unknown, unknown, unknown>

/** What every signal's connection table calls back (see TableOwnerHooks); set by the first signal constructed. */
let tableHooks: TableOwnerHooks | undefined

/**
 * @internal A signal's connections counted by kind of sender, dead ones ended first; set by the first
 * signal constructed (a signal exists before anyone can count its connections).
 */
export let countConnections: ((signal: Signal<unknown, unknown, unknown>) => ConnectionCounts) | undefined

/**
 * A signal: receivers connect to it, senders send through it, and every matching receiver runs.
 *
 * @remarks
 * - **Order.** Receivers run in descending `priority`, then in connection order, across receivers
 *   connected for {@link ANY} and for the specific sender together.
 * - **Senders.** A receiver connected for a sender runs only for sends whose sender is that value
 *   (`Object.is`; primitives match by value). One connected for {@link ANY} runs for every send. A
 *   receiver runs at most once per send, even when connected for both.
 * - **Snapshots.** A send calls the receivers connected when it started: one connected during the
 *   send is not called by it; one disconnected during the send is not called after that.
 * - **Errors.** The first receiver error propagates out of `send`/`emit` and no later receiver runs;
 *   {@link Signal.sendRobust} runs them all. The signal stays usable after any error.
 * - **Lifetimes.** Connections hold receivers strongly, unless connected with `weak: true` (the
 *   receiver is held by a `WeakRef`) or `owner` (the connection lives as long as the owner; see
 *   {@link disconnectOwner}). Sender objects are never kept alive by a signal: when one is
 *   collected, its sender-specific connections end.
 *
 * @typeParam P - The payload type; `void` (the default) for signals that carry none.
 * @typeParam S - The sender type.
 * @typeParam R - What receivers return; `unknown` (the default) accepts any result. Sends collect it
 *   ({@link Signal.send}), and a receiver that returns something else is a type error.
 * @typeParam N - The type of {@link Signal.name}: `string | symbol` for a named signal (the type
 *   {@link NamedSignal} is `Signal<P, S, R, string | symbol>`), `undefined` for others. The default,
 *   `string | symbol | undefined`, takes both, so that a parameter of type `Signal<P, S>` accepts
 *   any signal. Type-level only: it changes nothing at run time.
 *
 * @example
 * ```ts
 * import { Signal } from 'signalry'
 *
 * const saved = new Signal<{ id: number }, string>('Sent after a record is saved.')
 * saved.connect((table, { id }) => console.log(`saved ${table} #${id}`))
 * saved.send('users', { id: 7 }) // Prints: saved users #7
 * ```
 */
export class Signal<
  P = void,
  S = unknown,
  R = unknown,
  N extends string | symbol | undefined = string | symbol | undefined,
> {
  /** The signal's documentation, as given to the constructor. */
  readonly doc: string | undefined

  /**
   * The name of a named signal ({@link NamedSignal}); undefined for a signal made by `new Signal()`.
   *
   * @remarks
   * Declared here, for the type only (a signal made by `new Signal()` has no such property), so
   * that a named signal's type is an instantiation of `Signal` itself: TypeScript then infers
   * `Signal<P, S>` from it by its type arguments, where from a subclass it compared every member
   * (about 280 type instantiations per call instead of about 10).
   */
  declare readonly name: N

  /**
   * Type-level only, never present at run time: the signal's type arguments, for type utilities
   * (the types of {@link receiver} read them).
   */
  declare readonly [signalTypes]?: {
    /** The payload type `P`. */
    readonly payload: P
    /** The sender type `S`. */
    readonly sender: S
    /** The receivers' result type `R`. */
    readonly result: R
  }

  /** The connection bookkeeping (src/engine/table.ts): this signal changes it only through its API. */
  readonly #table: ConnectionTable
  /** How many mutes are in force, with or without exceptions (see mutedExcept in src/mutes.ts). */
  #mutedDepth = 0
  /** The abort listener of each connection made with an AbortSignal; created on first use. */
  #abortListeners:
    | Map<ConnectionRecord, { readonly signal: AbortSignal; readonly listener: () => void }>
    | undefined
  #receiverConnected: Signal<ConnectInfo<P, S, R>, Signal<P, S, R>> | undefined
  #receiverDisconnected: Signal<DisconnectInfo<P, S, R>, Signal<P, S, R>> | undefined

  /**
   * Creates a signal that is not registered anywhere; use {@link signal} or a {@link Namespace} for
   * named ones.
   *
   * @param doc - What the signal means; kept as {@link Signal.doc}.
   * @throws TypeError if `doc` is neither a string nor undefined.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   *
   * const flushed = new Signal('Sent after the cache is flushed.')
   * console.log(flushed.doc) // Prints: Sent after the cache is flushed.
   * ```
   */
  constructor(doc?: string) {
    if (doc !== undefined && typeof doc !== 'string') throw invalidArgument('Signal', 'a string as doc', doc)
    // Done by the first signal, not at import time, so that a bundler can drop the class when an
    // application does not use it (a static block or a top-level call would keep it).
    if (countConnections === undefined) {
      brand(signalPrototype(), SIGNAL_BRAND)
      // For Namespace.inspect() (a layer above, which cannot reach the table).
      countConnections = (signal) => {
        signal.#pruneDead()
        return signal.#table.counts()
      }
      // One object for every signal's table: closures per signal would cost each signal memory.
      tableHooks = {
        unlink: (signal, record) => (signal as AnySignal).#unlink(record),
        notify: (signal, record, reason) => (signal as AnySignal).#notifyDisconnected(record, reason),
        lostError: (signal, record, error, source) => {
          const sender = (signal as AnySignal).#table.senderOf(record)
          ;(signal as AnySignal).#publishReceiverError(source, sender, record.receiver, error)
        },
      }
    }
    this.doc = doc
    this.#table = new ConnectionTable(this, tableHooks as TableOwnerHooks)
  }

  /**
   * {@link ANY}, as a static property: blinker's `Signal.ANY`, for code that has the class at hand.
   *
   * @example
   * ```ts
   * import { ANY, Signal } from 'signalry'
   *
   * const saved = new Signal()
   * saved.connect(() => console.log('any sender'), { sender: Signal.ANY })
   * saved.send('orders') // Prints: any sender
   * console.log(Signal.ANY === ANY) // Prints: true
   * ```
   */
  static readonly ANY: typeof ANY = ANY

  /**
   * How deep sends may nest (a receiver sending a signal whose receiver sends …) before the
   * innermost throws a {@link SendDepthError} naming the chain. Default 100; one value for the
   * whole process, shared by every copy of the library.
   *
   * @throws TypeError when set to a non-number, RangeError when set to a number that is not a positive integer.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   *
   * console.log(Signal.maxSendDepth) // Prints: 100
   * Signal.maxSendDepth = 500 // for deliberately deep, finite nesting
   * Signal.maxSendDepth = 100
   * ```
   */
  static get maxSendDepth(): number {
    return processState.maxSendDepth
  }

  /** Sets {@link Signal.maxSendDepth}. */
  static set maxSendDepth(depth: number) {
    assertNumberSetting(
      'Signal.maxSendDepth',
      'a positive integer',
      depth,
      (n) => Number.isSafeInteger(n) && n >= 1,
    )
    processState.maxSendDepth = depth
  }

  /**
   * How many receivers a signal may have for one sender before it warns of a possible leak: the
   * default of {@link Signal.maxReceivers}, for every signal. Default 100; one value for the whole
   * process, shared by every copy of the library. `0` or `Infinity` turns the warning off.
   *
   * @remarks
   * When a connect makes a signal's connections for one sender (or for {@link ANY}) exceed the
   * limit, a `MaxReceiversExceededWarning` is emitted once for that signal and sender — through
   * `process.emitWarning` in Node (listen with `process.on('warning', …)`), `console.warn`
   * elsewhere — like Node's `MaxListenersExceededWarning`. It carries `signal`, `sender`, `count`
   * and `limit`. The connect itself succeeds. The default is higher than `EventEmitter`'s 10 because
   * a module-level signal is shared by a whole application, where many modules may each
   * legitimately connect a receiver; a leak (a receiver connected per request or per component and
   * never disconnected) grows without bound and passes any limit.
   *
   * @throws TypeError when set to a non-number, RangeError when set to a number that is neither a
   *   non-negative integer nor `Infinity` (Node's split: see docs/comparison.md).
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   *
   * console.log(Signal.defaultMaxReceivers) // Prints: 100
   * Signal.defaultMaxReceivers = 500 // a big plugin system
   * Signal.defaultMaxReceivers = 100
   * ```
   */
  static get defaultMaxReceivers(): number {
    return defaultMaxReceivers()
  }

  /** Sets {@link Signal.defaultMaxReceivers}. */
  static set defaultMaxReceivers(limit: number) {
    setDefaultMaxReceivers(limit)
  }

  /**
   * How many receivers this signal may have for one sender before it warns of a possible leak
   * (see {@link Signal.defaultMaxReceivers}). Reads this signal's own limit, or the default when
   * it has none; set `undefined` to return to the default, `0` or `Infinity` to turn the warning
   * off for this signal.
   *
   * @throws TypeError when set to a non-number other than `undefined`, RangeError when set to a
   *   number that is neither a non-negative integer nor `Infinity`.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   *
   * const tick = new Signal()
   * tick.maxReceivers = 2
   * process.on('warning', (warning) => console.log(warning.name))
   * tick.connect(() => 1)
   * tick.connect(() => 2)
   * tick.connect(() => 3) // a third receiver for the same sender (ANY)
   * // Prints: MaxReceiversExceededWarning
   * ```
   */
  get maxReceivers(): number {
    return maxReceiversOf(this)
  }

  /** Sets {@link Signal.maxReceivers}. */
  set maxReceivers(limit: number | undefined) {
    setMaxReceiversOf(this, limit)
  }

  /**
   * Recognises signals from every copy of the library in the process (the ESM and the CJS build
   * both loaded), not only those made by this class object.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (!definesBrandCheck(this)) return Function.prototype[Symbol.hasInstance].call(this, value)
    return hasBrand(value, SIGNAL_BRAND)
  }

  /**
   * Connects `receiver` to be called as `receiver(sender, payload)` when this signal is sent.
   *
   * @remarks
   * Connecting a receiver again for the same sender keeps one connection and its place in the
   * order; the options of the latest call replace the earlier ones (omitted ones return to their
   * defaults). The same receiver may be connected for several senders; a send still calls it at
   * most once. A native `async function` may be connected, but `send`/`emit` then throw an
   * {@link AsyncReceiverError} before calling anything. Sends {@link Signal.receiverConnected}
   * afterwards; if one of its receivers throws, the new connection is undone and the error propagates.
   *
   * @param receiver - The function to call.
   * @param options - `sender`, `priority`, `once`, `signal`, `weak`, `owner`; see {@link ConnectOptions}.
   * @returns `receiver` itself.
   * @throws TypeError for a non-function receiver or a bad option; nothing is connected then.
   *
   * @example
   * ```ts
   * import { signal } from 'signalry'
   *
   * const loggedIn = signal('user.logged-in')
   * const admin = { name: 'admin' }
   * loggedIn.connect((user) => console.log('welcome back,', (user as typeof admin).name), { sender: admin })
   * loggedIn.send(admin) // Prints: welcome back, admin
   * loggedIn.send({ name: 'guest' }) // (nothing: the receiver is only for admin)
   * ```
   */
  connect<F extends Receiver<P, S, R>>(receiver: F, options?: ConnectOptions<S>): F {
    assertConnectableReceiver('connect', receiver)
    this.#connect(receiver, resolveConnectOptions<S>('connect', options))
    return receiver
  }

  /**
   * Returns a function that connects its argument for `sender` (default {@link ANY}) and returns
   * it unchanged: blinker's `connect_via`, for connecting a function where it is declared. The same
   * function is a TC39 standard method decorator: `@sig.connectVia(sender)` on an instance method
   * connects each instance's bound method with the instance as `owner`; on a static method it
   * connects once, when the class is defined (see {@link ReceiverDecorator}).
   *
   * @param sender - The sender to connect for; {@link ANY} when left out.
   * @param options - The other {@link ConnectOptions}.
   * @throws TypeError at once for a bad option, and when the returned function gets a non-function
   *   or decorates anything but a method.
   *
   * @example
   * ```ts
   * import { signal } from 'signalry'
   *
   * const rolled = signal<number, string>('dice.rolled')
   * const onSix = rolled.connectVia('red die')((die, value) => console.log(die, 'rolled', value))
   * rolled.send('red die', 6) // Prints: red die rolled 6
   *
   * class Scoreboard {
   *   total = 0
   *
   *   @rolled.connectVia('blue die')
   *   add(_die: string, value: number) {
   *     this.total += value
   *   }
   * }
   * const board = new Scoreboard()
   * rolled.send('blue die', 4)
   * rolled.send('red die', 6) // Prints: red die rolled 6
   * console.log(board.total) // Prints: 4
   * ```
   */
  connectVia(
    sender?: S | typeof ANY,
    options?: Omit<ConnectOptions<S>, 'sender'>,
  ): ReceiverDecorator<P, S, R> {
    const resolved = resolveConnectOptions<S>('connectVia', options)
    if (options !== undefined && 'sender' in options) {
      throw new TypeError('connectVia() takes the sender as its first argument, not as option "sender"')
    }
    return connectorFor(
      'connectVia',
      [this],
      passOn({ ...resolved, sender: arguments.length === 0 ? ANY : sender }),
    )
  }

  /**
   * Connects `receiver` for a scope and always disconnects it at the end: blinker's `connected_to`.
   *
   * @remarks
   * Without `body`, returns a {@link Connection} to end with `using` or `disconnect()`. With `body`,
   * runs it and returns its result; a body that throws still ends the scope, and an async body ends
   * it when its promise settles. Only the connection the scope made is removed: a receiver already
   * connected for that sender before stays connected, with its options unchanged.
   *
   * @param receiver - The function to connect for the scope.
   * @param options - {@link ConnectOptions}, as for {@link Signal.connect}.
   * @returns A {@link Connection}, or what `body` returns.
   * @throws TypeError for a non-function receiver or body, or a bad option; nothing is connected then.
   *
   * @example
   * ```ts
   * import { signal } from 'signalry'
   *
   * const saved = signal<{ id: number }>('order.saved')
   * const seen: number[] = []
   * saved.connectedTo((_, order) => seen.push(order.id), () => {
   *   saved.send('orders', { id: 1 })
   * })
   * saved.send('orders', { id: 2 }) // the scope has ended: not seen
   * console.log(seen) // Prints: [ 1 ]
   * ```
   */
  connectedTo(receiver: Receiver<P, S, R>, options?: ConnectOptions<S>): Connection
  connectedTo<T>(receiver: Receiver<P, S, R>, body: () => T): T
  connectedTo<T>(receiver: Receiver<P, S, R>, options: ConnectOptions<S> | undefined, body: () => T): T
  connectedTo(receiver: Receiver<P, S, R>, optionsOrBody?: unknown, maybeBody?: unknown): unknown {
    assertConnectableReceiver('connectedTo', receiver)
    // connectedTo(receiver, body) or connectedTo(receiver, options, body): with three arguments the
    // second is always the options, so a function there is an error rather than a body.
    const bodyOnly = arguments.length === 2 && typeof optionsOrBody === 'function'
    const bodyGiven = bodyOnly || arguments.length > 2
    const body = bodyOnly ? optionsOrBody : maybeBody
    if (bodyGiven) assertBody('connectedTo', body)
    const options = resolveConnectOptions<S>('connectedTo', bodyOnly ? undefined : optionsOrBody)
    const existing = this.#table.find(options.sender, receiver)
    // With a key already in use for this sender, the scope's receiver takes that connection for the
    // scope, and the receiver it replaced gets it back (with its options) when the scope ends.
    const keyed =
      existing === undefined && options.key !== undefined
        ? this.#table.findKeyed(options.sender, options.key)
        : undefined
    const previous =
      keyed === undefined ? undefined : { receiver: keyed.receiver, options: this.#optionsOf(keyed) }
    const made = existing === undefined ? this.#connect(receiver, options) : undefined
    // The scope's connection in place of the keyed one, while it is still this receiver's.
    const swapped = (): ConnectionRecord | undefined => {
      const current = this.#table.findKeyed(options.sender, options.key)
      return current?.storedReceiver === receiver ? current : undefined
    }
    const end = (reason: DisconnectReason): boolean => {
      if (made !== undefined) return this.#remove(made, reason)
      const current = previous === undefined ? undefined : swapped()
      if (previous === undefined || current === undefined) return false
      if (previous.receiver === undefined) return this.#remove(current, reason)
      this.#connect(previous.receiver, previous.options)
      return true
    }
    const connection: Connection = {
      get connected(): boolean {
        return keyed !== undefined ? swapped() !== undefined : (made ?? existing)?.connected === true
      },
      disconnect: (): boolean => end('disconnected'),
      [disposeSymbol]: (): void => {
        end('scope-ended')
      },
      [abortConnection]: (): void => {
        end('aborted')
      },
    } as Connection
    if (!bodyGiven) return connection
    return runScoped(body as () => unknown, () => connection[disposeSymbol]())
  }

  /**
   * Disconnects `receiver`: from every sender, or with `{ sender }` only from that one.
   *
   * @remarks
   * Disconnecting a receiver that is not connected does nothing and returns `false`. A receiver
   * disconnected while a send is running is not called by the rest of that send. Sends
   * {@link Signal.receiverDisconnected} for each connection removed, after all are removed; if one
   * of its receivers throws, the other removals are still reported and then the first error is thrown.
   *
   * @param receiver - The function to disconnect.
   * @param options - `sender`: only the connection for this sender ({@link ANY} included).
   * @returns `true` if a connection was removed.
   * @throws TypeError for a non-function receiver or a bad option.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   *
   * const changed = new Signal()
   * const log = () => console.log('changed')
   * changed.connect(log)
   * console.log(changed.disconnect(log)) // Prints: true
   * console.log(changed.disconnect(log)) // Prints: false
   * ```
   */
  disconnect(receiver: Receiver<P, S, R>, options?: DisconnectOptions<S>): boolean
  disconnect(selector: KeyedDisconnect<S>): boolean
  disconnect(receiver: Receiver<P, S, R> | KeyedDisconnect<S>, options?: DisconnectOptions<S>): boolean {
    if (isKeyedSelector(receiver)) {
      if (arguments.length > 1)
        throw new TypeError(
          'disconnect({ key }) takes one argument: put the sender in it, as { key, sender }',
        )
      return this.#disconnectKeyed(receiver)
    }
    assertReceiver('disconnect', receiver)
    const { hasSender, sender } = resolveDisconnectOptions(options)
    if (hasSender) {
      const record = this.#table.find(sender, receiver)
      return record !== undefined && this.#remove(record, 'disconnected')
    }
    const records = this.#table.recordsOf(receiver)
    if (records.length <= 1)
      return records.length === 1 && this.#remove(records[0] as ConnectionRecord, 'disconnected')
    // In connection order: removes them all, then reports each; a report that throws does not stop the others.
    return this.#table.end(records, 'disconnected') > 0
  }

  #disconnectKeyed(selector: object): boolean {
    const { key, hasSender, sender } = resolveKeyedDisconnect(selector)
    if (hasSender) {
      const record = this.#table.findKeyed(sender, key)
      return record !== undefined && this.#remove(record, 'disconnected')
    }
    const records = this.#table.keyedRecords(key)
    return records.length > 0 && this.#table.end(records, 'disconnected') > 0
  }

  /**
   * Disconnects every receiver of this signal, or with `{ sender }` every receiver connected for
   * that sender ({@link ANY}: those connected for ANY): Node's `removeAllListeners(name)`, and how
   * tests reset a module-level signal between them.
   *
   * @remarks
   * Each connection removed is reported on {@link Signal.receiverDisconnected} like a
   * {@link Signal.disconnect} (reason `'disconnected'`), in connection order, after all are removed;
   * if one of its receivers throws, the other removals are still reported and then the first error
   * is thrown. Safe during a send: the running send follows the usual rule for receivers removed
   * while it runs (it calls none of them after the removal). Connections whose receiver, owner or
   * sender was garbage-collected are ended first with their own reason and are not counted.
   * Meta-signals' own receivers (those of `receiverConnected` and `receiverDisconnected`) stay.
   *
   * @param options - `sender`: only the connections for this sender ({@link ANY} included).
   * @returns How many connections were removed.
   * @throws TypeError for a bad option; nothing is removed then.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   *
   * const saved = new Signal<void, string>()
   * saved.connect(() => console.log('any'))
   * saved.connect(() => console.log('orders'), { sender: 'orders' })
   * saved.connect(() => console.log('users'), { sender: 'users' })
   * console.log(saved.disconnectAll({ sender: 'orders' })) // Prints: 1
   * console.log(saved.disconnectAll()) // Prints: 2
   * console.log(saved.receiverCount) // Prints: 0
   * ```
   */
  disconnectAll(options?: DisconnectOptions<S>): number {
    const { hasSender, sender } = resolveDisconnectOptions(options, 'disconnectAll')
    let failure: { readonly error: unknown } | undefined
    try {
      this.#pruneDead() // the dead ones are reported with the reason they died, and not counted
    } catch (error) {
      failure = { error }
    }
    const records = this.#table.records(hasSender ? { sender } : undefined)
    // Removes them all, then reports each; a report that throws does not stop the others.
    const removed = this.#table.end(records, 'disconnected')
    if (failure !== undefined) throw failure.error
    return removed
  }

  /**
   * Sends the signal: calls every receiver connected for `sender` or for {@link ANY}, in order,
   * as `receiver(sender, payload)`, and returns what each returned.
   *
   * @remarks
   * While the signal is muted, calls nothing and returns `[]`. The first receiver that throws stops
   * the send: its error propagates and no later receiver runs. Throws an {@link AsyncReceiverError}
   * before calling anything if a receiver it would call is an `async function`, and a
   * {@link SendDepthError} when sends nest deeper than {@link Signal.maxSendDepth}.
   *
   * @param args - `sender, payload`: what the send is about (receivers may filter on it; `undefined`
   *   when left out), and the data of this send.
   * @returns `[receiver, result]` pairs in call order.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   *
   * const ask = new Signal<string>()
   * ask.connect((_, question) => question.length)
   * console.log(ask.send('me', 'why?').map(([, result]) => result)) // Prints: [ 4 ]
   * ```
   */
  send(...args: SyncSendArguments<P, S, R>): SendResult<P, S, R>
  send(sender?: unknown, payload?: unknown): SendResult<P, S, R> {
    if (arguments.length > 2) throw tooManyArguments('send', arguments.length)
    const fast = this.#table.fastPlan()
    if (fast !== null && !isSendObserved())
      return this.#sendFast(fast, sender, payload) as SendResult<P, S, R>
    return this.#sendTraced(sender, payload)
  }

  /**
   * send() through the general plan, traced while the tracing channel has subscribers. Apart from
   * send() so that send() creates no closure (whose variables would live in a context allocated on
   * every call, fast sends included).
   */
  #sendTraced(sender: unknown, payload: unknown): SendResult<P, S, R> {
    const trace = this.#traceOf('send', sender)
    if (trace === undefined) return this.#sendPlanned(sender, payload)
    return traceSync(trace[0], trace[1], () => this.#sendPlanned(sender, payload))
  }

  /** send() for a signal whose connections are all plain ANY ones (see src/engine/table.ts). */
  #sendFast(fast: FastPlan, sender: unknown, payload: unknown): Array<[ReceiverFunction, unknown]> {
    const receivers = fast.receivers
    const count = receivers.length
    if (count === 0) return []
    // Sized up front: one allocation instead of growing while pushing; trimmed if some were skipped.
    const results = new Array<[ReceiverFunction, unknown]>(count)
    let called = 0
    enterSend(this)
    try {
      for (let i = 0; i < count; i++) {
        let receiver = receivers[i]
        // The plan was dropped during this send (see FastPlan): the record decides, as in a send.
        if (receiver === undefined) {
          receiver = this.#takeReceiver(fast.records[i] as ConnectionRecord, undefined)
          if (receiver === undefined) continue
        }
        const result = (receiver as (sender: unknown, payload: unknown) => unknown)(sender, payload)
        if (isObjectLike(result)) reportThenable(this, 'send', receiver, result)
        results[called++] = [receiver, result]
      }
    } finally {
      leaveSend()
    }
    if (called !== count) results.length = called
    return results
  }

  /** send() through the general plan; see #emitPlanned. */
  #sendPlanned(sender: unknown, payload: unknown): SendResult<P, S, R> {
    const group = this.#startSend('send', sender)
    if (group === undefined) return []
    const plan = group.plan
    const called = group.planHasDuplicates ? new Set<ReceiverFunction>() : undefined
    const results: SendResult<P, S, R> = []
    enterSend(this)
    try {
      for (let i = 0; i < plan.length; i++) {
        const record = plan[i] as ConnectionRecord
        // The common case inline, as in emit().
        let receiver = record.strongReceiver
        if (receiver === undefined || called !== undefined || record.once || !record.connected) {
          receiver = this.#takeReceiver(record, called)
          if (receiver === undefined) continue
        }
        const result = (receiver as Receiver<P, S, R>)(sender as S, payload as P)
        if (isObjectLike(result)) reportThenable(this, 'send', receiver, result)
        results.push([receiver as Receiver<P, S, R>, result])
      }
    } finally {
      leaveSend()
    }
    return results
  }

  /**
   * Sends the signal like {@link Signal.send}, without collecting results: the fast path.
   *
   * @remarks
   * Same order, filtering, muting and error rules as `send`; allocates nothing.
   *
   * @returns `true` if any receiver was called.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   *
   * const tick = new Signal<number>()
   * console.log(tick.emit(undefined, 1)) // Prints: false
   * tick.connect((_, n) => n)
   * console.log(tick.emit(undefined, 2)) // Prints: true
   * ```
   */
  emit(...args: SyncSendArguments<P, S, R>): boolean
  emit(sender?: unknown, payload?: unknown): boolean {
    if (arguments.length > 2) throw tooManyArguments('emit', arguments.length)
    const fast = this.#table.fastPlan()
    if (fast !== null && !isSendObserved()) return this.#emitFast(fast, sender, payload)
    return this.#emitTraced(sender, payload)
  }

  /** emit() through the general plan, traced while the tracing channel has subscribers; see #sendTraced. */
  #emitTraced(sender: unknown, payload: unknown): boolean {
    const trace = this.#traceOf('emit', sender)
    if (trace === undefined) return this.#emitPlanned(sender, payload)
    return traceSync(trace[0], trace[1], () => this.#emitPlanned(sender, payload))
  }

  /** emit() for a signal whose connections are all plain ANY ones (see src/engine/table.ts). */
  #emitFast(fast: FastPlan, sender: unknown, payload: unknown): boolean {
    const receivers = fast.receivers
    const count = receivers.length
    if (count === 0) return false
    if (count === 1) return this.#emitFastOne(fast, sender, payload)
    let ran = false
    enterSend(this)
    try {
      for (let i = 0; i < count; i++) {
        let receiver = receivers[i]
        // The plan was dropped during this send (see FastPlan): the record decides, as in a send.
        if (receiver === undefined) {
          receiver = this.#takeReceiver(fast.records[i] as ConnectionRecord, undefined)
          if (receiver === undefined) continue
        }
        ran = true
        const result = (receiver as (sender: unknown, payload: unknown) => unknown)(sender, payload)
        // undefined first: most receivers return nothing, and one comparison is cheaper than two typeofs.
        if (result !== undefined && isObjectLike(result)) reportThenable(this, 'emit', receiver, result)
      }
    } finally {
      leaveSend()
    }
    return ran
  }

  /** #emitFast for the most common plan, one receiver: no loop. */
  #emitFastOne(fast: FastPlan, sender: unknown, payload: unknown): boolean {
    const receiver = fast.receivers[0] as (sender: unknown, payload: unknown) => unknown
    enterSend(this)
    try {
      const result = receiver(sender, payload)
      if (isObjectLike(result)) reportThenable(this, 'emit', receiver as ReceiverFunction, result)
    } finally {
      leaveSend()
    }
    return true
  }

  /**
   * emit() through the general plan (sender-specific, weak, `once` or async connections, or muted).
   * A method of its own so that emit() stays small enough to be inlined where it is called.
   */
  #emitPlanned(sender: unknown, payload: unknown): boolean {
    const group = this.#startSend('emit', sender)
    if (group === undefined) return false
    const plan = group.plan
    const called = group.planHasDuplicates ? new Set<ReceiverFunction>() : undefined
    let ran = false
    enterSend(this)
    try {
      for (let i = 0; i < plan.length; i++) {
        const record = plan[i] as ConnectionRecord
        // The common case inline: a strongly held, connected, not-once receiver in a plan without
        // duplicates is called as it is; #takeReceiver decides every other case.
        let receiver = record.strongReceiver
        if (receiver === undefined || called !== undefined || record.once || !record.connected) {
          receiver = this.#takeReceiver(record, called)
          if (receiver === undefined) continue
        }
        ran = true
        const result: unknown = (receiver as Receiver<P, S>)(sender as S, payload as P)
        if (isObjectLike(result)) reportThenable(this, 'emit', receiver, result)
      }
    } finally {
      leaveSend()
    }
    return ran
  }

  /**
   * Sends the signal like {@link Signal.send}, but calls every receiver even when some throw, and
   * reports each call's {@link Outcome} (Django's `send_robust`, shaped like `Promise.allSettled`).
   *
   * @remarks
   * Errors thrown by receivers are returned, never thrown. Errors of the send itself still throw:
   * {@link AsyncReceiverError} and {@link SendDepthError}, before any receiver runs.
   *
   * @returns `[receiver, outcome]` pairs in call order.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   *
   * const check = new Signal()
   * check.connect(() => {
   *   throw new Error('disk full')
   * })
   * check.connect(() => 'ok')
   * const outcomes = check.sendRobust().map(([, outcome]) => outcome.status)
   * console.log(outcomes) // Prints: [ 'rejected', 'fulfilled' ]
   * ```
   */
  sendRobust(...args: SyncSendArguments<P, S, R>): RobustSendResult<P, S, R>
  sendRobust(sender?: unknown, payload?: unknown): RobustSendResult<P, S, R> {
    if (arguments.length > 2) throw tooManyArguments('sendRobust', arguments.length)
    const trace = this.#traceOf('sendRobust', sender)
    if (trace === undefined) return this.#sendRobustPlanned(sender, payload)
    return traceSync(trace[0], trace[1], () => this.#sendRobustPlanned(sender, payload))
  }

  /** sendRobust() through the general plan (it has no fast path); every receiver error is published. */
  #sendRobustPlanned(sender: unknown, payload: unknown): RobustSendResult<P, S, R> {
    const results: RobustSendResult<P, S, R> = []
    const group = this.#startSend('sendRobust', sender)
    if (group === undefined) return results
    const plan = group.plan
    const called = group.planHasDuplicates ? new Set<ReceiverFunction>() : undefined
    enterSend(this)
    try {
      for (let i = 0; i < plan.length; i++) {
        const taken = this.#takeRobust(plan[i] as ConnectionRecord, called)
        if (taken === undefined) continue
        if (taken instanceof TakeFailure) {
          results.push([taken.receiver as Receiver<P, S, R>, { status: 'rejected', reason: taken.reason }])
          this.#publishReceiverError('sendRobust', sender, taken.receiver, taken.reason)
          continue
        }
        const receiver = taken as Receiver<P, S, R>
        try {
          const value = receiver(sender as S, payload as P)
          if (isObjectLike(value)) reportThenable(this, 'sendRobust', receiver, value)
          results.push([receiver, { status: 'fulfilled', value }])
        } catch (reason) {
          results.push([receiver, { status: 'rejected', reason }])
          this.#publishReceiverError('sendRobust', sender, receiver, reason)
        }
      }
    } finally {
      leaveSend()
    }
    return results
  }

  /**
   * Sends the signal and awaits every receiver's result: calls the receivers connected for `sender`
   * or for {@link ANY}, in order, as `receiver(sender, payload)`, sync and `async` ones alike.
   *
   * @remarks
   * - **Concurrency.** `'serial'` (the default) awaits each result before calling the next receiver
   *   (blinker's `send_async`); `'concurrent'` calls every receiver first, in order and
   *   synchronously, then awaits all the results (Django's `asend`). Either way the first receiver
   *   is called before `sendAsync` returns, and the promise settles only when no receiver of the
   *   send is still running.
   * - **Errors.** Serial: the first receiver that throws or rejects rejects the send, and no later
   *   receiver is called. Concurrent: a receiver that throws counts as a rejection; every receiver
   *   is still called and awaited, then the send rejects with the error of the earliest receiver in
   *   call order that failed; no rejection is left unhandled. Bad options reject with a TypeError
   *   before any receiver is called; nothing is thrown synchronously.
   * - **Snapshots across awaits.** The send calls the receivers connected when it started: one
   *   connected while an earlier one is awaited is not called; one disconnected meanwhile is not
   *   called. A `once` receiver runs at most once even when sends overlap. Muting is checked when
   *   the send starts: a muted send resolves to `[]`.
   * - **Nesting.** {@link Signal.maxSendDepth} counts sends nested inside a receiver's synchronous
   *   part; the part after an `await` starts from an empty stack.
   *
   * @param args - `sender, payload, options`: what the send is about (receivers may filter on it),
   *   the data of this send, and `{ concurrency }`: `'serial'` (default) or `'concurrent'`; see
   *   {@link SendAsyncOptions}.
   * @returns A promise of `[receiver, awaited result]` pairs in call order.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   *
   * const uploaded = new Signal<string>()
   * uploaded.connect(async (_, file) => `stored ${file}`)
   * uploaded.connect((_, file) => file.length)
   * const results = await uploaded.sendAsync(undefined, 'cat.png')
   * console.log(results.map(([, result]) => result)) // Prints: [ 'stored cat.png', 7 ]
   * ```
   */
  sendAsync(...args: [...SendArguments<P, S>, options?: SendAsyncOptions]): Promise<AsyncSendResult<P, S, R>>
  sendAsync(...args: unknown[]): Promise<AsyncSendResult<P, S, R>> {
    // Not an async function: the untraced send returns #sendAsyncPlanned's own promise, one promise
    // and one tick fewer for every caller. Errors still reject, never throw.
    try {
      if (args.length > 3) throw tooManyArguments('sendAsync', args.length, true)
      const [sender, payload, options] = args
      const concurrency = resolveSendAsyncOptions('sendAsync', options)
      const trace = this.#traceOf('sendAsync', sender)
      if (trace !== undefined) return this.#sendAsyncTraced(trace, sender, payload, concurrency)
      const group = this.#startSend('sendAsync', sender, true)
      if (group === undefined) return Promise.resolve([])
      return this.#sendAsyncPlanned(group, sender, payload, concurrency) as Promise<AsyncSendResult<P, S, R>>
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /** sendAsync() while the tracing channel has subscribers. */
  async #sendAsyncTraced(
    trace: [NonNullable<ReturnType<typeof activeTracing>>, SendTrace],
    sender: unknown,
    payload: unknown,
    concurrency: Concurrency,
  ): Promise<AsyncSendResult<P, S, R>> {
    return await tracePromise(trace[0], trace[1], async (): Promise<AsyncSendResult<P, S, R>> => {
      const group = this.#startSend('sendAsync', sender, true)
      return group === undefined
        ? []
        : ((await this.#sendAsyncPlanned(group, sender, payload, concurrency)) as AsyncSendResult<P, S, R>)
    })
  }

  /**
   * Calls the receivers of `group`'s plan and awaits their results; the first failure rejects (see
   * sendAsync for which one is first in each mode). The plan is a shared snapshot, so holding it
   * across awaits is safe; each receiver is taken at the moment of its call, so one disconnected
   * while an earlier one is awaited is not called, and a `once` receiver runs once even when sends
   * overlap. The nested-send stack is synchronous: each call is on it for its synchronous part only.
   */
  async #sendAsyncPlanned(
    group: Plan,
    sender: unknown,
    payload: unknown,
    concurrency: Concurrency,
  ): Promise<Array<[ReceiverFunction, unknown]>> {
    const plan = group.plan
    const called = group.planHasDuplicates ? new Set<ReceiverFunction>() : undefined
    const results: Array<[ReceiverFunction, unknown]> = []
    if (concurrency === 'serial') {
      for (let i = 0; i < plan.length; i++) {
        const receiver = this.#takeReceiver(plan[i] as ConnectionRecord, called)
        if (receiver === undefined) continue
        results.push([receiver, await this.#callOnStack(receiver, sender, payload)])
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
        receiver = this.#takeReceiver(plan[i] as ConnectionRecord, called)
        if (receiver === undefined) continue
        pending.push(this.#callOnStack(receiver, sender, payload))
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

  /** Calls one receiver with this signal on the nested-send stack for exactly the synchronous call. */
  #callOnStack(receiver: ReceiverFunction, sender: unknown, payload: unknown): unknown {
    enterSend(this)
    try {
      return (receiver as (sender: unknown, payload: unknown) => unknown)(sender, payload)
    } finally {
      leaveSend()
    }
  }

  /**
   * Sends the signal like {@link Signal.sendAsync}, but calls every receiver even when some throw
   * or reject, and reports each one's {@link Outcome} (`Promise.allSettled`'s shape).
   *
   * @remarks
   * Serial (default) or concurrent as for `sendAsync`; the promise resolves when every receiver
   * has settled. It rejects only for errors of the send itself: bad options (TypeError) and a
   * {@link SendDepthError}, before any receiver runs.
   *
   * @returns A promise of `[receiver, outcome]` pairs in call order.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   *
   * const deploy = new Signal()
   * deploy.connect(async () => {
   *   throw new Error('cdn down')
   * })
   * deploy.connect(async () => 'db migrated')
   * const outcomes = await deploy.sendAsyncRobust(undefined, undefined, { concurrency: 'concurrent' })
   * console.log(outcomes.map(([, outcome]) => outcome.status)) // Prints: [ 'rejected', 'fulfilled' ]
   * ```
   */
  sendAsyncRobust(
    ...args: [...SendArguments<P, S>, options?: SendAsyncOptions]
  ): Promise<AsyncRobustSendResult<P, S, R>>
  async sendAsyncRobust(...args: unknown[]): Promise<AsyncRobustSendResult<P, S, R>> {
    if (args.length > 3) throw tooManyArguments('sendAsyncRobust', args.length, true)
    const [sender, payload, options] = args
    const concurrency = resolveSendAsyncOptions('sendAsyncRobust', options)
    const trace = this.#traceOf('sendAsyncRobust', sender)
    if (trace !== undefined) {
      // The untraced path below stays as it was: no extra await (each one is a tick later for callers).
      return await tracePromise(trace[0], trace[1], async (): Promise<AsyncRobustSendResult<P, S, R>> => {
        const group = this.#startSend('sendAsyncRobust', sender, true)
        return group === undefined
          ? []
          : ((await this.#sendAsyncRobustPlanned(
              group,
              sender,
              payload,
              concurrency,
            )) as AsyncRobustSendResult<P, S, R>)
      })
    }
    const group = this.#startSend('sendAsyncRobust', sender, true)
    if (group === undefined) return []
    return (await this.#sendAsyncRobustPlanned(group, sender, payload, concurrency)) as AsyncRobustSendResult<
      P,
      S,
      R
    >
  }

  /** Calls every receiver of `group`'s plan and reports each one's outcome; rejects only for errors of the send itself. */
  async #sendAsyncRobustPlanned(
    group: Plan,
    sender: unknown,
    payload: unknown,
    concurrency: Concurrency,
  ): Promise<Array<[ReceiverFunction, Outcome]>> {
    const plan = group.plan
    const called = group.planHasDuplicates ? new Set<ReceiverFunction>() : undefined
    const results: Array<[ReceiverFunction, Outcome]> = []
    const receivers: ReceiverFunction[] = []
    const pending: unknown[] = []
    for (let i = 0; i < plan.length; i++) {
      const taken = this.#takeRobust(plan[i] as ConnectionRecord, called)
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
          enterSend(this)
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
        const [outcome] = (await Promise.allSettled([result])) as [Outcome]
        results.push([receiver, outcome])
        if (outcome.status === 'rejected')
          this.#publishReceiverError('sendAsyncRobust', sender, receiver, outcome.reason)
      } else {
        pending.push(result)
        receivers.push(receiver)
      }
    }
    if (concurrency === 'serial') return results
    const outcomes = await Promise.allSettled(pending)
    for (let i = 0; i < outcomes.length; i++) {
      const outcome = outcomes[i] as Outcome
      results.push([receivers[i] as ReceiverFunction, outcome])
      if (outcome.status === 'rejected')
        this.#publishReceiverError('sendAsyncRobust', sender, receivers[i], outcome.reason)
    }
    return results
  }

  /**
   * An async iterator of this signal's sends, as `[sender, payload]` pairs, for `for await`.
   *
   * @remarks
   * - **Connects at once**, when `events()` is called, so sends right after it are buffered even
   *   before the loop starts. Only sends with `sender` (default {@link ANY}: every send) are kept.
   * - **Bounded buffer.** Up to `bufferSize` (default 1024) sends wait for the consumer. When a send
   *   arrives with the buffer full, `overflow` decides ({@link Overflow}): `'error'` (default) ends the
   *   iteration — the next `next()` rejects with an {@link EventsOverflowError} — because silently
   *   losing sends is the worse surprise; `'drop-oldest'` and `'drop-newest'` drop one send instead.
   *   Senders are never blocked or thrown at.
   * - **Ending.** `return()`, `break` out of `for await`, `await using` and aborting `signal` all
   *   disconnect at once: afterwards {@link Signal.receiverCount} is what it was before. Buffered
   *   sends are dropped. After an abort, the next `next()` rejects with the abort reason (an already
   *   aborted signal connects nothing), then the iterator is done.
   *
   * @param options - `sender`, `bufferSize`, `overflow`, `signal`; see {@link EventsOptions}.
   * @returns An {@link EventIterator} of `[sender, payload]` pairs.
   * @throws TypeError for a bad option; nothing is connected then.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   *
   * const logged = new Signal<string>()
   * const lines = logged.events()
   * logged.send(undefined, 'started')
   * logged.send(undefined, 'stopped')
   * for await (const [, line] of lines) {
   *   console.log(line)
   *   if (line === 'stopped') break
   * }
   * // Prints: started
   * // Prints: stopped
   * console.log(logged.receiverCount) // Prints: 0
   * ```
   */
  events(options?: EventsOptions<S>): EventIterator<P, S> {
    return openEvents<P, S>(this, options)
  }

  /**
   * A promise of the next send with `sender` (default {@link ANY}: any send), as `[sender, payload]`.
   *
   * @remarks
   * Connects at once, like a `once` receiver, and is disconnected by the send it resolves with.
   * Aborting `signal` disconnects and rejects with `signal.reason`; an already aborted signal rejects
   * at once and connects nothing. Bad options reject with a TypeError.
   *
   * @param options - `sender`, `signal`; see {@link NextOptions}.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   *
   * const connected = new Signal<{ port: number }, string>()
   * const first = connected.next()
   * connected.send('server', { port: 8080 })
   * console.log(await first) // Prints: [ 'server', { port: 8080 } ]
   * ```
   */
  next(options?: NextOptions<S>): Promise<[S, P]> {
    try {
      return nextSend<P, S>(this, options)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /**
   * Whether a send with `sender` would call any receiver right now.
   *
   * @remarks
   * Exact: true only while a connection for `sender` or for {@link ANY} exists (an emptied sender is
   * never reported). `hasReceiversFor(ANY)` asks about receivers connected for ANY. Cheap enough to
   * guard building an expensive payload. Muting is not taken into account.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   *
   * const audit = new Signal<string, string>()
   * audit.connect(() => {}, { sender: 'db' })
   * console.log(audit.hasReceiversFor('db'), audit.hasReceiversFor('cache')) // Prints: true false
   * ```
   */
  hasReceiversFor(sender: S | typeof ANY): boolean {
    return this.#table.hasLiveConnection(sender)
  }

  /**
   * The receivers a send with `sender` would call right now, in call order, each once.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   *
   * const saved = new Signal()
   * const first = () => 1
   * const second = () => 2
   * saved.connect(second)
   * saved.connect(first, { priority: 10 })
   * console.log(saved.receiversFor(undefined).map((receiver) => receiver.name)) // Prints: [ 'first', 'second' ]
   * ```
   */
  receiversFor(sender: S | typeof ANY): Array<Receiver<P, S, R>> {
    const group = this.#table.planFor(sender)
    const receivers: Array<Receiver<P, S, R>> = []
    let dead: ConnectionRecord[] | undefined
    for (const record of group.plan) {
      if (!record.connected) continue
      const receiver = record.receiver as Receiver<P, S, R> | undefined
      if (receiver === undefined) (dead ??= []).push(record)
      else if (!group.planHasDuplicates || !receivers.includes(receiver)) receivers.push(receiver)
    }
    if (dead !== undefined) this.#prune(dead)
    return receivers
  }

  /**
   * Every connection of this signal, for every sender, in connection order: what blinker's and
   * Django's `receivers` show, for debugging. Each entry is a copy (a {@link ConnectInfo}: the
   * receiver, the sender it is for, and its options with the defaults filled in); changing it
   * changes nothing. Connections known to be dead are ended first, so none is listed.
   *
   * @example
   * ```ts
   * import { ANY, Signal } from 'signalry'
   *
   * const saved = new Signal<void, string>()
   * saved.connect(function audit() {}, { sender: 'orders', priority: 5 })
   * saved.connect(function log() {}, { key: 'log' })
   * for (const { receiver, sender, options } of saved.connections()) {
   *   console.log(receiver.name, sender === ANY ? 'ANY' : sender, options.priority, options.key)
   * }
   * // Prints: audit orders 5 undefined
   * // Prints: log ANY 0 log
   * ```
   */
  connections(): Array<ConnectInfo<P, S, R>> {
    this.#pruneDead()
    const infos: Array<ConnectInfo<P, S, R>> = []
    for (const record of this.#table.records()) {
      const receiver = record.receiver as Receiver<P, S, R> | undefined
      if (receiver === undefined) continue
      const options = this.#optionsOf(record)
      infos.push({ receiver, sender: options.sender, options })
    }
    return infos
  }

  /**
   * How many connections this signal has, for every sender together. A receiver connected for
   * two senders counts twice.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   *
   * const saved = new Signal<void, string>()
   * const log = () => {}
   * saved.connect(log)
   * saved.connect(log, { sender: 'orders' })
   * console.log(saved.receiverCount) // Prints: 2
   * ```
   */
  get receiverCount(): number {
    this.#pruneDead()
    return this.#table.count
  }

  /**
   * Whether the signal is muted: sends call nothing while it is (or, under `signalry/testing`'s
   * `mutedExcept`, only the receivers it names). See {@link Signal.muted}.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   *
   * const saved = new Signal()
   * console.log(saved.muted(() => saved.isMuted), saved.isMuted) // Prints: true false
   * ```
   */
  get isMuted(): boolean {
    return this.#mutedDepth > 0
  }

  /**
   * Mutes the signal for a scope: every send returns empty results and calls nothing.
   *
   * @remarks
   * Without `body`, returns a `Disposable` that unmutes (once) when disposed, for `using`. With
   * `body`, runs it muted and returns its result; an async body is unmuted when its promise
   * settles, and a body that throws is unmuted too. Muting nests: leaving an inner scope keeps an
   * outer one in force (unlike blinker's). `signalry/testing`'s `mutedExcept` lets chosen receivers hear; to wrap a
   * function so that each call runs muted (blinker's `@signal.muted()`), see `signalry/testing`'s `mutedFn`.
   *
   * @throws TypeError for a body that is not a function.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   *
   * const changed = new Signal()
   * changed.connect(() => console.log('changed'))
   * changed.muted(() => changed.send()) // prints nothing
   * {
   *   using _quiet = changed.muted()
   *   changed.send() // prints nothing
   * }
   * changed.send() // Prints: changed
   * ```
   */
  muted(): Disposable
  muted<T>(body: () => T): T
  muted(body?: unknown): unknown {
    if (arguments.length > 0) assertBody('muted', body)
    // While muted the table hands out no fast plan, so that fast sends check one thing, not two.
    if (this.#mutedDepth++ === 0) this.#table.suspendFastPlan(true)
    const handle = scopeHandle(() => {
      if (--this.#mutedDepth === 0) this.#table.suspendFastPlan(false)
    })
    if (arguments.length === 0) return handle
    return runScoped(body as () => unknown, () => handle[disposeSymbol]())
  }

  /**
   * Sent after every connect to this signal, with this signal as sender and a {@link ConnectInfo}
   * as payload (blinker's `receiver_connected`). Created on first read: costs nothing until then.
   *
   * @remarks
   * It runs after the connection exists (unlike Node's `newListener`, which runs before the
   * listener is added): its receivers see the new receiver in {@link Signal.receiversFor}, and a
   * receiver they connect lands after it. If one of them throws, the connect is undone
   * (reported as `'connect-failed'`) and the error propagates.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   *
   * const saved = new Signal()
   * saved.receiverConnected.connect((_, { receiver, options }) => {
   *   console.log('connected', receiver.name, 'priority', options.priority)
   * })
   * saved.connect(function audit() {}, { priority: 5 }) // Prints: connected audit priority 5
   * ```
   */
  get receiverConnected(): Signal<ConnectInfo<P, S, R>, Signal<P, S, R>> {
    return (this.#receiverConnected ??= newSignal('Sent after a receiver is connected to this signal.'))
  }

  /**
   * Sent after each connection of this signal ends, with this signal as sender and a
   * {@link DisconnectInfo} (receiver, sender, reason) as payload. Explicit disconnects that remove
   * nothing send nothing. Created on first read: costs nothing until then.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   *
   * const saved = new Signal()
   * saved.receiverDisconnected.connect((_, { receiver, reason }) => console.log(receiver?.name, reason))
   * saved.connect(function audit() {}, { once: true })
   * saved.send() // Prints: audit called-once
   * ```
   */
  get receiverDisconnected(): Signal<DisconnectInfo<P, S, R>, Signal<P, S, R>> {
    return (this.#receiverDisconnected ??= newSignal(
      'Sent after a receiver is disconnected from this signal.',
    ))
  }

  /**
   * A short description for logs: the class name (a subclass's own) with the doc, if any. Messages
   * about a signal without a name (the receiver-leak warning, errors) describe it the same way.
   *
   * @example
   * ```ts
   * import { Signal } from 'signalry'
   *
   * class AuditSignal extends Signal {}
   * console.log(String(new Signal('Sent after a save.'))) // Prints: Signal("Sent after a save.")
   * console.log(String(new AuditSignal())) // Prints: AuditSignal
   * ```
   */
  toString(): string {
    return signalText(this, 'doc')
  }

  /** Connects with resolved options; returns the record if a new connection was made. */
  #connect(receiver: ReceiverFunction, options: ResolvedConnectOptions<S>): ConnectionRecord | undefined {
    const abortSignal = options.signal
    if (abortSignal?.aborted === true) return undefined
    // Read before any bookkeeping changes: a hostile receiver (a revoked proxy) throws here.
    const isAsync = isAsyncFunction(receiver)
    const table = this.#table
    let record = table.find(options.sender, receiver)
    const keyed = options.key === undefined ? undefined : table.findKeyed(options.sender, options.key)
    // A keyed connect may replace a receiver or end a connection; either is reported once the
    // bookkeeping is complete, so a report that throws leaves the connect done (as a disconnect is).
    let replaced: ConnectionRecord | undefined
    let ended: ConnectionRecord | undefined
    if (keyed !== undefined && keyed !== record) {
      if (record === undefined) {
        // The same key and sender: the new receiver takes the old one's connection, in place.
        replaced = keyed
        record = keyed
      } else {
        // The receiver is connected for this sender already: that connection takes the key, and
        // the one that had it ends (one connection per receiver and sender, one per key and sender).
        this.#unlink(keyed)
        ended = keyed
      }
    }
    const isNew = record === undefined
    let previous: ReceiverFunction | undefined
    if (record === undefined) {
      record = table.add(receiver, options, isAsync)
      checkReceiverCount(this, options.sender, table.connectionsForSenderOf(record))
    } else if (replaced !== undefined) {
      previous = replaced.receiver
      this.#stopListeningForAbort(replaced)
      record = table.replace(replaced, receiver, options, isAsync)
    } else {
      table.update(record, receiver, options)
      this.#stopListeningForAbort(record)
    }
    if (abortSignal !== undefined) this.#listenForAbort(record, abortSignal)
    if (replaced !== undefined) this.#notifyReplaced(replaced, previous)
    if (ended !== undefined) this.#notifyDisconnected(ended, 'replaced')
    const meta = this.#receiverConnected
    if (meta !== undefined && meta.#table.count > 0) {
      try {
        meta.emit(this, { receiver: receiver as Receiver<P, S, R>, sender: options.sender, options })
      } catch (error) {
        if (isNew) this.#remove(record, 'connect-failed')
        throw error
      }
    }
    return isNew ? record : undefined
  }

  #listenForAbort(record: ConnectionRecord, abortSignal: AbortSignal): void {
    const listener = (): void => {
      this.#remove(record, 'aborted')
    }
    ;(this.#abortListeners ??= new Map()).set(record, { signal: abortSignal, listener })
    abortSignal.addEventListener('abort', listener, { once: true })
  }

  #stopListeningForAbort(record: ConnectionRecord): void {
    const listeners = this.#abortListeners
    if (listeners === undefined) return
    const entry = listeners.get(record)
    if (entry === undefined) return
    listeners.delete(record)
    entry.signal.removeEventListener('abort', entry.listener)
  }

  /** The options a live connection has now, defaults filled in, as a connect would resolve them. */
  #optionsOf(record: ConnectionRecord): ResolvedConnectOptions<S> {
    return {
      sender: this.#table.senderOf(record) as S | typeof ANY,
      once: record.once,
      priority: record.priority,
      signal: this.#abortListeners?.get(record)?.signal,
      weak: record.weak,
      owner: record.weakHold?.owner?.deref(),
      key: record.key as string | symbol | undefined,
    }
  }

  /** Removes a connection and reports it; returns false if it was already removed. */
  #remove(record: ConnectionRecord, reason: DisconnectReason): boolean {
    if (!this.#unlink(record)) return false
    this.#notifyDisconnected(record, reason)
    return true
  }

  /** Removes a connection from the table without reporting it, and stops listening for its abort. */
  #unlink(record: ConnectionRecord): boolean {
    if (!this.#table.unlink(record)) return false
    this.#stopListeningForAbort(record)
    return true
  }

  /** Reports the receiver a keyed connect replaced, as a disconnect with reason `'replaced'`. */
  #notifyReplaced(record: ConnectionRecord, previous: ReceiverFunction | undefined): void {
    const meta = this.#receiverDisconnected
    if (meta === undefined || meta.#table.count === 0) return
    const sender = this.#table.senderOf(record) as S | typeof ANY | undefined
    meta.emit(this, { receiver: previous as Receiver<P, S, R> | undefined, sender, reason: 'replaced' })
  }

  #notifyDisconnected(record: ConnectionRecord, reason: DisconnectReason): void {
    const meta = this.#receiverDisconnected
    if (meta === undefined || meta.#table.count === 0) return
    const sender = this.#table.senderOf(record) as S | typeof ANY | undefined
    meta.emit(this, { receiver: record.receiver as Receiver<P, S, R> | undefined, sender, reason })
  }

  /** Ends every connection known to be dead, so that counts never include one. */
  #pruneDead(): void {
    const dead = this.#table.deadRecords()
    if (dead !== undefined) this.#prune(dead)
  }

  /** Ends dead connections: unlinks them all, then reports each with the reason it died. */
  #prune(dead: readonly ConnectionRecord[]): void {
    // Grouped by reason, each group through the table's end (endConnections): every removal is reported even when a
    // receiverDisconnected receiver throws (the first error is thrown after all the reports).
    const byReason = new Map<DisconnectReason, ConnectionRecord[]>()
    for (const record of dead) {
      const reason = record.deathReason ?? 'collected'
      const records = byReason.get(reason)
      if (records === undefined) byReason.set(reason, [record])
      else records.push(record)
    }
    let failure: { readonly error: unknown } | undefined
    for (const [reason, records] of byReason) {
      try {
        this.#table.end(records, reason)
      } catch (error) {
        // Only the first is thrown: the others are published (endConnections publishes the rest of its own).
        if (failure !== undefined) this.#publishReceiverError('disconnect', undefined, undefined, error)
        failure ??= { error }
      }
    }
    if (failure !== undefined) throw failure.error
  }

  /**
   * Checks what every send checks before calling anyone; returns the group whose plan to call, or
   * undefined when the send calls nobody (muted, or no receiver for this sender).
   */
  #startSend(method: string, sender: unknown, awaitsResults = false): Plan | undefined {
    // Muted: nobody hears, unless every mute in force names receivers that still do (mutedExcept).
    // Present only while a mutedExcept() of this signal is in force (src/mutes.ts).
    const hearers = processState.hearers?.get(this)
    if (this.#mutedDepth > (hearers?.length ?? 0)) {
      if (isSendObserved()) this.#publish(sender, undefined)
      return undefined
    }
    // The send walks the plan's array: connects and disconnects from now on copy it instead.
    let group: Plan = this.#table.planFor(sender)
    if (hearers !== undefined) {
      // A copy of the plan with the hearers' connections only.
      const heard = hearers.flat() as ReceiverFunction[]
      group = {
        plan: group.plan.filter((record) => heard.includes(record.receiver as ReceiverFunction)),
        planHasDuplicates: true,
      }
    }
    const plan = group.plan
    // A send refused for an async receiver calls nobody and is not published: the caller (the
    // bridge, for one) then makes the send it meant with sendAsync, which is published once.
    if (!awaitsResults && plan.length > 0 && this.#table.asyncCount > 0)
      this.#assertNoAsyncReceiver(method, plan)
    if (isSendObserved()) this.#publish(sender, group)
    if (plan.length === 0) return undefined
    return group
  }

  /**
   * Publishes a send of a named signal on `signalry:send`, counting (never ending) the live
   * connections of the plan it is about to call: publishing must not change what receivers see.
   */
  #publish(sender: unknown, group: Plan | undefined): void {
    if (!hasBrand(this, NAMED_SIGNAL_BRAND)) return
    const receiverCount = group === undefined ? 0 : liveReceiverCount(group)
    const name = (this as unknown as { readonly name: string | symbol }).name
    publishSend({ signal: this, name, sender, receiverCount })
  }

  /**
   * The tracing channel and a context for a send about to start, while the channel has subscribers
   * and the signal is not muted (a muted send is not traced: it does nothing to time).
   */
  #traceOf(
    method: SendMethod,
    sender: unknown,
  ): [NonNullable<ReturnType<typeof activeTracing>>, SendTrace] | undefined {
    if (this.#mutedDepth > 0) return undefined
    const tracing = activeTracing()
    if (tracing === undefined) return undefined
    const receiverCount = liveReceiverCount(this.#table.planFor(sender))
    return [tracing, { signal: this, name: this.#name(), sender, method, receiverCount }]
  }

  /** The name of a named signal; undefined for others. */
  #name(): string | symbol | undefined {
    return hasBrand(this, NAMED_SIGNAL_BRAND)
      ? (this as unknown as { readonly name: string | symbol }).name
      : undefined
  }

  /** Publishes a receiver error that a robust send caught (and returns rather than throws). */
  #publishReceiverError(
    source: ReceiverErrorSource,
    sender: unknown,
    receiver: ReceiverFunction | undefined,
    error: unknown,
  ): void {
    publishReceiverError({ signal: this, name: this.#name(), sender, receiver, error, source })
  }

  /**
   * The robust sends' rule (sendRobust, sendAsyncRobust), in one place: takes the receiver as
   * #takeReceiver does, and when taking it throws (a receiverDisconnected receiver of a `once` or
   * pruned connection), returns the failure as the outcome of the receiver it was about. A pruned
   * collected receiver leaves nobody to attribute the error to: it surfaces as an uncaught error.
   */
  #takeRobust(
    record: ConnectionRecord,
    called: Set<ReceiverFunction> | undefined,
  ): ReceiverFunction | TakeFailure | undefined {
    // Read before taking: removing a `once` connection may drop the last hold on a weakly held receiver.
    const known = record.receiver
    try {
      return this.#takeReceiver(record, called)
    } catch (reason) {
      if (known !== undefined) return new TakeFailure(known, reason)
      this.#publishReceiverError('disconnect', undefined, undefined, reason)
      rethrowLater(reason)
      return undefined
    }
  }

  /**
   * The receiver of a planned connection if the send calls it: still connected, and not called
   * earlier in this send through another connection (`called` tracks that when the plan has two
   * connections of one receiver). A `once` connection is removed here, before its call.
   */
  #takeReceiver(
    record: ConnectionRecord,
    called: Set<ReceiverFunction> | undefined,
  ): ReceiverFunction | undefined {
    if (!record.connected) return undefined
    let receiver = record.strongReceiver
    if (receiver === undefined) {
      // Held weakly: skip and prune it if it (or its owner) is gone.
      receiver = record.receiver
      if (receiver === undefined) {
        this.#remove(record, record.deathReason ?? 'collected')
        return undefined
      }
    }
    if (called !== undefined) {
      if (called.has(receiver)) return undefined
      called.add(receiver)
    }
    if (record.once) this.#remove(record, 'called-once')
    return receiver
  }

  #assertNoAsyncReceiver(method: string, plan: readonly ConnectionRecord[]): void {
    for (const record of plan) {
      const receiver = record.receiver
      if (record.connected && record.isAsync && receiver !== undefined) {
        throw new AsyncReceiverError(method, describeSignal(this), receiver)
      }
    }
  }
}

/** Signal's prototype, for its constructor (whose body must not name the class: see newSignal). */
function signalPrototype(): object {
  return Signal.prototype
}

/**
 * A new plain Signal, for the meta-signals. Outside the class body on purpose: a class body that
 * names its own class makes the bundler rename it (`class _Signal`, seen in stack traces).
 */
function newSignal<P, S>(doc: string): Signal<P, S> {
  return new Signal<P, S>(doc)
}

/** What a send calls: a sender group's plan, or a copy restricted to the receivers a mute lets through. */
type Plan = Pick<SenderGroup, 'plan' | 'planHasDuplicates'>

/** Taking a receiver threw: in a robust send, the error is that receiver's outcome. */
class TakeFailure {
  constructor(
    readonly receiver: ReceiverFunction,
    readonly reason: unknown,
  ) {}
}

/** Whether disconnect()'s argument is `{ key, sender? }` rather than a receiver; never throws. */
function isKeyedSelector(value: unknown): value is object {
  try {
    return typeof value === 'object' && value !== null && !Array.isArray(value) && 'key' in value
  } catch {
    return false // a revoked proxy: reported as a bad receiver
  }
}

function tooManyArguments(method: string, count: number, withOptions = false): TypeError {
  return new TypeError(
    `${method}() takes a sender and a payload${withOptions ? ' and options' : ''}, got ${count} arguments; pass several values in one payload object`,
  )
}

/**
 * The live connections of a plan, each receiver counted once: what a send is about to call. Counts,
 * never ends, dead ones: publishing must not change what receivers see.
 */
function liveReceiverCount(group: Plan): number {
  let receiverCount = 0
  const seen = group.planHasDuplicates ? new Set<ReceiverFunction>() : undefined
  for (const record of group.plan) {
    const receiver = record.connected ? record.receiver : undefined
    if (receiver === undefined || seen?.has(receiver) === true) continue
    seen?.add(receiver)
    receiverCount++
  }
  return receiverCount
}
