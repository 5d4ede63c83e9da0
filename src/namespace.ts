import { NamedSignal } from './namedSignal'
import {
  type PatternConnection,
  type PatternConnectOptions,
  type PatternReceiver,
  type PatternReceiverOfUnions,
  type PatternSender,
  PatternSubscriptions,
} from './patterns'
import type { SignalOf, SignalTypes } from './registry'
import { brand, definesBrandCheck, hasBrand, NAMESPACE_BRAND } from './shared/brands'
import { processState } from './shared/processState'
import { invalidArgument } from './shared/validate'
import { countConnections, Signal } from './signal'

/**
 * One signal as {@link Namespace.inspect} reports it: its connections counted by the kind of
 * sender they were made for.
 *
 * @remarks
 * Connections for object senders that have been garbage-collected are not counted.
 *
 * @example
 * ```ts
 * import { Namespace, type SignalInspection } from 'signalry'
 *
 * const app = new Namespace()
 * app.signal('saved').connect(() => {}, { sender: 'orders' })
 * const [saved] = app.inspect() as [SignalInspection]
 * console.log(saved.name, saved.any, saved.primitive, saved.object) // Prints: saved 0 1 0
 * ```
 */
export interface SignalInspection {
  /** The signal's name. */
  readonly name: string | symbol
  /** The signal's documentation. */
  readonly doc: string | undefined
  /** Connections for {@link ANY}: receivers that run for every sender. */
  readonly any: number
  /** Connections for primitive senders (strings, numbers, `undefined`, …). */
  readonly primitive: number
  /** Connections for object senders that are still alive. */
  readonly object: number
  /** Whether the signal is muted right now. */
  readonly isMuted: boolean
  /** The signal itself. */
  readonly signal: NamedSignal<any, any>
}

/**
 * A registry of named signals: {@link Namespace.signal} returns the same {@link NamedSignal} for
 * the same name, every time.
 *
 * @remarks
 * Names are strings or symbols; any string works, `'__proto__'` and `'constructor'` included.
 * Signals are held strongly and never removed, so receivers connected at module level stay
 * connected (blinker's `Namespace`). Iterating a namespace yields its signals in creation order.
 *
 * The type argument `Types` is the namespace's registry of typed names, shaped like
 * {@link SignalTypes}: `new Namespace<PluginSignals>()` types `signal(name)` for the names
 * `PluginSignals` declares. Without it no name is declared. ({@link SignalTypes} itself is the
 * registry of {@link defaultNamespace} only.)
 *
 * @typeParam Types - The registry of typed signal names; none by default.
 *
 * @example
 * ```ts
 * import { Namespace } from 'signalry'
 *
 * const plugins = new Namespace()
 * const loaded = plugins.signal('plugin.loaded')
 * console.log(plugins.signal('plugin.loaded') === loaded, plugins.size) // Prints: true 1
 * ```
 */
export class Namespace<Types extends object = {}> implements Iterable<NamedSignal<any, any, any>> {
  readonly #signals = new Map<string | symbol, NamedSignal<unknown, unknown, unknown>>()
  #signalCreated: Signal<NamedSignal<any, any, any>, Namespace<Types>> | undefined
  /** The wildcard subscriptions; created by the first, so that a namespace without any pays nothing. */
  #patterns: PatternSubscriptions | undefined

  /** Creates an empty namespace. */
  constructor() {
    if (!branded) brandNamespaces()
  }

  /**
   * A meta-signal sent after {@link Namespace.signal} creates a signal, with this namespace as
   * sender and the new signal as payload: for code that must follow every signal of a namespace,
   * including those created later (a bridge, a logger).
   *
   * @remarks
   * Created on first read; costs nothing until then. It is sent once per created signal, after the
   * signal is registered, so `ns.has(name)` is already true in its receivers. If one of its receivers
   * throws, the error propagates out of the `signal()` call that created the signal; the signal stays
   * created. Signals that existed before a receiver connected are not reported: iterate the namespace
   * for those.
   *
   * @example
   * ```ts
   * import { Namespace } from 'signalry'
   *
   * const app = new Namespace()
   * app.signalCreated.connect((_, created) => console.log('new signal:', created.name))
   * app.signal('user.created') // Prints: new signal: user.created
   * app.signal('user.created') // (nothing: it already exists)
   * ```
   */
  get signalCreated(): Signal<NamedSignal<any, any, any>, Namespace<Types>> {
    return (this.#signalCreated ??= new Signal<NamedSignal<any, any, any>, Namespace<Types>>(
      'Sent after this namespace creates a signal; the payload is the new signal.',
    ))
  }

  /**
   * Returns the signal named `name`, creating it on first use.
   *
   * @remarks
   * Only the first call for a name uses `doc`; later calls return the existing signal as it is.
   * For a name declared in the namespace's registry (its type argument `Types`), the signal's types
   * come from there; for other names, from the type arguments (`unknown` when left out).
   *
   * @typeParam P - The payload type of the signal.
   * @typeParam S - The sender type of the signal.
   * @typeParam R - What its receivers return.
   * @param name - The signal's name: a string or a symbol.
   * @param doc - What the signal means, for a signal created by this call.
   * @throws TypeError if `name` is neither a string nor a symbol, or `doc` not a string.
   *
   * @example
   * ```ts
   * import { Namespace } from 'signalry'
   *
   * const app = new Namespace()
   * const ready = app.signal<{ port: number }>('server.ready')
   * ready.connect((_, { port }) => console.log('listening on', port))
   * app.signal('server.ready').send(undefined, { port: 8080 }) // Prints: listening on 8080
   * ```
   */
  signal<Name extends keyof Types & (string | symbol)>(name: Name, doc?: string): SignalOf<Name, Types>
  signal<P = unknown, S = unknown, R = unknown>(name: string | symbol, doc?: string): NamedSignal<P, S, R>
  signal(name: string | symbol, doc?: string): NamedSignal<any, any, any> {
    assertName('signal', name)
    if (doc !== undefined && typeof doc !== 'string') throw invalidArgument('signal', 'a string as doc', doc)
    const existing = this.#signals.get(name)
    if (existing !== undefined) return existing
    const created = new NamedSignal<unknown, unknown, unknown>(name, doc)
    this.#signals.set(name, created)
    // Wildcard receivers first: they count as connected when the signal is created, before anyone
    // who hears of it through signalCreated can connect.
    this.#patterns?.created(created)
    this.#signalCreated?.send(this, created)
    return created
  }

  /**
   * Whether a signal named `name` has been created in this namespace. Does not create it.
   *
   * @throws TypeError if `name` is neither a string nor a symbol.
   *
   * @example
   * ```ts
   * import { Namespace } from 'signalry'
   *
   * const app = new Namespace()
   * console.log(app.has('ready')) // Prints: false
   * app.signal('ready')
   * console.log(app.has('ready')) // Prints: true
   * ```
   */
  has(name: string | symbol): boolean {
    assertName('has', name)
    return this.#signals.has(name)
  }

  /**
   * The names of the signals in this namespace, in creation order (a new array each call).
   *
   * @example
   * ```ts
   * import { Namespace } from 'signalry'
   *
   * const app = new Namespace()
   * app.signal('started')
   * app.signal('stopped')
   * console.log(app.names()) // Prints: [ 'started', 'stopped' ]
   * ```
   */
  names(): Array<string | symbol> {
    return [...this.#signals.keys()]
  }

  /**
   * How many signals this namespace holds.
   *
   * @example
   * ```ts
   * import { Namespace } from 'signalry'
   *
   * const app = new Namespace()
   * app.signal('started')
   * console.log(app.size) // Prints: 1
   * ```
   */
  get size(): number {
    return this.#signals.size
  }

  /**
   * Iterates the signals of this namespace in creation order.
   *
   * @example
   * ```ts
   * import { Namespace } from 'signalry'
   *
   * const app = new Namespace()
   * app.signal('started').connect(() => {})
   * app.signal('stopped')
   * for (const sig of app) console.log(sig.name, sig.receiverCount)
   * // Prints: started 1
   * // Prints: stopped 0
   * ```
   */
  [Symbol.iterator](): IterableIterator<NamedSignal<any, any, any>> {
    return this.#signals.values()
  }

  /**
   * Every signal of this namespace with its connections counted by kind of sender — for {@link ANY},
   * for primitive senders, for object senders — in creation order. For debugging: what is
   * connected where, and which signal grows.
   *
   * @remarks
   * A snapshot: a new array of new objects each call. Counts connections (a receiver connected for
   * two senders counts twice); connections for collected sender objects are not counted. Works
   * well with `console.table(namespace.inspect())`.
   *
   * @example
   * ```ts
   * import { Namespace } from 'signalry'
   *
   * const app = new Namespace()
   * const saved = app.signal('record.saved')
   * saved.connect(() => {})
   * saved.connect(() => {}, { sender: 'orders' })
   * const invoices = { table: 'invoices' }
   * saved.connect(() => {}, { sender: invoices })
   * app.signal('record.deleted')
   * for (const { name, any, primitive, object } of app.inspect()) console.log(name, any, primitive, object)
   * // Prints: record.saved 1 1 1
   * // Prints: record.deleted 0 0 0
   * ```
   */
  inspect(): SignalInspection[] {
    return [...this.#signals.values()].map((signal) => ({
      name: signal.name,
      doc: signal.doc,
      ...countConnections!(signal),
      isMuted: signal.isMuted,
      signal,
    }))
  }

  /**
   * Connects `receiver` to every signal of this namespace whose name matches `pattern` — those that
   * exist now and those created later — to be called as `receiver(sender, payload, name)`, `name`
   * being the name of the signal sent: a wildcard subscription, for an audit log of `'user.*'` or
   * metrics over `'*'`.
   *
   * @remarks
   * Patterns (`*` only as the last character):
   * - `'*'` — every signal, symbol-named ones included;
   * - `'user.*'` — the signals whose name begins with `user.` and goes on: `user.created` and
   *   `user.profile.updated` (one or more further segments), not `user`;
   * - `'user*'` — the signals whose name begins with `user`: `user`, `users.listed`, `user.created`;
   * - a pattern without `*` — the signal of that name, created now or later.
   *
   * On each matching signal it makes an ordinary connection (of a function of its own that calls
   * `receiver`): it runs in that signal's order like any receiver — by priority, then connection
   * order, counting as connected to an existing signal when `connectMatching` is called and to a
   * signal created later when that signal is created (before {@link Namespace.signalCreated} is
   * sent, so before any receiver connected to it afterwards); several wildcard receivers reach a new
   * signal in the order they were connected. Each connection is reported on the signal's
   * `receiverConnected` and counted by `receiverCount`, `hasReceiversFor`, `connections()` and
   * {@link Namespace.inspect}; a send of a signal whose only receiver is a wildcard one calls it.
   * `signal.disconnectAll()` removes it from that signal only.
   *
   * Options are those of {@link Signal.connect}, for every signal reached (see
   * {@link PatternConnectOptions}); `once` means the first matching send of any signal of the family.
   * Connecting the same receiver with the same pattern and sender again keeps one subscription, with
   * the later options. With the typed registry, the receiver's sender, payload and name are typed as
   * the unions over the names the pattern matches; a receiver annotated as a {@link PatternReceiver}
   * has them as a union of tuples, so that checking `name` narrows the other two.
   *
   * @param pattern - Which names: `'*'`, `'family.*'`, `'prefix*'` or a name.
   * @param receiver - Called as `receiver(sender, payload, name)`.
   * @param options - {@link PatternConnectOptions}.
   * @returns A {@link PatternConnection}: `disconnect()` ends the subscription on every signal, now
   *   and later.
   * @throws TypeError for a pattern that is not a non-empty string or has `*` anywhere but last, a
   *   non-function receiver or a bad option; nothing is connected then.
   *
   * @example
   * ```ts
   * import { Namespace } from 'signalry'
   *
   * const app = new Namespace()
   * const audit = app.connectMatching('user.*', (sender, payload, name) => console.log(name, sender, payload))
   * app.signal('user.created').send('admin', { id: 1 }) // Prints: user.created admin { id: 1 }
   * app.signal('order.paid').send('shop') // (nothing: not a user.* signal)
   * audit.disconnect()
   * app.signal('user.deleted').send('admin', { id: 1 }) // (nothing: disconnected)
   * ```
   */
  connectMatching<Pattern extends string>(
    pattern: Pattern,
    receiver: PatternReceiverOfUnions<Pattern, Types>,
    options?: PatternConnectOptions<PatternSender<Pattern, Types>>,
  ): PatternConnection
  // Each method taking a receiver has two forms. The first types an inline receiver's sender, payload
  // and name each as a union (PatternReceiverOfUnions): cheap to check whatever the registry's size.
  // The second takes a receiver annotated as a PatternReceiver, whose union of [sender, payload,
  // name] tuples lets `name` narrow the other two; checking an inline receiver against it took
  // TypeScript ~0.75 s per call over 100 declared names, so it is never the one inferred first.
  connectMatching<Pattern extends string>(
    pattern: Pattern,
    receiver: PatternReceiver<Pattern, Types>,
    options?: PatternConnectOptions<PatternSender<Pattern, Types>>,
  ): PatternConnection
  connectMatching(pattern: string, receiver: Function, options?: PatternConnectOptions): PatternConnection {
    return (this.#patterns ??= new PatternSubscriptions(this)).connect(pattern, receiver, options)
  }

  /**
   * {@link Namespace.connectMatching} for a scope, always ended at its end: blinker's
   * `connected_to`, for a family of signals. Without `body`, returns the {@link PatternConnection}
   * to end with `using` or `disconnect()`; with `body`, runs it and returns its result (an async
   * body ends the scope when its promise settles). Each connection it made is reported with reason
   * `'scope-ended'`. Only what the scope made is removed: over a subscription of the same receiver,
   * pattern and sender it makes and ends nothing; with a `key` in use, the earlier subscription
   * gets its connections back when the scope ends, and reaches the signals created meanwhile then.
   *
   * @param pattern - Which names, as for {@link Namespace.connectMatching}.
   * @param receiver - Called as `receiver(sender, payload, name)`.
   * @returns The {@link PatternConnection}, or what `body` returns.
   * @throws TypeError as {@link Namespace.connectMatching} does, and for a non-function body.
   *
   * @example
   * ```ts
   * import { Namespace } from 'signalry'
   *
   * const app = new Namespace()
   * const seen: unknown[] = []
   * app.connectedToMatching('job.*', (_, __, name) => seen.push(name), () => {
   *   app.signal('job.started').send()
   *   app.signal('job.done').send()
   * })
   * app.signal('job.done').send() // the scope has ended: not seen
   * console.log(seen, app.signal('job.done').receiverCount) // Prints: [ 'job.started', 'job.done' ] 0
   * ```
   */
  connectedToMatching<Pattern extends string>(
    pattern: Pattern,
    receiver: PatternReceiverOfUnions<Pattern, Types>,
    options?: PatternConnectOptions<PatternSender<Pattern, Types>>,
  ): PatternConnection
  connectedToMatching<Pattern extends string>(
    pattern: Pattern,
    receiver: PatternReceiver<Pattern, Types>,
    options?: PatternConnectOptions<PatternSender<Pattern, Types>>,
  ): PatternConnection
  connectedToMatching<Pattern extends string, T>(
    pattern: Pattern,
    receiver: PatternReceiverOfUnions<Pattern, Types>,
    body: () => T,
  ): T
  connectedToMatching<Pattern extends string, T>(
    pattern: Pattern,
    receiver: PatternReceiver<Pattern, Types>,
    body: () => T,
  ): T
  connectedToMatching<Pattern extends string, T>(
    pattern: Pattern,
    receiver: PatternReceiverOfUnions<Pattern, Types>,
    options: PatternConnectOptions<PatternSender<Pattern, Types>> | undefined,
    body: () => T,
  ): T
  connectedToMatching<Pattern extends string, T>(
    pattern: Pattern,
    receiver: PatternReceiver<Pattern, Types>,
    options: PatternConnectOptions<PatternSender<Pattern, Types>> | undefined,
    body: () => T,
  ): T
  connectedToMatching(...args: unknown[]): unknown {
    return (this.#patterns ??= new PatternSubscriptions(this)).connectedTo(args)
  }

  /**
   * The wildcard subscriptions of this namespace that are still connected, in the order they were
   * made: for debugging, and for test helpers that reset a namespace.
   *
   * @example
   * ```ts
   * import { Namespace } from 'signalry'
   *
   * const app = new Namespace()
   * app.connectMatching('*', function metrics() {})
   * for (const subscription of app.patternConnections()) console.log(subscription.pattern, subscription.receiver?.name)
   * // Prints: * metrics
   * ```
   */
  patternConnections(): PatternConnection[] {
    return this.#patterns?.list() ?? []
  }

  /** Recognises namespaces from every copy of the library in the process. */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (!definesBrandCheck(this)) return Function.prototype[Symbol.hasInstance].call(this, value)
    return hasBrand(value, NAMESPACE_BRAND)
  }
}

// Branded by the first namespace, not at import time, so that a bundler can drop the class when an
// application does not use it. Outside the class body: a class body that names its own class makes
// the bundler rename it (`class _Namespace`, seen in stack traces).
let branded = false
function brandNamespaces(): void {
  brand(Namespace.prototype, NAMESPACE_BRAND)
  branded = true
}

function assertName(method: string, name: unknown): asserts name is string | symbol {
  if (typeof name !== 'string' && typeof name !== 'symbol') {
    throw invalidArgument(method, 'a string or symbol as name', name)
  }
}

/**
 * The namespace of {@link signal}: one per process, shared by every copy of the library (the ESM
 * and the CJS build loaded side by side included). It lives on `globalThis` under
 * `Symbol.for('signalry.processState@1')`.
 *
 * @example
 * ```ts
 * import { defaultNamespace, signal } from 'signalry'
 *
 * const saved = signal('doc.saved')
 * console.log(defaultNamespace.signal('doc.saved') === saved) // Prints: true
 * ```
 */
export const defaultNamespace: Namespace<SignalTypes> = /*#__PURE__*/ processDefaultNamespace()

/**
 * The process's default namespace, created by whichever copy of the library asks first. signal()
 * asks this rather than reading {@link defaultNamespace}, so that a bundle using only signal() can
 * drop the constant.
 */
function processDefaultNamespace(): Namespace<SignalTypes> {
  return (processState.defaultNamespace ??= new Namespace()) as Namespace<SignalTypes>
}

/**
 * Returns the signal named `name` in {@link defaultNamespace}, creating it on first use. Every
 * call with the same name, anywhere in the process, returns the same signal.
 *
 * @remarks
 * For a name declared in {@link SignalTypes} (by module augmentation), the signal is typed from
 * there: `signal('user.created')` needs no type arguments. Other names take the type arguments, or
 * are `unknown` without them.
 *
 * @typeParam P - The payload type of the signal.
 * @typeParam S - The sender type of the signal.
 * @typeParam R - What its receivers return.
 * @param name - The signal's name: a string or a symbol.
 * @param doc - What the signal means, for a signal created by this call.
 * @throws TypeError if `name` is neither a string nor a symbol, or `doc` not a string.
 *
 * @example
 * ```ts
 * import { signal } from 'signalry'
 *
 * export const userCreated = signal<{ id: number }>('user.created')
 * userCreated.connect((_, user) => console.log('welcome', user.id))
 * signal('user.created').send(undefined, { id: 42 }) // Prints: welcome 42
 * ```
 */
export function signal<Name extends keyof SignalTypes & (string | symbol)>(
  name: Name,
  doc?: string,
): SignalOf<Name>
export function signal<P = unknown, S = unknown, R = unknown>(
  name: string | symbol,
  doc?: string,
): NamedSignal<P, S, R>
export function signal(name: string | symbol, doc?: string): NamedSignal<any, any, any> {
  return processDefaultNamespace().signal(name, doc)
}

/**
 * {@link Namespace.connectMatching} on {@link defaultNamespace}: connects `receiver` to every signal
 * whose name matches `pattern`, now and later, called as `receiver(sender, payload, name)`.
 *
 * @param pattern - `'*'`, `'family.*'`, `'prefix*'` or a name (see {@link Namespace.connectMatching}).
 * @param receiver - Called as `receiver(sender, payload, name)`.
 * @param options - {@link PatternConnectOptions}.
 * @throws TypeError for a bad pattern, receiver or option; nothing is connected then.
 *
 * @example
 * ```ts
 * import { connectMatching, signal } from 'signalry'
 *
 * const metrics = connectMatching('docs.metrics.*', (_, __, name) => console.log('count', name))
 * signal('docs.metrics.hit').send() // Prints: count docs.metrics.hit
 * metrics.disconnect()
 * ```
 */
export function connectMatching<Pattern extends string>(
  pattern: Pattern,
  receiver: PatternReceiverOfUnions<Pattern, SignalTypes>,
  options?: PatternConnectOptions<PatternSender<Pattern, SignalTypes>>,
): PatternConnection
export function connectMatching<Pattern extends string>(
  pattern: Pattern,
  receiver: PatternReceiver<Pattern, SignalTypes>,
  options?: PatternConnectOptions<PatternSender<Pattern, SignalTypes>>,
): PatternConnection
export function connectMatching(
  pattern: string,
  receiver: Function,
  options?: PatternConnectOptions,
): PatternConnection {
  const namespace = processDefaultNamespace() as unknown as Namespace<{}>
  return namespace.connectMatching(pattern, receiver as PatternReceiver<string>, options)
}

/**
 * {@link Namespace.connectedToMatching} on {@link defaultNamespace}: a wildcard subscription for a
 * scope, always ended at its end.
 *
 * @example
 * ```ts
 * import { connectedToMatching, signal } from 'signalry'
 *
 * const names: unknown[] = []
 * connectedToMatching('docs.scoped.*', (_, __, name) => names.push(name), () => signal('docs.scoped.a').send())
 * signal('docs.scoped.a').send() // the scope has ended: not seen
 * console.log(names) // Prints: [ 'docs.scoped.a' ]
 * ```
 */
export function connectedToMatching<Pattern extends string>(
  pattern: Pattern,
  receiver: PatternReceiverOfUnions<Pattern, SignalTypes>,
  options?: PatternConnectOptions<PatternSender<Pattern, SignalTypes>>,
): PatternConnection
export function connectedToMatching<Pattern extends string>(
  pattern: Pattern,
  receiver: PatternReceiver<Pattern, SignalTypes>,
  options?: PatternConnectOptions<PatternSender<Pattern, SignalTypes>>,
): PatternConnection
export function connectedToMatching<Pattern extends string, T>(
  pattern: Pattern,
  receiver: PatternReceiverOfUnions<Pattern, SignalTypes>,
  body: () => T,
): T
export function connectedToMatching<Pattern extends string, T>(
  pattern: Pattern,
  receiver: PatternReceiver<Pattern, SignalTypes>,
  body: () => T,
): T
export function connectedToMatching<Pattern extends string, T>(
  pattern: Pattern,
  receiver: PatternReceiverOfUnions<Pattern, SignalTypes>,
  options: PatternConnectOptions<PatternSender<Pattern, SignalTypes>> | undefined,
  body: () => T,
): T
export function connectedToMatching<Pattern extends string, T>(
  pattern: Pattern,
  receiver: PatternReceiver<Pattern, SignalTypes>,
  options: PatternConnectOptions<PatternSender<Pattern, SignalTypes>> | undefined,
  body: () => T,
): T
export function connectedToMatching(...args: unknown[]): unknown {
  const namespace = processDefaultNamespace() as unknown as Namespace<{}>
  return (namespace.connectedToMatching as (...args: unknown[]) => unknown).apply(namespace, args)
}
