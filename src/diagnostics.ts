// Built-in diagnostics: every send of a named signal published on Node's `diagnostics_channel`
// (only while someone subscribes), the receiver-leak warning, and the counts behind
// `Namespace.inspect()`.
//
// The core stays dependency-free and browser-safe: `node:diagnostics_channel` is never imported
// statically. On Node it is obtained once, at module load, through `process.getBuiltinModule`
// (Node >= 20.16 / 22.3); on older Node through a dynamic import whose specifier bundlers are told
// to leave alone (the channel is then ready a moment after the module loads). Everywhere else
// (browsers, workers without `process`) there is no channel and a send pays one `undefined` check.

import { ANY } from './shared/any'
import { describeSignal, describeValue, functionLabel } from './shared/describe'
import { AsyncReceiverError } from './shared/errors'
import { isObjectLike } from './shared/guards'
import { processState } from './shared/processState'
import { assertNumberSetting } from './shared/validate'

/** The name of the `node:diagnostics_channel` channel that sends are published on. */
const SEND_CHANNEL_NAME = 'signalry:send'

/** @internal What signalry needs of a diagnostics_channel `Channel`. */
interface DiagnosticsChannel {
  readonly hasSubscribers: boolean
  publish(message: unknown): void
}

interface DiagnosticsChannelModule {
  channel(name: string): DiagnosticsChannel
}

interface NodeLikeProcess {
  readonly versions?: { readonly node?: string }
  getBuiltinModule?(id: string): unknown
  emitWarning?(warning: Error | string, type?: string): void
}

function currentProcess(): NodeLikeProcess | undefined {
  const candidate = (globalThis as { process?: unknown }).process
  return typeof candidate === 'object' && candidate !== null ? (candidate as NodeLikeProcess) : undefined
}

/**
 * @internal The channel sends are published on; `undefined` where there is none (browsers). A send
 * checks `sendChannel !== undefined && sendChannel.hasSubscribers` and does nothing more unless
 * someone subscribed.
 */
export let sendChannel: DiagnosticsChannel | undefined

function findSendChannel(): void {
  const nodeProcess = currentProcess()
  if (nodeProcess === undefined) return
  try {
    if (typeof nodeProcess.getBuiltinModule === 'function') {
      const module = nodeProcess.getBuiltinModule('node:diagnostics_channel') as
        | DiagnosticsChannelModule
        | undefined
      if (module !== undefined) sendChannel = module.channel(SEND_CHANNEL_NAME)
      return
    }
    if (typeof nodeProcess.versions?.node !== 'string') return
    // Node before 20.16 / 22.3: no synchronous way to reach a built-in from an ES module without a
    // static import (which would break browser bundles). A specifier in a variable keeps bundlers
    // from resolving it; the comments keep webpack and Vite from warning about it.
    const specifier = 'node:diagnostics_channel'
    import(/* webpackIgnore: true */ /* @vite-ignore */ specifier).then(
      (module: DiagnosticsChannelModule) => {
        sendChannel ??= module.channel(SEND_CHANNEL_NAME)
      },
      () => {},
    )
  } catch {
    // A runtime that pretends to be Node but lacks the module: no diagnostics, sends still work.
  }
}

findSendChannel()

/**
 * @internal What a send publishes on `signalry:send`, as the signal describes it; its public
 * description is `SendDiagnostic` (src/namedSignal.ts).
 */
export interface SendMessage {
  readonly signal: object
  readonly name: string | symbol
  readonly sender: unknown
  readonly receiverCount: number
}

/**
 * @internal Publishes one send, as the signal describes it; called by a send only while the channel
 * has subscribers. Sends made by a subscriber (a metrics sink that sends a signal) are not published
 * again: publishing them would recurse until the stack overflows.
 */
export function publishSend(message: SendMessage): void {
  if (processState.publishingSend === true) return
  processState.publishingSend = true
  try {
    sendChannel?.publish(message)
  } finally {
    processState.publishingSend = false
  }
}

// ---------------------------------------------------------------------------------------------
// The receiver-leak warning

/** The default of `Signal.defaultMaxReceivers`. */
const DEFAULT_MAX_RECEIVERS = 100

/** @internal Per-signal limits set through `sig.maxReceivers`. */
const ownLimits = new WeakMap<object, number>()

/** @internal Senders each signal has already warned about: once per signal and sender. */
const warned = new WeakMap<object, { readonly primitives: Set<unknown>; readonly objects: WeakSet<object> }>()

/** @internal Checks a limit value for the setters: a non-negative integer or Infinity. */
function assertReceiverLimit(what: string, limit: unknown): asserts limit is number {
  assertNumberSetting(
    what,
    'a non-negative integer or Infinity (0 turns the warning off)',
    limit,
    (n) => n === Number.POSITIVE_INFINITY || (Number.isSafeInteger(n) && n >= 0),
  )
}

/** @internal The process-wide default limit. */
export function defaultMaxReceivers(): number {
  return processState.defaultMaxReceivers ?? DEFAULT_MAX_RECEIVERS
}

/** @internal Sets the process-wide default limit. */
export function setDefaultMaxReceivers(limit: unknown): void {
  assertReceiverLimit('Signal.defaultMaxReceivers', limit)
  processState.defaultMaxReceivers = limit
}

/** @internal The limit that applies to `signal`. */
export function maxReceiversOf(signal: object): number {
  return ownLimits.get(signal) ?? defaultMaxReceivers()
}

/** @internal Sets or (with undefined) clears the limit of one signal. */
export function setMaxReceiversOf(signal: object, limit: unknown): void {
  if (limit === undefined) {
    ownLimits.delete(signal)
    return
  }
  assertReceiverLimit('maxReceivers', limit)
  ownLimits.set(signal, limit)
}

/**
 * @internal Called after a new connection was made for `sender`, with the number of connections
 * the signal now has for that sender. Warns once per signal and sender when it passes the limit.
 */
export function checkReceiverCount(signal: object, sender: unknown, count: number): void {
  const limit = maxReceiversOf(signal)
  if (limit === 0 || count <= limit) return
  let seen = warned.get(signal)
  if (seen === undefined) warned.set(signal, (seen = { primitives: new Set(), objects: new WeakSet() }))
  if (isObjectLike(sender)) {
    if (seen.objects.has(sender)) return
    seen.objects.add(sender)
  } else {
    if (seen.primitives.has(sender)) return
    seen.primitives.add(sender)
  }
  emitLeakWarning(signal, sender, count, limit)
}

/** The warning emitted when a signal passes its receiver limit for one sender. */
interface MaxReceiversExceededWarning extends Error {
  readonly signal: object
  readonly sender: unknown
  readonly count: number
  readonly limit: number
}

function emitLeakWarning(signal: object, sender: unknown, count: number, limit: number): void {
  const senderText = sender === ANY ? 'ANY' : describeValue(sender)
  const warning = new Error(
    `Possible receiver leak: ${describeSignal(signal)} has ${count} receivers connected for sender ${senderText} ` +
      `(limit ${limit}). Disconnect receivers that are no longer needed (disconnect(), connectedTo(), once, ` +
      `an AbortSignal), or raise the limit with sig.maxReceivers = n or Signal.defaultMaxReceivers = n ` +
      `(0 turns the warning off).`,
  ) as Error & { -readonly [K in keyof MaxReceiversExceededWarning]: MaxReceiversExceededWarning[K] }
  warning.name = 'MaxReceiversExceededWarning'
  warning.signal = signal
  warning.sender = sender
  warning.count = count
  warning.limit = limit
  emitWarningObject(warning)
}

/** Receivers warned about returning a promise to a synchronous send: each is warned about once. */
const warnedThenableReceivers = new WeakSet<object>()

/** The warning emitted the first time a receiver returns a promise to a synchronous send. */
interface AsyncReceiverWarning extends Error {
  readonly signal: object
  readonly receiver: (...args: never[]) => unknown
}

/**
 * @internal What a synchronous send (send, emit, sendRobust) does with a receiver's result that is
 * a thenable, so that it never vanishes: warns once per receiver. emit() drops results, so there it
 * also reports a rejection, as an unhandled rejection of an AsyncReceiverError with the original
 * error as its cause; send() and sendRobust() hand the promise to their caller in their results,
 * who may await it (a handler here would report a rejection the caller handles). Called only for
 * results that are objects or functions, so a send whose receivers return primitives pays one
 * `typeof` per call.
 */
export function reportThenable(
  signal: object,
  method: string,
  receiver: (...args: never[]) => unknown,
  result: unknown,
): void {
  let then: unknown
  try {
    then = (result as { then?: unknown }).then
  } catch {
    return // a hostile result (a revoked proxy): not a thenable the send could report
  }
  if (typeof then !== 'function') return
  if (!warnedThenableReceivers.has(receiver)) {
    warnedThenableReceivers.add(receiver)
    const useInstead = method === 'sendRobust' ? 'sendAsyncRobust' : 'sendAsync'
    const warning = new Error(
      `Receiver ${functionLabel(receiver)} of ${describeSignal(signal)} returned a promise to ${method}(), ` +
        `which calls receivers synchronously and does not await it. Send with ${useInstead}() to await it, or make ` +
        `the receiver synchronous.` +
        (method === 'emit'
          ? ' A rejection of its promise is reported as an AsyncReceiverError.'
          : ` ${method}() returns the promise in its results.`),
    ) as Error & { -readonly [K in keyof AsyncReceiverWarning]: AsyncReceiverWarning[K] }
    warning.name = 'AsyncReceiverWarning'
    warning.signal = signal
    warning.receiver = receiver
    emitWarningObject(warning)
  }
  if (method !== 'emit') return
  const description = describeSignal(signal)
  // Promise.resolve adopts any thenable (calling its then() later, in a job of its own, where a
  // throw becomes a rejection) and returns a native promise as it is. The derived promise is left
  // unhandled on purpose: its rejection is the report.
  void Promise.resolve(result).then(undefined, (reason: unknown) => {
    throw new AsyncReceiverError(method, description, receiver, { cause: reason })
  })
}

/** Emits a warning object: through `process.emitWarning` in Node, `console.warn` elsewhere. */
function emitWarningObject(warning: Error): void {
  const nodeProcess = currentProcess()
  if (typeof nodeProcess?.emitWarning === 'function') {
    try {
      nodeProcess.emitWarning(warning)
    } catch {
      // Node rejects an Error of another realm (this library loaded in a jest or vm context):
      // the message and type then, as a warning must never make connect() throw.
      nodeProcess.emitWarning(warning.message, warning.name)
    }
  } else if (typeof console !== 'undefined') {
    console.warn(`${warning.name}: ${warning.message}`)
  }
}
