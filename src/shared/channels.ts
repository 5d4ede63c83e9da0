// The diagnostics channels signalry publishes on, looked up on first use (importing signalry does no
// work for them), and the receiver-error channel, which the engine publishes on too (hence a leaf).
//
// The core stays dependency-free and browser-safe: `node:diagnostics_channel` is never imported
// statically. On Node it is obtained through `process.getBuiltinModule` (Node >= 20.16 / 22.3); on
// older Node through a dynamic import whose specifier bundlers are told to leave alone (the channels
// are then ready a moment after the first send). Everywhere else (browsers, workers without
// `process`) there are none and a send pays one `undefined` check.

import { processState } from './processState'

/** @internal What signalry needs of a diagnostics_channel `Channel`. */
export interface DiagnosticsChannel {
  readonly hasSubscribers: boolean
  publish(message: unknown): void
  /** Node >= 18.19 / 19.9: publishes `message` inside the stores bound to the channel, then runs `run`. */
  runStores<T>(message: unknown, run: () => T): T
}

/** @internal The five channels of a `TracingChannel` (Node >= 18.19 / 19.9). */
export interface TracingChannels {
  readonly start: DiagnosticsChannel
  readonly end: DiagnosticsChannel
  readonly asyncStart: DiagnosticsChannel
  readonly asyncEnd: DiagnosticsChannel
  readonly error: DiagnosticsChannel
}

/** @internal Every channel signalry publishes on. */
export interface Channels {
  /** `signalry:send`: one message per send of a named signal, before its receivers run. */
  readonly send: DiagnosticsChannel
  /** `tracingChannel('signalry:send')`; undefined on Node before 18.19 / 19.9. */
  readonly tracing: TracingChannels | undefined
  /** `signalry:receiver-error`: receiver errors that signalry catches and nobody else is given. */
  readonly receiverError: DiagnosticsChannel
}

interface DiagnosticsChannelModule {
  channel(name: string): DiagnosticsChannel
  tracingChannel?(name: string): TracingChannels
}

/** The name of the plain channel, and of the tracing channel (whose channels are `tracing:signalry:send:start`…). */
const SEND_CHANNEL_NAME = 'signalry:send'
const RECEIVER_ERROR_CHANNEL_NAME = 'signalry:receiver-error'

/** null: not looked up yet (or the dynamic import is under way); undefined: this runtime has none. */
let found: Channels | undefined | null = null
let importing = false

/** Stands in for the tracing channels on Node without them: never subscribed. */
const NEVER_SUBSCRIBED: DiagnosticsChannel = {
  hasSubscribers: false,
  publish() {},
  runStores: (_, run) => run(),
}

// The channels isSendObserved reads, each in a variable of its own: a send with nobody subscribed
// then costs a few inlined getter calls and no property loads (measured in bench/sideBySide.ts).
let sendChannel: DiagnosticsChannel | undefined
let startChannel = NEVER_SUBSCRIBED
let endChannel = NEVER_SUBSCRIBED
let asyncStartChannel = NEVER_SUBSCRIBED
let asyncEndChannel = NEVER_SUBSCRIBED
let errorChannel = NEVER_SUBSCRIBED

/**
 * Where the first copy of signalry in a process keeps its channel objects, for every later copy: on
 * the `node:diagnostics_channel` module object, which all copies and realms share.
 *
 * Why: Node keeps channels by name in a map of weak references, and until nodejs/node#59910 (not in
 * Node 20) a channel that dies removes the map's entry for its name when its finalizer runs, later,
 * even if a new channel of that name has been made meanwhile. Test runners evaluate a package once per
 * test file (jest, vitest): a later copy then made a channel that `subscribe(name)` no longer finds,
 * and its sends looked unobserved (seen as a flaky test). Channels kept alive for the process never
 * die, so every copy and every subscriber meet the same ones.
 */
const KEPT_CHANNELS = Symbol.for('signalry.diagnosticsChannels@1')

/** The channels every copy shares, with what the copies need to know about them. */
interface KeptChannels extends Channels {
  /**
   * False only while, for sure, none of the channels a send checks has a subscriber or a bound store:
   * a send with nobody subscribed then reads this one property instead of six getters (about 2 ns of
   * a 4 ns emit, measured in bench/sideBySide.ts). Node announces no subscriptions, so the copy that
   * makes these channels gives each of them own `subscribe`, `unsubscribe`, `bindStore` and
   * `unbindStore` methods that call Node's and then look again. True for good where a channel cannot
   * take them: every send then asks the getters.
   */
  maybeObserved: boolean
}

/** What isSendObserved reads first: the kept channels once looked up; before that, "ask". */
let quiet: { readonly maybeObserved: boolean } = { maybeObserved: true }

/** The methods by which a channel gains or loses subscribers. `diagnostics_channel.subscribe(name)`
 * and a TracingChannel's `subscribe` call them on the channel, and Node's own `subscribe` of an
 * inactive channel calls `this.subscribe` again once it has made the channel active. */
const SUBSCRIPTION_METHODS = ['subscribe', 'unsubscribe', 'bindStore', 'unbindStore'] as const

function watchedChannels(kept: KeptChannels): DiagnosticsChannel[] {
  const { tracing } = kept
  return tracing === undefined
    ? [kept.send]
    : [kept.send, tracing.start, tracing.end, tracing.asyncStart, tracing.asyncEnd, tracing.error]
}

function lookAgain(kept: KeptChannels, watching: boolean): void {
  kept.maybeObserved = !watching || watchedChannels(kept).some((channel) => channel.hasSubscribers)
}

/** Makes `kept.maybeObserved` follow every subscription of the channels a send checks. */
function watch(kept: KeptChannels): void {
  try {
    for (const channel of watchedChannels(kept)) {
      for (const method of SUBSCRIPTION_METHODS) {
        Object.defineProperty(channel, method, {
          configurable: true,
          writable: true,
          // Node's method of the channel's current prototype: Node swaps the prototype when a channel
          // becomes active or inactive.
          value: function (this: object, ...args: unknown[]): unknown {
            try {
              const own = (Object.getPrototypeOf(this) as Record<string, (...args: unknown[]) => unknown>)[
                method
              ]
              return own?.apply(this, args)
            } finally {
              lookAgain(kept, true)
            }
          },
        })
      }
    }
    lookAgain(kept, true)
  } catch {
    // A channel that cannot take own methods (frozen by someone): every send asks the getters.
    lookAgain(kept, false)
  }
}

function channelsOf(module: DiagnosticsChannelModule): Channels {
  const holder = module as DiagnosticsChannelModule & { [KEPT_CHANNELS]?: KeptChannels }
  let channels = holder[KEPT_CHANNELS]
  if (channels === undefined) {
    channels = {
      send: module.channel(SEND_CHANNEL_NAME),
      tracing:
        typeof module.tracingChannel === 'function' ? module.tracingChannel(SEND_CHANNEL_NAME) : undefined,
      receiverError: module.channel(RECEIVER_ERROR_CHANNEL_NAME),
      maybeObserved: true,
    }
    try {
      Object.defineProperty(module, KEPT_CHANNELS, { value: channels })
      watch(channels)
    } catch {
      // A frozen module object (a hardened runtime): this copy keeps its own, and asks the getters.
    }
  }
  const { tracing } = channels
  if (tracing !== undefined) {
    ;({
      start: startChannel,
      end: endChannel,
      asyncStart: asyncStartChannel,
      asyncEnd: asyncEndChannel,
      error: errorChannel,
    } = tracing)
  }
  sendChannel = channels.send
  quiet = channels
  return channels
}

function lookUp(): Channels | undefined {
  if (importing) return undefined
  found = undefined
  const candidate = (globalThis as { process?: unknown }).process
  if (typeof candidate !== 'object' || candidate === null) return undefined
  const nodeProcess = candidate as {
    readonly versions?: { readonly node?: string }
    getBuiltinModule?(id: string): unknown
  }
  try {
    if (typeof nodeProcess.getBuiltinModule === 'function') {
      const module = nodeProcess.getBuiltinModule('node:diagnostics_channel') as
        | DiagnosticsChannelModule
        | undefined
      if (module !== undefined) found = channelsOf(module)
      return found
    }
    if (typeof nodeProcess.versions?.node !== 'string') return undefined
    // Node before 20.16 / 22.3: no synchronous way to reach a built-in from an ES module without a
    // static import (which would break browser bundles). A specifier in a variable keeps bundlers
    // from resolving it; the comments keep webpack and Vite from warning about it.
    const specifier = 'node:diagnostics_channel'
    importing = true
    found = null
    import(/* webpackIgnore: true */ /* @vite-ignore */ specifier).then(
      (module: DiagnosticsChannelModule) => {
        importing = false
        found = channelsOf(module)
      },
      () => {
        importing = false
        found = undefined
      },
    )
  } catch {
    // A runtime that pretends to be Node but lacks the module: no diagnostics, sends still work.
    found = undefined
  }
  return undefined
}

/** @internal The channels, looked up on the first call; undefined where there are none (browsers). */
export function diagnosticChannels(): Channels | undefined {
  return found === null ? lookUp() : found
}

/**
 * @internal Whether a send has anything to publish: someone subscribes to `signalry:send` or to any
 * channel of the tracing channel, and the send is not made by a subscriber while it is being given a
 * message (publishing that send would recurse until the stack overflows). With nobody subscribed this
 * is six inlined getter calls on module-level variables: the fast sends' only cost of diagnostics.
 */
export function isSendObserved(): boolean {
  return quiet.maybeObserved && isSendObservedNow()
}

/** isSendObserved once someone may be subscribed, or before the channels are looked up. */
function isSendObservedNow(): boolean {
  if (found === null) lookUp()
  if (sendChannel === undefined) {
    // No channels in this runtime, for good (browsers): sends need not ask again.
    if (found === undefined) quiet = { maybeObserved: false }
    return false
  }
  const observed =
    sendChannel.hasSubscribers ||
    startChannel.hasSubscribers ||
    endChannel.hasSubscribers ||
    asyncEndChannel.hasSubscribers ||
    errorChannel.hasSubscribers ||
    asyncStartChannel.hasSubscribers
  return observed && processState.publishingSend !== true
}

/**
 * Publishes `message` on `channel` with the recursion guard up: sends made by the subscriber are
 * not published. Node catches a subscriber's error and reports it as uncaught on the next tick.
 */
export function publishGuarded(channel: DiagnosticsChannel, message: unknown): void {
  if (!channel.hasSubscribers) return
  const before = processState.publishingSend === true
  processState.publishingSend = true
  try {
    channel.publish(message)
  } finally {
    processState.publishingSend = before
  }
}

/** When signalry caught a receiver error it does not throw to anyone: see `ReceiverErrorDiagnostic`. */
export type ReceiverErrorSource = 'sendRobust' | 'sendAsyncRobust' | 'disconnect' | 'finalizer' | 'bridge'

/** @internal What is published on `signalry:receiver-error`; its public description is `ReceiverErrorDiagnostic`. */
export interface ReceiverErrorMessage {
  readonly signal: object | undefined
  readonly name: string | symbol | undefined
  readonly sender: unknown
  readonly receiver: ((...args: never[]) => unknown) | undefined
  readonly error: unknown
  readonly source: ReceiverErrorSource
}

/** @internal Publishes a receiver error that signalry caught, while `signalry:receiver-error` has subscribers. */
export function publishReceiverError(message: ReceiverErrorMessage): void {
  const channels = found === null ? lookUp() : found
  if (channels === undefined || !channels.receiverError.hasSubscribers) return
  publishGuarded(channels.receiverError, message)
}
