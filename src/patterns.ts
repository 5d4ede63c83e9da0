// Wildcard subscriptions: one receiver over every signal of a namespace whose name matches a
// pattern, for the signals that exist and for those created later.
//
// A subscription connects a receiver of its own (a "relay") to each matching signal — an ordinary
// connection with the subscription's options — and the relay calls the user's receiver with the
// signal's name as a third argument. So a wildcard receiver takes part in each signal's call order,
// counts, meta-signals, muting and sends like any other receiver, sends need no new check, and a
// namespace without subscriptions pays one `undefined` test per created signal.
//
// Lifetimes have one home, the connection engine: the subscription keeps its receiver through a
// connection on a private signal of its own (the "holder"), made with the user's sender, `weak`,
// `owner` and AbortSignal. Whether the subscription still lives — its receiver, owner or object
// sender not collected, its owner not passed to disconnectOwner, its AbortSignal not aborted — is
// whether that connection lives; the subscription never holds what the connection holds weakly.

import type { NamedSignal } from './namedSignal'
import { type ConnectOptions, passOn, type ResolvedConnectOptions, resolveConnectOptions } from './options'
import type { PayloadOf, ResultOf, SenderOf } from './registry'
import { runScoped } from './scope'
import { disposeSymbol } from './shared/dispose'
import { isAsyncFunction, isObjectLike } from './shared/guards'
import { assertBody, assertConnectableReceiver, invalidArgument } from './shared/validate'
import { Signal } from './signal'
import type { Connection } from './types'

/**
 * The names of a registry `Types` that `Pattern` matches, as {@link Namespace.connectMatching}
 * reads patterns: `'*'` every name, `'user.*'` the names that begin with `user.` and go on, `'user*'`
 * the names that begin with `user`, and a pattern without `*` that name alone.
 *
 * @typeParam Pattern - A pattern, as a string literal type.
 * @typeParam Types - The registry of typed names (see {@link SignalTypes}).
 *
 * @example
 * ```ts
 * import type { MatchingNames } from 'signalry'
 *
 * interface Shop {
 *   'order.paid': { payload: { cents: number } }
 *   'order.refunded': { payload: { cents: number; reason: string } }
 *   'user.created': { payload: { id: number } }
 * }
 * const names: Array<MatchingNames<'order.*', Shop>> = ['order.paid', 'order.refunded']
 * console.log(names.length) // Prints: 2
 * ```
 */
export type MatchingNames<Pattern extends string, Types extends object> = string extends Pattern
  ? // A pattern known only as `string` may match any name, declared or not, so no declared name is
    // certain (rather than every declared string name, as the Extract below would give).
    never
  : Pattern extends '*'
    ? keyof Types & (string | symbol)
    : Pattern extends `${infer Family}.*`
      ? Exclude<Extract<keyof Types, `${Family}.${string}`>, `${Family}.`>
      : Pattern extends `${infer Prefix}*`
        ? Extract<keyof Types, `${Prefix}${string}`>
        : Extract<keyof Types, Pattern>

/**
 * The arguments a wildcard receiver is called with: `(sender, payload, name)` for each name the
 * pattern matches in the registry, as a union of tuples, so that checking `name` narrows the sender
 * and the payload. Without a matching declared name: `(sender: unknown, payload: unknown, name)`,
 * `name` being what the pattern can match (`` `user.${string}` `` for `'user.*'`).
 *
 * @typeParam Pattern - A pattern, as a string literal type.
 * @typeParam Types - The registry of typed names.
 *
 * @example
 * ```ts
 * import type { PatternArguments } from 'signalry'
 *
 * interface Shop {
 *   'order.paid': { payload: { cents: number } }
 *   'order.refunded': { payload: { cents: number; reason: string } }
 * }
 * const call: PatternArguments<'order.*', Shop> = [undefined, { cents: 500, reason: 'late' }, 'order.refunded']
 * console.log(call[2]) // Prints: order.refunded
 * ```
 */
export type PatternArguments<Pattern extends string, Types extends object> = [
  MatchingNames<Pattern, Types>,
] extends [never]
  ? [sender: unknown, payload: unknown, name: NamesOfPattern<Pattern>]
  : {
      [Name in MatchingNames<Pattern, Types>]: [
        sender: SenderOf<Types[Name]>,
        payload: PayloadOf<Types[Name]>,
        name: Name,
      ]
    }[MatchingNames<Pattern, Types>]

/** The names a pattern can match, declared or not, as a type. */
type NamesOfPattern<Pattern extends string> = string extends Pattern
  ? string | symbol
  : Pattern extends '*'
    ? string | symbol
    : Pattern extends `${infer Prefix}*`
      ? `${Prefix}${string}`
      : Pattern

/**
 * The sender type of a wildcard subscription: the union of the declared senders of the names the
 * pattern matches (`unknown` when it matches no declared name). The `sender` option takes it.
 *
 * @typeParam Pattern - A pattern, as a string literal type.
 * @typeParam Types - The registry of typed names.
 *
 * @example
 * ```ts
 * import type { PatternSender } from 'signalry'
 *
 * interface Shop {
 *   'order.paid': { sender: 'checkout' }
 *   'order.refunded': { sender: 'support' }
 * }
 * const senders: Array<PatternSender<'order.*', Shop>> = ['checkout', 'support']
 * console.log(senders.length) // Prints: 2
 * ```
 */
export type PatternSender<Pattern extends string, Types extends object> = PatternArguments<Pattern, Types>[0]

/**
 * What a wildcard receiver may return: what every signal it matches accepts from its receivers (the
 * intersection of their declared `result` types; `unknown` when none declares one).
 *
 * @typeParam Pattern - A pattern, as a string literal type.
 * @typeParam Types - The registry of typed names.
 *
 * @example
 * ```ts
 * import type { PatternResult } from 'signalry'
 *
 * interface Checks {
 *   'check.email': { payload: string; result: boolean }
 *   'check.name': { payload: string; result: boolean }
 * }
 * const verdict: PatternResult<'check.*', Checks> = true
 * console.log(verdict) // Prints: true
 * ```
 */
export type PatternResult<Pattern extends string, Types extends object> = [
  MatchingNames<Pattern, Types>,
] extends [never]
  ? unknown
  : // The results as parameters of a union of functions: inferring the parameter back gives their
    // intersection (a parameter is contravariant).
    {
        [Name in MatchingNames<Pattern, Types>]: (result: ResultOf<Types[Name]>) => void
      }[MatchingNames<Pattern, Types>] extends (result: infer Every) => void
    ? Every
    : never

/**
 * A receiver of {@link Namespace.connectMatching}: called as `receiver(sender, payload, name)` for
 * each send of a matching signal, `name` being the name of the signal that was sent.
 *
 * @remarks
 * Its arguments are a union of `[sender, payload, name]` tuples, so that checking `name` narrows the
 * other two. Annotate a receiver with it to get that narrowing: an inline receiver passed to
 * `connectMatching` is typed with each argument as a union instead (checking it against the tuples
 * costs TypeScript time that grows with the registry: ~0.75 s per call over 100 declared names).
 *
 * @typeParam Pattern - A pattern, as a string literal type.
 * @typeParam Types - The registry of typed names; the sender and payload types come from the names
 *   the pattern matches there (see {@link PatternArguments}).
 *
 * @example
 * ```ts
 * import { Namespace, type PatternReceiver } from 'signalry'
 *
 * interface Shop {
 *   'order.paid': { payload: { cents: number } }
 *   'order.refunded': { payload: { cents: number; reason: string } }
 * }
 * const shop = new Namespace<Shop>()
 * const audit: PatternReceiver<'order.*', Shop> = (_, payload, name) =>
 *   console.log(name, name === 'order.refunded' ? payload.reason : payload.cents)
 * shop.connectMatching('order.*', audit)
 * shop.signal('order.refunded').send(undefined, { cents: 500, reason: 'late' }) // Prints: order.refunded late
 * ```
 */
export type PatternReceiver<Pattern extends string, Types extends object = {}> = (
  ...args: PatternArguments<Pattern, Types>
) => PatternResult<Pattern, Types>

/**
 * @internal A wildcard receiver with each argument typed as the union over the matched names: what
 * `connectMatching` types an inline receiver as (its first form). Cheap to check whatever the size
 * of the registry, and it accepts receivers of fewer than three parameters (a shorter function is
 * not assignable to a rest parameter that is a union of longer tuples). A receiver annotated as a
 * {@link PatternReceiver} matches the second form, where checking `name` narrows the others.
 */
export type PatternReceiverOfUnions<Pattern extends string, Types extends object> = (
  sender: PatternArguments<Pattern, Types>[0],
  payload: PatternArguments<Pattern, Types>[1],
  name: PatternArguments<Pattern, Types>[2],
) => PatternResult<Pattern, Types>

/**
 * The options of {@link Namespace.connectMatching}: those of {@link Signal.connect}, applied to the
 * connection made on each matching signal.
 *
 * @remarks
 * - `sender`, `priority`, `weak`, `owner`, `signal`: as for `connect`, on every matching signal;
 *   when the receiver, the owner or an object sender is collected, the owner is passed to
 *   {@link disconnectOwner}, or the AbortSignal aborts, the subscription ends on every signal and
 *   reaches no signal created later.
 * - `once`: the receiver runs for the first matching send of any signal of the family, then the
 *   subscription ends everywhere.
 * - `key`: one subscription per key and sender in the namespace; connecting again with the same key
 *   replaces the earlier subscription in place (on each signal, the new receiver takes the old one's
 *   place; signals the new pattern no longer matches lose the old one).
 *
 * @typeParam S - The sender type.
 *
 * @example
 * ```ts
 * import { Namespace, type PatternConnectOptions } from 'signalry'
 *
 * const app = new Namespace()
 * const options: PatternConnectOptions = { sender: 'billing', priority: 10, key: 'audit' }
 * app.connectMatching('invoice.*', (_, __, name) => console.log('audit', String(name)), options)
 * app.signal('invoice.sent').send('billing') // Prints: audit invoice.sent
 * ```
 */
export type PatternConnectOptions<S = unknown> = ConnectOptions<S>

/**
 * The handle of a wildcard subscription, returned by {@link Namespace.connectMatching} and
 * {@link Namespace.connectedToMatching}.
 *
 * @example
 * ```ts
 * import { Namespace } from 'signalry'
 *
 * const app = new Namespace()
 * app.signal('user.created')
 * const audit = app.connectMatching('user.*', () => {})
 * app.signal('user.deleted')
 * console.log(audit.pattern, audit.signals().map((s) => s.name)) // Prints: user.* [ 'user.created', 'user.deleted' ]
 * console.log(audit.disconnect(), audit.connected, app.signal('user.created').receiverCount) // Prints: true false 0
 * ```
 */
export interface PatternConnection extends Disposable {
  /** The pattern, as given. */
  readonly pattern: string
  /** The receiver, while the subscription lives; `undefined` once it has ended. */
  readonly receiver: Function | undefined
  /** Whether the subscription still lives: not disconnected, its scope not ended, nothing collected or aborted. */
  readonly connected: boolean
  /**
   * Ends the subscription: disconnects its receiver from every signal it reached (each reported
   * on that signal's `receiverDisconnected`, reason `'disconnected'`) and from every signal created
   * later. Returns `true` if the subscription was still connected.
   */
  disconnect(): boolean
  /** The signals the subscription is connected to now, in the order it reached them. */
  signals(): Array<NamedSignal<any, any, any>>
  /**
   * The function this subscription connected to `signal` — the receiver that `signal.connections()`,
   * `receiverConnected` and send results show for it — while it is connected there; `undefined` for
   * anything else. (Typed `object`: comparing a typed signal with `Signal<any, any, any>` can take
   * TypeScript minutes.)
   */
  receiverOn(signal: object): Function | undefined
}

type Matcher = (name: string | symbol) => boolean

const PATTERN_FORMS = `"*" (every signal), "user.*" (names that begin with "user." and go on) or "user*" (names that begin with "user")`

/** Reads a pattern; throws a TypeError naming it when it is not one. */
export function compilePattern(method: string, pattern: unknown): Matcher {
  if (typeof pattern !== 'string' || pattern === '')
    throw invalidArgument(method, 'a non-empty string as pattern', pattern)
  const star = pattern.indexOf('*')
  if (star === -1) return (name) => name === pattern
  if (star !== pattern.length - 1)
    throw new TypeError(
      `${method}() supports "*" only as the last character of pattern: ${PATTERN_FORMS}; got ${JSON.stringify(pattern)}`,
    )
  if (pattern === '*') return () => true
  const prefix = pattern.slice(0, -1)
  if (prefix.endsWith('.'))
    return (name) => typeof name === 'string' && name.length > prefix.length && name.startsWith(prefix)
  return (name) => typeof name === 'string' && name.startsWith(prefix)
}

/**
 * Relays kept alive by their receiver, for subscriptions whose receiver is held weakly: the signal
 * holds the relay weakly too, so the relay must live exactly as long as the receiver (an ephemeron).
 */
const relaysOfReceiver = new WeakMap<Function, Set<Function>>()

/** The Connection of each relay a scoped subscription made, so that its scope ends it as a scope. */
const scopeOfRelay = new WeakMap<Function, Connection>()

type Relay = (sender: any, payload: any) => unknown
type AnyNamedSignal = NamedSignal<any, any, any>

/** One wildcard subscription; its namespace's {@link PatternSubscriptions} keeps the list. */
class Subscription {
  /** Holds the receiver with the user's lifetime options (see the top of this file). */
  readonly #holder = new Signal<unknown, unknown, unknown>()
  /** The relay made for each signal reached, held weakly (a weakly held receiver's relay lives as long as it). */
  readonly #reached = new Map<AnyNamedSignal, WeakRef<Relay>>()
  #options: ResolvedConnectOptions<unknown>
  /**
   * For a subscription that holds nothing weakly (no `weak`, no `owner`, no object sender): its
   * receiver and the options each relay is connected with, made once — reading them back from the
   * holder for every signal reached cost more than the connection itself. Undefined otherwise.
   */
  #plain: { readonly receiver: Function; readonly options: ConnectOptions<unknown> } | undefined
  #ended = false
  #fired = false
  /** While a scoped subscription with the same key runs, this one reaches no new signal. */
  suspended = false

  constructor(
    readonly pattern: string,
    readonly matches: Matcher,
    receiver: Function,
    options: ResolvedConnectOptions<unknown>,
    readonly scoped: boolean,
  ) {
    this.#options = withoutObjects(options)
    this.#hold(receiver, options)
    this.#plain = plainOf(receiver, options)
  }

  /** Connects (or reconnects) the receiver to the holder with the lifetime options of `options`. */
  #hold(receiver: Function, options: ResolvedConnectOptions<unknown>): void {
    this.#holder.connect(
      receiver as Relay,
      connectOptions({ ...options, once: false, priority: 0, key: undefined }),
    )
  }

  /** The receiver and the sender and owner it was connected with, while the subscription lives. */
  #live(): { receiver: Function; sender: unknown; owner: object | undefined } | undefined {
    if (this.#ended) return undefined
    const plain = this.#plain
    if (plain !== undefined) {
      if (!this.connected) return undefined
      return { receiver: plain.receiver, sender: plain.options.sender, owner: undefined }
    }
    const info = this.#holder.connections()[0]
    if (info === undefined) {
      this.#forget()
      return undefined
    }
    return { receiver: info.receiver, sender: info.sender, owner: info.options.owner }
  }

  get connected(): boolean {
    if (this.#ended) return false
    // receiverCount ends the holder's connection first if what it holds weakly was collected.
    if (this.#holder.receiverCount > 0) return true
    this.#forget()
    return false
  }

  get receiver(): Function | undefined {
    return this.#live()?.receiver
  }

  /** Its dispatch key (the `key` option of its latest connect). */
  get key(): string | symbol | undefined {
    return this.#options.key
  }

  /** Whether it lives and is for `sender` (the receiver and key are looked up by the caller's index). */
  isForSender(sender: unknown): boolean {
    const live = this.#live()
    return live !== undefined && Object.is(live.sender, sender)
  }

  /** Connects a relay to `signal`, if the subscription lives and the name matches. */
  reach(signal: AnyNamedSignal): void {
    if (this.suspended || this.#reached.has(signal) || !this.matches(signal.name)) return
    let receiver: Function
    let options: ConnectOptions<unknown>
    const plain = this.#plain
    if (plain !== undefined) {
      if (!this.connected) return
      ;({ receiver, options } = plain)
    } else {
      const live = this.#live()
      if (live === undefined) return
      receiver = live.receiver
      options = connectOptions({ ...this.#options, sender: live.sender, owner: live.owner })
    }
    const relay = makeRelay(receiver as (...args: unknown[]) => unknown, signal.name, this)
    if (this.#options.weak) keepAlive(receiver, relay)
    this.#reached.set(signal, new WeakRef(relay))
    try {
      if (this.scoped) scopeOfRelay.set(relay, signal.connectedTo(relay, options))
      else signal.connect(relay, options)
    } catch (error) {
      this.#reached.delete(signal)
      relaysOfReceiver.get(receiver)?.delete(relay)
      throw error
    }
  }

  /** Gives the subscription the options of a later connect; its relays keep their places. */
  update(receiver: Function, options: ResolvedConnectOptions<unknown>): void {
    this.#options = withoutObjects(options)
    this.#hold(receiver, options)
    this.#plain = plainOf(receiver, options)
    const live = this.#live()
    if (live === undefined) return
    const perSignal = connectOptions({ ...options, sender: live.sender, owner: live.owner })
    for (const [signal, ref] of this.#reached) {
      const relay = ref.deref()
      if (relay === undefined) continue
      if (options.weak) keepAlive(receiver, relay)
      else relaysOfReceiver.get(receiver)?.delete(relay)
      signal.connect(relay, perSignal)
    }
  }

  /** Called by a relay before the receiver: false when a `once` subscription has already fired. */
  fire(): boolean {
    if (!this.#options.once) return true
    if (this.#fired) return false
    this.#fired = true
    this.end('disconnected')
    return true
  }

  /**
   * Ends the subscription on every signal it reached (a scope's relays with reason
   * `'scope-ended'`). Every removal is made and reported even if a report throws; the first error
   * is thrown afterwards. Returns whether the subscription was still connected.
   */
  end(reason: 'disconnected' | 'scope-ended'): boolean {
    const wasConnected = this.connected
    this.#ended = true
    let failure: { error: unknown } | undefined
    for (const [signal, ref] of this.#reached) {
      const relay = ref.deref()
      if (relay === undefined) continue
      try {
        const scope = scopeOfRelay.get(relay)
        if (scope === undefined) signal.disconnect(relay)
        else if (reason === 'scope-ended') scope[disposeSymbol]()
        else scope.disconnect()
      } catch (error) {
        failure ??= { error }
      }
    }
    this.#forget()
    if (failure !== undefined) throw failure.error
    return wasConnected
  }

  /** The signals whose relay is still connected, in the order they were reached. */
  signals(): AnyNamedSignal[] {
    if (this.#live() === undefined) return []
    return [...this.#reached.keys()].filter((signal) => this.relayOn(signal) !== undefined)
  }

  /** The relay connected to `signal`, while it is connected there. */
  relayOn(signal: object): Relay | undefined {
    const reached = this.#reached.get(signal as AnyNamedSignal)
    const relay = reached?.deref()
    if (relay === undefined || this.#live() === undefined) return undefined
    const connections = (signal as AnyNamedSignal).connections()
    return connections.some((info) => info.receiver === relay) ? relay : undefined
  }

  /** Drops what the subscription holds once it has ended, whatever ended it. */
  #forget(): void {
    this.#ended = true
    this.#plain = undefined
    const receiver = this.#holder.connections()[0]?.receiver
    this.#holder.disconnectAll()
    if (receiver !== undefined) {
      const relays = relaysOfReceiver.get(receiver)
      if (relays !== undefined)
        for (const ref of this.#reached.values()) relays.delete(ref.deref() as Function)
    }
  }
}

/** The plain form of a subscription (see Subscription.#plain), if it holds nothing weakly. */
function plainOf(
  receiver: Function,
  options: ResolvedConnectOptions<unknown>,
): { readonly receiver: Function; readonly options: ConnectOptions<unknown> } | undefined {
  if (options.weak || options.owner !== undefined || isObjectLike(options.sender)) return undefined
  return { receiver, options: connectOptions(options) }
}

/** Resolved options, passed on to a signal's connect as they are (see passOn). */
function connectOptions(options: ResolvedConnectOptions<unknown>): ConnectOptions<unknown> {
  return passOn(options) as ConnectOptions<unknown>
}

/**
 * The options a subscription keeps: without its sender and owner, which the holder keeps (weakly for
 * an object), so that a subscription never keeps either alive.
 */
function withoutObjects(options: ResolvedConnectOptions<unknown>): ResolvedConnectOptions<unknown> {
  return { ...options, sender: undefined, owner: undefined }
}

function keepAlive(receiver: Function, relay: Function): void {
  let relays = relaysOfReceiver.get(receiver)
  if (relays === undefined) relaysOfReceiver.set(receiver, (relays = new Set()))
  relays.add(relay)
}

/**
 * The receiver a subscription connects to one signal: calls the user's receiver with the signal's
 * name. A native async function for an async receiver, so that sync sends refuse it before calling
 * anything, as they refuse the receiver itself. Named after the receiver, for listings and messages.
 */
function makeRelay(
  receiver: (...args: unknown[]) => unknown,
  name: string | symbol,
  subscription: Subscription,
): Relay {
  const call = (sender: unknown, payload: unknown): unknown =>
    subscription.fire() ? receiver(sender, payload, name) : undefined
  const relay: Relay = isAsyncFunction(receiver) ? async (sender, payload) => call(sender, payload) : call
  Object.defineProperty(relay, 'name', { value: receiver.name })
  return relay
}

/**
 * @internal The wildcard subscriptions of one namespace, in the order they were connected; created
 * by the namespace on the first one, so that a namespace without them pays nothing.
 */
export class PatternSubscriptions {
  #subscriptions: Subscription[] = []
  /** The subscriptions of each receiver (weak keys), to find the one a connect updates without a scan. */
  readonly #byReceiver = new WeakMap<Function, Subscription[]>()
  /** The subscriptions made with each dispatch key, to find the one a keyed connect replaces. */
  readonly #byKey = new Map<string | symbol, Subscription[]>()
  /**
   * The length of the list at which a connect prunes it of ended subscriptions: twice what it held
   * after the last prune, so that pruning costs O(1) per connect (a scan per connect made
   * subscribing K receivers O(K²)).
   */
  #pruneAt = 16

  constructor(readonly signals: Iterable<AnyNamedSignal>) {}

  /** Connects the subscriptions that match a signal just created, in the order they were made. */
  created(signal: AnyNamedSignal): void {
    // Names first, lifetimes after: whether a subscription still lives is read from its holder's
    // connections (~80 ns each, bench/patterns.ts), a name test takes a few ns, and a created signal
    // is to cost K name tests (issue 21). reach() asks the ones that match; ended ones that do not
    // are dropped by the next connect or list (#prune), as before.
    for (const subscription of [...this.#subscriptions])
      if (subscription.matches(signal.name)) subscription.reach(signal)
  }

  /** Every subscription that still lives, as handles. */
  list(): PatternConnection[] {
    this.#prune()
    return this.#subscriptions.map((subscription) => handleOf(subscription, DISCONNECTS))
  }

  /** {@link Namespace.connectMatching}. */
  connect(pattern: unknown, receiver: unknown, options: unknown): PatternConnection {
    return this.#connect('connectMatching', pattern, receiver, options, false)
  }

  /** {@link Namespace.connectedToMatching}: arguments as for `Signal.connectedTo`. */
  connectedTo(args: readonly unknown[]): unknown {
    const [pattern, receiver, optionsOrBody, maybeBody] = args
    const bodyOnly = args.length === 3 && typeof optionsOrBody === 'function'
    const bodyGiven = bodyOnly || args.length > 3
    const body = bodyOnly ? optionsOrBody : maybeBody
    if (bodyGiven) assertBody('connectedToMatching', body)
    const handle = this.#connect(
      'connectedToMatching',
      pattern,
      receiver,
      bodyOnly ? undefined : optionsOrBody,
      true,
    )
    if (!bodyGiven) return handle
    return runScoped(body as () => unknown, () => handle[disposeSymbol]())
  }

  #connect(
    method: string,
    pattern: unknown,
    receiver: unknown,
    rawOptions: unknown,
    scoped: boolean,
  ): PatternConnection {
    const matches = compilePattern(method, pattern)
    assertConnectableReceiver(method, receiver)
    const options = resolveConnectOptions<unknown>(method, rawOptions)
    if (this.#subscriptions.length >= this.#pruneAt) this.#prune()
    const same = liveIn(this.#byReceiver, receiver)?.find(
      (subscription) => subscription.pattern === pattern && subscription.isForSender(options.sender),
    )
    if (same !== undefined) {
      // Connecting again keeps one subscription, with the later options (Signal.connect's rule); a
      // scope over an existing subscription makes none and so ends none.
      if (scoped) return handleOf(same)
      same.update(receiver, options)
      if (options.key !== undefined) indexIn(this.#byKey, options.key, same)
      return handleOf(same, DISCONNECTS)
    }
    const keyed =
      options.key === undefined
        ? undefined
        : liveIn(this.#byKey, options.key)?.find(
            // The key of its latest connect: the index may still list it under an earlier one.
            (subscription) => subscription.key === options.key && subscription.isForSender(options.sender),
          )
    const subscription = new Subscription(pattern as string, matches, receiver, options, scoped)
    if (!subscription.connected) return handleOf(subscription, DISCONNECTS) // an aborted AbortSignal
    if (keyed !== undefined && scoped) keyed.suspended = true
    try {
      // Map iteration also visits a signal created meanwhile (by a receiverConnected receiver).
      for (const signal of this.signals) subscription.reach(signal)
    } catch (error) {
      // A receiverConnected receiver threw: the connections made so far are undone.
      if (keyed !== undefined) keyed.suspended = false
      subscription.end('disconnected')
      throw error
    }
    const list = this.#subscriptions
    indexIn(this.#byReceiver, receiver, subscription)
    if (options.key !== undefined) indexIn(this.#byKey, options.key, subscription)
    if (keyed === undefined || scoped) {
      list.push(subscription)
    } else {
      // In the earlier one's place; it leaves the signals where the new one did not replace it.
      list.splice(list.indexOf(keyed), 1, subscription)
      keyed.end('disconnected')
    }
    if (!scoped) return handleOf(subscription, DISCONNECTS)
    return handleOf(subscription, {
      disposeReason: 'scope-ended',
      afterEnd: () => {
        this.#remove(subscription)
        if (keyed === undefined) return
        // The scope's keyed connections gave the earlier receiver its place back on the signals it
        // had; it reaches the signals created during the scope now.
        keyed.suspended = false
        for (const signal of this.signals) keyed.reach(signal)
      },
    })
  }

  #remove(subscription: Subscription): void {
    const index = this.#subscriptions.indexOf(subscription)
    if (index !== -1) this.#subscriptions.splice(index, 1)
  }

  /** Forgets subscriptions that have ended (disconnected, collected, aborted, owner disposed). */
  #prune(): void {
    this.#subscriptions = this.#subscriptions.filter((subscription) => subscription.connected)
    this.#pruneAt = Math.max(16, 2 * this.#subscriptions.length)
    for (const key of [...this.#byKey.keys()]) liveIn(this.#byKey, key)
  }
}

/** A Map or a WeakMap of subscriptions. */
interface SubscriptionIndex<K> {
  get(key: K): Subscription[] | undefined
  set(key: K, subscriptions: Subscription[]): unknown
  delete(key: K): boolean
}

/** Adds `subscription` to the index entry of `key`. */
function indexIn<K>(index: SubscriptionIndex<K>, key: K, subscription: Subscription): void {
  const subscriptions = index.get(key)
  if (subscriptions === undefined) index.set(key, [subscription])
  else subscriptions.push(subscription)
}

/** The live subscriptions of the index entry of `key`, the ended ones dropped from it (and an emptied entry). */
function liveIn<K>(index: SubscriptionIndex<K>, key: K): Subscription[] | undefined {
  const subscriptions = index.get(key)?.filter((subscription) => subscription.connected)
  if (subscriptions === undefined) return undefined
  if (subscriptions.length === 0) index.delete(key)
  else index.set(key, subscriptions)
  return subscriptions
}

/** How a handle of connectMatching ends its subscription. */
const DISCONNECTS = { disposeReason: 'disconnected' } as const

/**
 * The handle of a subscription. `ending` says how it ends it: with what reason when disposed, and
 * what to do after; without it the handle is a scope's over a subscription that already existed,
 * which made none and so ends none.
 */
function handleOf(
  subscription: Subscription,
  ending?: { readonly disposeReason: 'disconnected' | 'scope-ended'; readonly afterEnd?: () => void },
): PatternConnection {
  let ended = false
  const end = (reason: 'disconnected' | 'scope-ended'): boolean => {
    if (ending === undefined) return false
    try {
      return subscription.end(reason)
    } finally {
      if (!ended) {
        ended = true
        ending.afterEnd?.()
      }
    }
  }
  return {
    pattern: subscription.pattern,
    get receiver() {
      return subscription.receiver
    },
    get connected() {
      return subscription.connected
    },
    disconnect: () => end('disconnected'),
    signals: () => subscription.signals(),
    receiverOn: (signal) => subscription.relayOn(signal),
    [disposeSymbol]: () => {
      if (ending !== undefined) end(ending.disposeReason)
    },
  }
}
