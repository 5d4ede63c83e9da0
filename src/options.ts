import { ANY } from './shared/any'
import { isAbortSignal, isObjectLike } from './shared/guards'
import { assertOptionsObject, invalidArgument } from './shared/validate'

/**
 * Options of {@link Signal.connect}, {@link Signal.connectedTo} and {@link Signal.connectVia}.
 *
 * @remarks
 * Unknown keys throw a TypeError, as do a non-finite `priority`, a non-boolean `once` and a
 * `signal` that is not an AbortSignal. Options are read when connecting; changing the object
 * afterwards changes nothing.
 *
 * @typeParam S - The sender type of the signal.
 *
 * @example
 * ```ts
 * import { type ConnectOptions, Signal } from 'signalry'
 *
 * const saved = new Signal<void, string>()
 * const onlyOnceForOrders: ConnectOptions<string> = { sender: 'orders', once: true, priority: 10 }
 * saved.connect(() => console.log('first order saved'), onlyOnceForOrders)
 * saved.send('orders') // Prints: first order saved
 * saved.send('orders') // (nothing: once)
 * ```
 */
export interface ConnectOptions<S = unknown> {
  /**
   * Call the receiver only for sends whose sender is this value (`Object.is`; primitives match by
   * value). Default: {@link ANY}, every sender. Present but `undefined` means the sender `undefined`,
   * which is what `send()` without arguments uses, as blinker's `sender=None` does.
   */
  sender?: S | typeof ANY
  /** Disconnect the receiver just before its first call, so it runs at most once. Default `false`. */
  once?: boolean
  /** Receivers with a higher priority run first; equal priorities run in connection order. Default `0`. */
  priority?: number
  /** Aborting this signal disconnects the receiver; an already aborted one connects nothing. */
  signal?: AbortSignal
  /**
   * Hold the receiver through a `WeakRef`: once it is garbage-collected the connection is gone.
   * For receivers the caller keeps alive elsewhere; an inline arrow would silently stop working
   * at the next collection. Default `false`: connections hold receivers strongly.
   */
  weak?: boolean
  /**
   * The connection lives exactly as long as this object: it ends when the owner is
   * garbage-collected or passed to {@link disconnectOwner}. The receiver may close over the owner
   * without keeping it alive (it is held in a WeakMap keyed by the owner).
   */
  owner?: object
  /**
   * A dispatch key (Django's `dispatch_uid`): the signal keeps one connection per key and sender.
   * Connecting again with the same key and sender **replaces** the receiver in place (the new
   * function keeps the old one's place in the call order), so module code that runs again (hot
   * reload, `vi.resetModules`, `jest.isolateModules`, `--watch`) swaps its receiver instead of
   * adding another. The replaced connection ends (reported with reason `'replaced'`) and the new
   * one takes its place; a send already running calls neither, as for any connection made or
   * ended during a send. {@link Signal.disconnect} with `{ key }` removes it without the function.
   */
  key?: string | symbol
}

/**
 * Options of {@link Signal.disconnect}.
 *
 * @example
 * ```ts
 * import { type DisconnectOptions, Signal } from 'signalry'
 *
 * const saved = new Signal<void, string>()
 * const log = () => console.log('saved')
 * saved.connect(log, { sender: 'a' })
 * saved.connect(log, { sender: 'b' })
 * const onlyA: DisconnectOptions<string> = { sender: 'a' }
 * saved.disconnect(log, onlyA)
 * saved.send('b') // Prints: saved
 * ```
 */
export interface DisconnectOptions<S = unknown> {
  /** Remove only the connection for this sender ({@link ANY} included). Absent: every connection of the receiver. */
  sender?: S | typeof ANY
}

/**
 * The options a connection was made with, every default filled in: the `options` of a
 * {@link ConnectInfo}.
 *
 * @example
 * ```ts
 * import { Signal } from 'signalry'
 *
 * const saved = new Signal()
 * saved.receiverConnected.connect((_, { options }) => console.log(options.priority, options.once))
 * saved.connect(() => {}) // Prints: 0 false
 * ```
 */
export interface ResolvedConnectOptions<S = unknown> {
  /** The sender the connection is for; {@link ANY} when none was given. */
  readonly sender: S | typeof ANY
  /** Whether the connection ends before its first call. */
  readonly once: boolean
  /** Its priority; `0` when none was given. */
  readonly priority: number
  /** The AbortSignal that ends it, if any. */
  readonly signal: AbortSignal | undefined
  /** Whether the receiver is held weakly. */
  readonly weak: boolean
  /** The object the connection lives as long as, if any. */
  readonly owner: object | undefined
  /** Its dispatch key, if any. */
  readonly key: string | symbol | undefined
}

const CONNECT_OPTION_KEYS: ReadonlySet<string> = new Set([
  'sender',
  'once',
  'priority',
  'signal',
  'weak',
  'owner',
  'key',
])
const DISCONNECT_OPTION_KEYS: ReadonlySet<string> = new Set(['sender'])
const KEYED_DISCONNECT_KEYS: ReadonlySet<string> = new Set(['key', 'sender'])

/** The options of a connect without options: one frozen object, so that such a connect allocates none. */
const DEFAULT_CONNECT_OPTIONS: ResolvedConnectOptions<never> = /*#__PURE__*/ Object.freeze({
  sender: ANY,
  once: false,
  priority: 0,
  signal: undefined,
  weak: false,
  owner: undefined,
  key: undefined,
})
/** Resolved options passed on to `connect` (see passOn). */
const resolvedOptions = /*#__PURE__*/ new WeakSet<object>([DEFAULT_CONNECT_OPTIONS])
const NO_DISCONNECT_SENDER = /*#__PURE__*/ Object.freeze({ hasSender: false, sender: undefined })

/**
 * Validates connect options and fills in the defaults; throws a TypeError naming the bad option.
 * Called once per connect: the resolved result is what is passed on.
 */
export function resolveConnectOptions<S>(method: string, options: unknown): ResolvedConnectOptions<S> {
  if (options === undefined) return DEFAULT_CONNECT_OPTIONS
  // Options resolved before and passed on (see passOn): valid as they are.
  if (resolvedOptions.has(options as object)) return options as ResolvedConnectOptions<S>
  assertOptionsObject(method, options, CONNECT_OPTION_KEYS)
  const { once = false, priority = 0, signal, weak = false, owner, key } = options
  if (typeof once !== 'boolean') throw invalidArgument(method, 'a boolean as option "once"', once)
  if (typeof priority !== 'number' || !Number.isFinite(priority)) {
    throw invalidArgument(method, 'a finite number as option "priority"', priority)
  }
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw invalidArgument(method, 'an AbortSignal as option "signal"', signal)
  }
  if (typeof weak !== 'boolean') throw invalidArgument(method, 'a boolean as option "weak"', weak)
  if (owner !== undefined && !isObjectLike(owner))
    throw invalidArgument(method, 'an object or function as option "owner"', owner)
  if (key !== undefined && !isDispatchKey(key))
    throw invalidArgument(method, 'a non-empty string or a symbol as option "key"', key)
  return {
    sender: ('sender' in options ? options['sender'] : ANY) as S | typeof ANY,
    once,
    // -0 orders as 0; reported as 0, so that a connection's options read the same however it was
    // made (a reconnect with priority 0 keeps an equal priority as it is).
    priority: priority + 0,
    signal,
    weak,
    owner,
    key: key as string | symbol | undefined,
  }
}

function isDispatchKey(key: unknown): key is string | symbol {
  return (typeof key === 'string' && key !== '') || typeof key === 'symbol'
}

/**
 * Marks resolved options that are passed on to `connect` (by connectVia, receiver() and events()),
 * so that they are not validated again there; frozen, so they stay valid.
 */
export function passOn<S>(options: ResolvedConnectOptions<S>): ResolvedConnectOptions<S> {
  const frozen = Object.isFrozen(options) ? options : Object.freeze({ ...options })
  resolvedOptions.add(frozen)
  return frozen
}

/**
 * What {@link Signal.disconnect} takes to remove a connection by its dispatch key, without the
 * receiver function: `{ key }` for every sender, `{ key, sender }` for one.
 *
 * @example
 * ```ts
 * import { type KeyedDisconnect, Signal } from 'signalry'
 *
 * const saved = new Signal()
 * saved.connect(() => console.log('audit v1'), { key: 'audit' })
 * const audit: KeyedDisconnect = { key: 'audit' }
 * console.log(saved.disconnect(audit), saved.receiverCount) // Prints: true 0
 * ```
 */
export interface KeyedDisconnect<S = unknown> {
  /** The dispatch key the connection was made with. */
  key: string | symbol
  /** Only the connection for this sender ({@link ANY} included). Absent: the key's connections for every sender. */
  sender?: S | typeof ANY
}

/** Validates a keyed disconnect; returns the key and whether a sender was given, and which. */
export function resolveKeyedDisconnect(selector: object): {
  readonly key: string | symbol
  readonly hasSender: boolean
  readonly sender: unknown
} {
  assertOptionsObject('disconnect', selector, KEYED_DISCONNECT_KEYS)
  const key = selector['key']
  if (!isDispatchKey(key)) throw invalidArgument('disconnect', 'a non-empty string or a symbol as "key"', key)
  return 'sender' in selector
    ? { key, hasSender: true, sender: selector['sender'] }
    : { key, hasSender: false, sender: undefined }
}

/** Validates disconnect options; returns whether a sender was given, and which. */
export function resolveDisconnectOptions(
  options: unknown,
  method = 'disconnect',
): { readonly hasSender: boolean; readonly sender: unknown } {
  if (options === undefined) return NO_DISCONNECT_SENDER
  assertOptionsObject(method, options, DISCONNECT_OPTION_KEYS)
  return 'sender' in options
    ? { hasSender: true, sender: options['sender'] }
    : { hasSender: false, sender: undefined }
}
