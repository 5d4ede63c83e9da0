import { brand, definesBrandCheck, hasBrand, NAMED_SIGNAL_BRAND } from './shared/brands'
import { signalText } from './shared/describe'
import { invalidArgument } from './shared/validate'
import { Signal } from './signal'

/**
 * A {@link Signal} with a name, as returned by {@link signal} and {@link Namespace.signal}.
 *
 * @remarks
 * The name only identifies the signal in its namespace and in messages; sending works as for any
 * signal. Create named signals through a namespace so that every call with the name returns the same
 * object; `new NamedSignal(name)` makes one that no namespace knows.
 *
 * As a type, `NamedSignal<P, S, R>` is `Signal<P, S, R, string | symbol>`: a signal whose
 * {@link Signal.name} is a string or a symbol. Being an instantiation of `Signal` itself rather than
 * of a subclass, it is checked and inferred by its type arguments, as cheaply as a plain `Signal`.
 * As a value, `NamedSignal` is the class: `new NamedSignal(name)`, `x instanceof NamedSignal`,
 * `class AuditedSignal extends NamedSignal<P, S> {}`.
 *
 * @typeParam P - The payload type; `void` (the default) for signals that carry none.
 * @typeParam S - The sender type.
 * @typeParam R - What receivers return; `unknown` (the default) accepts any result.
 *
 * @example
 * ```ts
 * import { NamedSignal, Signal, signal } from 'signalry'
 *
 * const created = signal('user.created', 'Sent after a user is created.')
 * console.log(created.name, '-', created.doc) // Prints: user.created - Sent after a user is created.
 *
 * const renamed: NamedSignal<{ id: number }> = new NamedSignal('user.renamed')
 * const anySignal: Signal<{ id: number }> = renamed // a named signal is a Signal
 * console.log(anySignal instanceof NamedSignal, String(renamed)) // Prints: true NamedSignal("user.renamed")
 * ```
 */
type NamedSignal<P = void, S = unknown, R = unknown> = Signal<P, S, R, string | symbol>

/**
 * The type of the class {@link NamedSignal} (the value): how it is constructed, what `instanceof`
 * narrows to, and the static members it shares with {@link Signal}.
 *
 * @example
 * ```ts
 * import { NamedSignal, type NamedSignalConstructor } from 'signalry'
 *
 * const make: NamedSignalConstructor = NamedSignal
 * const saved = new make<{ id: number }, string>('record.saved')
 * console.log(saved.name) // Prints: record.saved
 * ```
 */
export interface NamedSignalConstructor
  extends Omit<typeof Signal, 'prototype' | 'maxSendDepth' | 'defaultMaxReceivers'> {
  // The two accessors are declared again because Omit makes them plain properties without their
  // documentation; they are Signal's own (the class inherits them), one value for every signal.
  /** {@link Signal.maxSendDepth}: the same setting, for every signal. */
  maxSendDepth: number
  /** {@link Signal.defaultMaxReceivers}: the same setting, for every signal. */
  defaultMaxReceivers: number

  /**
   * Creates a named signal that belongs to no namespace; {@link signal} and
   * {@link Namespace.signal} are the usual way to get one.
   *
   * @param name - The signal's name: a string or a symbol.
   * @param doc - What the signal means; kept as {@link Signal.doc}.
   * @throws TypeError if `name` is neither a string nor a symbol, or `doc` not a string.
   */
  new <P = void, S = unknown, R = unknown>(name: string | symbol, doc?: string): NamedSignal<P, S, R>
  /** What `x instanceof NamedSignal` narrows an unknown `x` to. */
  readonly prototype: NamedSignal<any, any, any>
}

/**
 * The class of named signals: `new NamedSignal(name, doc)`, `x instanceof NamedSignal` (true for named
 * signals of every copy of the library in the process), `class AuditedSignal extends NamedSignal<P, S> {}`.
 * Its instances are of the type {@link NamedSignal}, `Signal<P, S, R, string | symbol>`.
 *
 * @example
 * ```ts
 * import { NamedSignal } from 'signalry'
 *
 * class AuditedSignal<P> extends NamedSignal<P, string> {
 *   override toString(): string {
 *     return `audited ${super.toString()}`
 *   }
 * }
 * const paid = new AuditedSignal<{ cents: number }>('invoice.paid')
 * console.log(String(paid), paid instanceof NamedSignal) // Prints: audited AuditedSignal("invoice.paid") true
 * ```
 */
// A class expression, not a declaration: the type `NamedSignal` is the alias above, and a class
// declaration would declare a type of that name too. Anonymous, so that the class takes the name
// `NamedSignal` from the constant (in builds and stack traces as before); a named class expression
// is renamed by the bundler (`class NamedSignal2`). A local constant exported below, not
// `export const`: compiled to CommonJS, that assigns the class to `exports.NamedSignal`, and a class
// assigned to a property is not named. Asserted through unknown: checking the class against
// NamedSignalConstructor compares the self-referring Signal class structurally with generic type
// arguments, which exceeds the compiler's depth; the class extends Signal<P, S, R, string | symbol>
// and adds only what the constructor type declares.
const NamedSignal = class<P = void, S = unknown, R = unknown> extends Signal<P, S, R, string | symbol> {
  /** The signal's name in its namespace: a string or a symbol. */
  override readonly name: string | symbol

  constructor(name: string | symbol, doc?: string) {
    if (typeof name !== 'string' && typeof name !== 'symbol') {
      throw invalidArgument('NamedSignal', 'a string or symbol as name', name)
    }
    if (doc !== undefined && typeof doc !== 'string')
      throw invalidArgument('NamedSignal', 'a string as doc', doc)
    super(doc)
    if (!branded) brandNamedSignals()
    this.name = name
  }

  /** Recognises named signals from every copy of the library in the process. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (!definesBrandCheck(this)) return Function.prototype[Symbol.hasInstance].call(this, value)
    return hasBrand(value, NAMED_SIGNAL_BRAND)
  }

  /** A short description for logs: `NamedSignal("user.created")` (a subclass's own class name). */
  override toString(): string {
    return signalText(this, 'name')
  }
} as unknown as NamedSignalConstructor
// Exports both the type (the alias above) and the value (the class).
export { NamedSignal }

// Branded by the first named signal, not at import time, so that a bundler can drop the class when an
// application does not use it. Outside the class body: a class body that names its own class makes
// the bundler rename it (`class _NamedSignal`, seen in stack traces).
let branded = false
function brandNamedSignals(): void {
  brand(NamedSignal.prototype, NAMED_SIGNAL_BRAND)
  branded = true
}

/**
 * What is published on the `signalry:send` diagnostics channel for each send of a named signal
 * (`send`, `emit`, `sendRobust`, `sendAsync`, `sendAsyncRobust`), before any receiver runs.
 *
 * @remarks
 * Published only while the channel has subscribers; otherwise a send does not build it. Sends of
 * unnamed signals (`new Signal()`, meta-signals) are not published.
 *
 * @example
 * ```ts
 * import { subscribe, unsubscribe } from 'node:diagnostics_channel'
 * import { signal, type SendDiagnostic } from 'signalry'
 *
 * const saved = signal<{ id: number }, string>('diagnostics.saved')
 * saved.connect(() => {})
 * const onSend = (message: unknown) => {
 *   const { name, sender, receiverCount } = message as SendDiagnostic
 *   console.log(`sent ${String(name)} from ${String(sender)} to ${receiverCount} receiver(s)`)
 * }
 * subscribe('signalry:send', onSend)
 * saved.send('orders', { id: 1 }) // Prints: sent diagnostics.saved from orders to 1 receiver(s)
 * unsubscribe('signalry:send', onSend)
 * ```
 */
export interface SendDiagnostic {
  /** The signal being sent. */
  readonly signal: NamedSignal<any, any>
  /** Its name. */
  readonly name: string | symbol
  /** The sender of this send. */
  readonly sender: unknown
  /** How many receivers this send calls: 0 while the signal is muted. */
  readonly receiverCount: number
}

/**
 * The context object of the `TracingChannel` `signalry:send`
 * (`diagnostics_channel.tracingChannel('signalry:send')`, Node ≥ 18.19 / 19.9): one per send of any
 * signal, given to every event of that send.
 *
 * @remarks
 * - `send`, `emit`, `sendRobust`: `start` before the first receiver runs, `end` after the last one
 *   (with `result` set), and `error` before `end` if the send threw (with `error` set).
 * - `sendAsync`, `sendAsyncRobust`: `start`, then `end` when the synchronous part returns the
 *   promise (receivers called before the first await ran in between); when the promise settles,
 *   `error` if it rejected, then `asyncStart` and `asyncEnd` with `result` or `error` set.
 * - The receivers run inside `start.runStores`: an `AsyncLocalStorage` bound to the `start` channel
 *   (`bindStore`) is in force for every receiver, its async continuations and the sends it makes.
 * - Not traced: sends while the signal is muted (they call nothing), sends made by a subscriber
 *   while it is given an event (they would recurse), and sends before the channel was found on
 *   Node without `process.getBuiltinModule` (the first moments after the first send).
 * - Published only while a channel of the tracing channel has subscribers; otherwise a send does
 *   not build it. Subscribers may add fields of their own (a span) and read them in later events.
 *
 * @example
 * ```ts
 * import { tracingChannel } from 'node:diagnostics_channel'
 * import { signal, type SendTraceContext } from 'signalry'
 *
 * const sends = tracingChannel<unknown, SendTraceContext & { startedAt?: number }>('signalry:send')
 * const handlers = {
 *   start(context: SendTraceContext & { startedAt?: number }) {
 *     context.startedAt = Date.now()
 *   },
 *   end({ name, method, receiverCount, result }: SendTraceContext) {
 *     console.log(`${method} ${String(name)}: ${receiverCount} receiver(s) returned`, result)
 *   },
 *   asyncStart() {},
 *   asyncEnd() {},
 *   error() {},
 * }
 * sends.subscribe(handlers)
 * const priced = signal<number, string>('cart.priced')
 * priced.connect((_, total) => total * 2)
 * priced.emit('cart', 10) // Prints: emit cart.priced: 1 receiver(s) returned true
 * sends.unsubscribe(handlers)
 * ```
 */
export interface SendTraceContext {
  /** The signal being sent. */
  readonly signal: Signal<any, any, any>
  /** Its name for a named signal; undefined for others. */
  readonly name: string | symbol | undefined
  /** The sender of this send. */
  readonly sender: unknown
  /** Which method sends. */
  readonly method: 'send' | 'emit' | 'sendRobust' | 'sendAsync' | 'sendAsyncRobust'
  /** How many receivers this send is about to call. */
  readonly receiverCount: number
  /**
   * Set when the send returned or its promise fulfilled: what it returns — `[receiver, result]`
   * pairs, `[receiver, outcome]` pairs for the robust sends, `true`/`false` for `emit`.
   */
  result?: unknown
  /** Set when the send threw or its promise rejected: that error. */
  error?: unknown
}

/**
 * What is published on the `signalry:receiver-error` diagnostics channel: a receiver error that
 * signalry caught and gives to no caller, so that it can be logged (Django logs them at ERROR).
 *
 * @remarks
 * `source` says where it was caught:
 * - `'sendRobust'`, `'sendAsyncRobust'`: a receiver threw or rejected; the robust send returned the
 *   error as the receiver's outcome. Published as each outcome is known, while the send runs.
 * - `'disconnect'`: a `receiverDisconnected` receiver threw while several connections ended at once
 *   (a disconnect, an owner, a scope, a pruned connection): the first error is thrown to the caller,
 *   the others are published. `receiver` and `sender` are those of the connection whose ending was
 *   being reported (undefined when not known).
 * - `'finalizer'`: the same, when a garbage-collected receiver, sender or owner ended connections:
 *   no caller exists; the first error also surfaces as an uncaught one.
 *
 * - `'bridge'`: a receiver of a bridge's re-send of a message from another process returned a
 *   promise (a plain function, so the re-send was a `sendRobust`) and it rejected: the bridge awaited it.
 *
 * A bridge (`signalry/bridge`) re-sends a message from another process with `sendRobust` or
 * `sendAsyncRobust`: its receivers' errors are published as theirs, with the local signal.
 *
 * Published only while the channel has subscribers. A subscriber's own sends are not published on
 * any channel while it runs.
 *
 * @example
 * ```ts
 * import { subscribe, unsubscribe } from 'node:diagnostics_channel'
 * import { signal, type ReceiverErrorDiagnostic } from 'signalry'
 *
 * const onError = (message: unknown) => {
 *   const { name, receiver, error, source } = message as ReceiverErrorDiagnostic
 *   console.log(`${source}: receiver ${receiver?.name} of ${String(name)} failed: ${(error as Error).message}`)
 * }
 * subscribe('signalry:receiver-error', onError)
 * const flushed = signal('cache.flushed.robustly')
 * flushed.connect(function evictCdn() {
 *   throw new Error('cdn down')
 * })
 * flushed.sendRobust() // Prints: sendRobust: receiver evictCdn of cache.flushed.robustly failed: cdn down
 * unsubscribe('signalry:receiver-error', onError)
 * ```
 */
export interface ReceiverErrorDiagnostic {
  /** The signal whose receiver failed; undefined when not known. */
  readonly signal: Signal<any, any, any> | undefined
  /** Its name for a named signal; undefined for others. */
  readonly name: string | symbol | undefined
  /** The sender of the send (for `'disconnect'`/`'finalizer'`: of the connection; `ANY` for any). */
  readonly sender: unknown
  /** The receiver that failed (see `source`); undefined when it is not known. */
  readonly receiver: ((...args: never[]) => unknown) | undefined
  /** What it threw or rejected with. */
  readonly error: unknown
  /** Where signalry caught it. */
  readonly source: 'sendRobust' | 'sendAsyncRobust' | 'disconnect' | 'finalizer' | 'bridge'
}
