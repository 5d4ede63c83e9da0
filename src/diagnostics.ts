// Built-in diagnostics: sends published on Node's `diagnostics_channel` — one message per send of a
// named signal on `signalry:send`, and a TracingChannel `signalry:send` around every send — only while
// someone subscribes; the receiver-leak warning, and the counts behind `Namespace.inspect()`. The
// channels themselves are found in src/shared/channels.ts (the engine publishes receiver errors too).

import { ANY } from './shared/any'
import { type Channels, diagnosticChannels, publishGuarded, type TracingChannels } from './shared/channels'
import { describeSignal, describeValue, functionLabel } from './shared/describe'
import { AsyncReceiverError } from './shared/errors'
import { isObjectLike } from './shared/guards'
import { processState } from './shared/processState'
import { assertNumberSetting } from './shared/validate'

interface NodeLikeProcess {
  emitWarning?(warning: Error | string, type?: string): void
}

function currentProcess(): NodeLikeProcess | undefined {
  const candidate = (globalThis as { process?: unknown }).process
  return typeof candidate === 'object' && candidate !== null ? (candidate as NodeLikeProcess) : undefined
}

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
 * @internal Publishes one send on `signalry:send`, as the signal describes it; called by a send only
 * while someone observes sends (see isSendObserved), which includes the recursion guard.
 */
export function publishSend(message: SendMessage): void {
  const channels = diagnosticChannels()
  if (channels !== undefined) publishGuarded(channels.send, message)
}

/** The send methods, as the tracing context names them. */
export type SendMethod = 'send' | 'emit' | 'sendRobust' | 'sendAsync' | 'sendAsyncRobust'

/**
 * @internal The context object of one traced send; its public description is `SendTraceContext`
 * (src/types.ts). Subscribers may add their own fields (a span): it is theirs as much as ours.
 */
export interface SendTrace {
  readonly signal: object
  readonly name: string | symbol | undefined
  readonly sender: unknown
  readonly method: SendMethod
  readonly receiverCount: number
  result?: unknown
  error?: unknown
}

/** @internal The tracing channel when one of its channels has subscribers; undefined otherwise. */
export function activeTracing(): TracingChannels | undefined {
  const tracing = (diagnosticChannels() as Channels | undefined)?.tracing
  if (tracing === undefined || processState.publishingSend === true) return undefined
  const active =
    tracing.start.hasSubscribers ||
    tracing.end.hasSubscribers ||
    tracing.asyncEnd.hasSubscribers ||
    tracing.error.hasSubscribers ||
    tracing.asyncStart.hasSubscribers
  return active ? tracing : undefined
}

/**
 * Runs `start.runStores`: the stores bound to `start` (an APM's AsyncLocalStorage) are entered, the
 * context is published on `start`, then `run` runs inside those stores. The recursion guard is up
 * while subscribers and store transforms run, and down again for `run` (the receivers).
 */
function runStarted<T>(tracing: TracingChannels, trace: SendTrace, run: () => T): T {
  const start = tracing.start
  if (!start.hasSubscribers) return run()
  let running = false
  processState.publishingSend = true
  try {
    return start.runStores(trace, () => {
      processState.publishingSend = false
      running = true
      return run()
    })
  } finally {
    if (!running) processState.publishingSend = false
  }
}

/**
 * @internal Traces a synchronous send as `TracingChannel.traceSync` does: `start`, then the send,
 * then `error` if it threw and `end` with `result` or `error` set on the context.
 */
export function traceSync<T>(tracing: TracingChannels, trace: SendTrace, send: () => T): T {
  return runStarted(tracing, trace, () => {
    try {
      const result = send()
      trace.result = result
      return result
    } catch (error) {
      trace.error = error
      publishGuarded(tracing.error, trace)
      throw error
    } finally {
      publishGuarded(tracing.end, trace)
    }
  })
}

/**
 * @internal Traces an async send as `TracingChannel.tracePromise` does: `start`, the synchronous part
 * of the send (every receiver it calls before its first await), `end`; when the promise settles,
 * `error` if it rejected, then `asyncStart` and `asyncEnd` with `result` or `error` set.
 */
export function tracePromise<T>(
  tracing: TracingChannels,
  trace: SendTrace,
  send: () => Promise<T>,
): Promise<T> {
  return runStarted(tracing, trace, () => {
    let promise: Promise<T>
    try {
      promise = send()
    } finally {
      publishGuarded(tracing.end, trace)
    }
    return promise.then(
      (result) => {
        trace.result = result
        publishGuarded(tracing.asyncStart, trace)
        publishGuarded(tracing.asyncEnd, trace)
        return result
      },
      (error: unknown) => {
        trace.error = error
        publishGuarded(tracing.error, trace)
        publishGuarded(tracing.asyncStart, trace)
        publishGuarded(tracing.asyncEnd, trace)
        throw error
      },
    )
  })
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
