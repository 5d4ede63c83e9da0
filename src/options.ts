import { ANY } from './any'
import { invalidArgument } from './errors'
import { isOwner } from './lifetimes'

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
  readonly sender: S | typeof ANY
  readonly once: boolean
  readonly priority: number
  readonly signal: AbortSignal | undefined
  readonly weak: boolean
  readonly owner: object | undefined
}

const CONNECT_OPTION_KEYS: ReadonlySet<string> = new Set(['sender', 'once', 'priority', 'signal', 'weak', 'owner'])
const DISCONNECT_OPTION_KEYS: ReadonlySet<string> = new Set(['sender'])

/** Throws a TypeError unless `receiver` is a function. */
export function assertReceiver(method: string, receiver: unknown): asserts receiver is (...args: never[]) => unknown {
  if (typeof receiver !== 'function') throw invalidArgument(method, 'a function as receiver', receiver)
}

export function assertOptionsObject(method: string, options: unknown, known: ReadonlySet<string>): asserts options is Record<string, unknown> {
  const keys = typeof options === 'object' && options !== null ? ownKeysOfOptions(method, options) : undefined
  if (keys === undefined) throw invalidArgument(method, 'an options object', options)
  for (const key of keys) {
    if (!known.has(key)) {
      throw new TypeError(
        `${method}() got an unknown option ${JSON.stringify(key)}; the options are ${[...known].map((k) => `"${k}"`).join(', ')}`,
      )
    }
  }
}

/**
 * The own keys of an options object, or undefined for an array; throws a TypeError naming the
 * options if they cannot be read (a revoked proxy).
 */
function ownKeysOfOptions(method: string, options: object): string[] | undefined {
  try {
    return Array.isArray(options) ? undefined : Object.keys(options)
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new TypeError(`${method}() expects an options object, got one that cannot be read (a revoked proxy?): ${detail}`, {
      cause: error,
    })
  }
}

/** Validates connect options and fills in the defaults. Throws a TypeError naming the bad option. */
/** The options of a connect without options: one frozen object, so that such a connect allocates none. */
const DEFAULT_CONNECT_OPTIONS: ResolvedConnectOptions<never> = Object.freeze({
  sender: ANY,
  once: false,
  priority: 0,
  signal: undefined,
  weak: false,
  owner: undefined,
})
const NO_DISCONNECT_SENDER = Object.freeze({ hasSender: false, sender: undefined })

export function resolveConnectOptions<S>(method: string, options: unknown): ResolvedConnectOptions<S> {
  if (options === undefined) return DEFAULT_CONNECT_OPTIONS
  assertOptionsObject(method, options, CONNECT_OPTION_KEYS)
  const { once = false, priority = 0, signal, weak = false, owner } = options
  if (typeof once !== 'boolean') throw invalidArgument(method, 'a boolean as option "once"', once)
  if (typeof priority !== 'number' || !Number.isFinite(priority)) {
    throw invalidArgument(method, 'a finite number as option "priority"', priority)
  }
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw invalidArgument(method, 'an AbortSignal as option "signal"', signal)
  }
  if (typeof weak !== 'boolean') throw invalidArgument(method, 'a boolean as option "weak"', weak)
  if (owner !== undefined && !isOwner(owner)) throw invalidArgument(method, 'an object or function as option "owner"', owner)
  return {
    sender: ('sender' in options ? options['sender'] : ANY) as S | typeof ANY,
    once,
    priority,
    signal,
    weak,
    owner,
  }
}

/** Validates disconnect options; returns whether a sender was given, and which. */
export function resolveDisconnectOptions(options: unknown): { readonly hasSender: boolean; readonly sender: unknown } {
  if (options === undefined) return NO_DISCONNECT_SENDER
  assertOptionsObject('disconnect', options, DISCONNECT_OPTION_KEYS)
  return 'sender' in options ? { hasSender: true, sender: options['sender'] } : { hasSender: false, sender: undefined }
}

/** Throws a TypeError unless `body` is a function (the scope of `muted()` / `connectedTo()`). */
export function assertBody(method: string, body: unknown): asserts body is () => unknown {
  if (typeof body !== 'function') throw invalidArgument(method, 'a function as body', body)
}

// Duck-typed so that AbortSignals of another realm (a VM context, jsdom) are accepted too.
function isAbortSignal(value: unknown): value is AbortSignal {
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as Partial<AbortSignal>
  try {
    return (
      typeof candidate.aborted === 'boolean' &&
      typeof candidate.addEventListener === 'function' &&
      typeof candidate.removeEventListener === 'function'
    )
  } catch {
    return false // a revoked proxy or a throwing getter: not an AbortSignal
  }
}
