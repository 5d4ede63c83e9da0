// The bridge: publishes local sends of chosen named signals through a transport, and re-sends
// locally what other nodes published. It imports the core by the package's own name, so the built
// `signalry/bridge` uses the one copy of `Signal` that the application uses.

import { AsyncReceiverError, NamedSignal, Namespace, Signal } from 'signalry'
import {
  type BridgeCodec,
  type BridgeErrorReason,
  type Envelope,
  ENVELOPE_VERSION,
  ENVELOPE_VERSION_WITH_META,
  invalidEnvelope,
  invalidMeta,
  jsonCodec,
  oversizeBytes,
} from './envelope'
import type { BridgeTransport, TransportLink } from './transport'
// Leaves of the core, bundled into this entry: the one validation template of the package, and the
// receiver-error channel (its state is only the lookup of Node's process-wide channels).
import { publishReceiverError } from '../shared/channels'
import { describeValue, messageOf } from '../shared/describe'
import { assertOptionsObject, invalidArgument } from '../shared/validate'

/**
 * The options of {@link bridge}.
 *
 * @example
 * ```ts
 * import type { BridgeOptions } from 'signalry/bridge'
 *
 * const users = new Map([['u1', { id: 'u1' }]])
 * const options: BridgeOptions = {
 *   nodeId: 'api-1',
 *   include: (name) => name.startsWith('user.'),
 *   senderKey: (sender) => (sender as { id?: string } | undefined)?.id,
 *   senderFromKey: (key) => users.get(key),
 * }
 * console.log(options.include?.('user.created'), options.include?.('cache.flushed')) // Prints: true false
 * ```
 */
export interface BridgeOptions {
  /** This node's id, the `origin` of what it publishes. Default: random. Must be unique among the nodes. */
  nodeId?: string
  /** Which signals (by name) to bridge. Default: all. Signals with symbol names are never bridged. */
  include?: (name: string) => boolean
  /**
   * The key that stands for a sender on the wire, or `undefined` to keep that send local. Sends without
   * a sender (`undefined`) are always published, with key `null`. Default: a string sender is its own
   * key; any other sender keeps the send local.
   */
  senderKey?: (sender: unknown) => string | undefined
  /** The sender a key stands for, in this process. Default: the key itself (a string sender). */
  senderFromKey?: (key: string) => unknown
  /** How envelopes become text for text transports. Default {@link jsonCodec}. */
  codec?: BridgeCodec
  /** Largest encoded message in bytes (UTF-8), both directions, text transports. Default 1 MiB. */
  maxMessageBytes?: number
  /** Deepest accepted payload nesting. Default 64. */
  maxPayloadDepth?: number
  /** How many recent envelope ids are remembered to drop duplicates. Default 10 000. */
  dedupeWindow?: number
  /**
   * Called for each local send the bridge publishes, inside that send (in its receivers' async
   * context): write short strings about the send into `meta` — the trace context, with
   * OpenTelemetry's `propagation.inject(context, meta)`. A message whose `meta` has entries is
   * written as envelope version 2 (nodes of releases before `meta` drop it: add `inject` once every
   * node reads version 2); with no entries, as version 1. At most 16 entries, keys of letters, digits,
   * `_`, `-`, `.` (1 to 64), values of printable ASCII (at most 1024), 4096 characters in all. If it
   * throws or breaks the limits, the send is published without `meta` and reported as `'inject-failed'`.
   */
  inject?: (meta: Record<string, string>) => void
  /**
   * Called for each incoming message that has `meta` (a frozen copy): call `deliver()` — the re-send
   * of the message to this process's receivers — inside the context `meta` describes, such as
   * OpenTelemetry's `context.with(propagation.extract(context.active(), meta), deliver)`. `deliver`
   * runs once, synchronously; if `extract` throws before calling it or returns without calling it,
   * the message is re-sent anyway (never lost) and reported as `'extract-failed'`.
   */
  extract?: (meta: Readonly<Record<string, string>>, deliver: () => void) => void
}

/**
 * The payload of {@link Bridge.errors}: what went wrong, on which side, for which signal.
 *
 * @example
 * ```ts
 * import type { BridgeError } from 'signalry/bridge'
 *
 * const error: BridgeError = { reason: 'unknown-signal', direction: 'incoming', detail: 'no bridged signal is named "x"', signal: 'x' }
 * console.log(`${error.direction} ${error.reason}: ${error.detail}`) // Prints: incoming unknown-signal: no bridged signal is named "x"
 * ```
 */
export interface BridgeError {
  /** Why; see {@link BridgeErrorReason}. */
  readonly reason: BridgeErrorReason
  /** `'incoming'` (a message was dropped), `'outgoing'` (a send was not published) or `'transport'`. */
  readonly direction: 'incoming' | 'outgoing' | 'transport'
  /** A sentence saying what was wrong. */
  readonly detail: string
  /** The name of the signal concerned, when known. */
  readonly signal?: string
  /** The error thrown, when there was one (a codec's, a receiver's, a client's). */
  readonly error?: unknown
}

/**
 * Counters of one bridge, for monitoring and tests.
 *
 * @example
 * ```ts
 * import type { BridgeStats } from 'signalry/bridge'
 *
 * const stats: BridgeStats = { published: 2, received: 3, delivered: 1, echoes: 1, duplicates: 0, dropped: 1, lost: 0 }
 * console.log(stats.received === stats.delivered + stats.echoes + stats.duplicates + stats.dropped) // Prints: true
 * ```
 */
export interface BridgeStats {
  /** Local sends handed to the transport. */
  published: number
  /** Messages the transport delivered. */
  received: number
  /** Messages re-sent locally. */
  delivered: number
  /** Own messages coming back, dropped. */
  echoes: number
  /** Messages whose id was seen before, dropped. */
  duplicates: number
  /** Messages dropped and reported on `errors`. */
  dropped: number
  /**
   * Messages of other nodes that never arrived: gaps in a node's message sequence, reported as
   * `'messages-lost'` (counted when a later message of that node shows the gap).
   */
  lost: number
}

const OPTION_KEYS: ReadonlySet<string> = new Set([
  'nodeId',
  'include',
  'senderKey',
  'senderFromKey',
  'codec',
  'maxMessageBytes',
  'maxPayloadDepth',
  'dedupeWindow',
  'inject',
  'extract',
])

/** The priority of the bridge's own receiver on each bridged signal: above any ordinary receiver. */
const RELAY_PRIORITY = Number.MAX_VALUE

/**
 * Remote sends call every receiver synchronously, in order, then await them all (see the README,
 * "Remote sends run every receiver"): the relay is then always called inside the bridge's own call,
 * which is what lets it recognise that very send.
 */
const REMOTE_SEND = { concurrency: 'concurrent' } as const

/** How many origins the loss detector follows at most (the oldest is forgotten first). */
const MAX_TRACKED_ORIGINS = 10_000

const disposeSymbol: typeof Symbol.dispose =
  (Symbol as { dispose?: typeof Symbol.dispose }).dispose ??
  (Symbol.for('Symbol.dispose') as typeof Symbol.dispose)
const asyncDisposeSymbol: typeof Symbol.asyncDispose =
  (Symbol as { asyncDispose?: typeof Symbol.asyncDispose }).asyncDispose ??
  (Symbol.for('Symbol.asyncDispose') as typeof Symbol.asyncDispose)

const defaultSenderKey = (sender: unknown): string | undefined =>
  typeof sender === 'string' ? sender : undefined
const defaultSenderFromKey = (key: string): unknown => key

type AnySignal = NamedSignal<any, any>
type Relay = (sender: unknown, payload: unknown) => void

/** The re-send the bridge is making right now: its relay call is skipped, nothing else. */
interface Resend {
  readonly sig: AnySignal
  /** The send depth its relay call has, when the core's send stack is readable. */
  readonly depth: number | undefined
  readonly sender: unknown
  readonly payload: unknown
  used: boolean
}

/** Where a node's message sequence stands, to notice messages that never arrived. */
interface OriginSequence {
  epoch: string
  seq: number
}

/**
 * A running bridge between this process's named signals and a transport; made by {@link bridge}.
 *
 * @remarks
 * - **Outgoing.** The bridge connects one receiver (its relay) to each bridged signal, for every
 *   sender, at the highest priority. It is visible: it counts in `receiverCount` and appears in
 *   `send()` results with the result `undefined`. Each local send is published once, unless its
 *   sender has no key (local-only) or it is the bridge's own re-send of a remote message — that one
 *   send, recognised as such whatever the other receivers do. Sends nested in a re-send (a receiver
 *   reacting to a remote send by sending) are published.
 * - **Incoming.** Each message is validated; valid ones are re-sent locally with `sendAsyncRobust`
 *   (concurrent: every receiver, sync or async, is called at once in order, then all are awaited),
 *   with the sender `senderFromKey(senderKey)`, so sender-filtered receivers work as locally. A
 *   receiver that throws or rejects is reported as `'receiver-failed'`; the others still run.
 *   Messages from this node (echoes) are dropped silently; repeated ids (duplicates) are dropped,
 *   counted and reported once per burst (`'duplicate'`); a gap in another node's message sequence
 *   is reported as `'messages-lost'` with its count; everything else that is dropped is reported on
 *   {@link Bridge.errors}. Nothing thrown reaches the transport, no rejection is left unhandled.
 * - **Ids.** Every message id holds 96 random bits from `crypto.getRandomValues`, so nobody can
 *   pre-publish a node's next ids. The last `dedupeWindow` ids of delivered messages are remembered.
 * - **Lifetime.** Closing disconnects the relays and closes the transport. A bridge holds its signals
 *   and transport until closed.
 *
 * @example
 * ```ts
 * import { Namespace } from 'signalry'
 * import { type Bridge, bridge } from 'signalry/bridge'
 * import { broadcastChannel } from 'signalry/broadcast-channel'
 *
 * const app = new Namespace()
 * const link: Bridge = bridge(app, broadcastChannel('app-example'), { nodeId: 'main' })
 * app.signal('cache.flushed')
 * console.log(link.nodeId, link.signalNames) // Prints: main [ 'cache.flushed' ]
 * await link.close()
 * ```
 */
export class Bridge implements Disposable, AsyncDisposable {
  /** This node's id: the `origin` of every message it publishes. */
  readonly nodeId: string
  /**
   * Sent for every message dropped (except echoes), every burst of duplicates, every send not
   * published, every loss noticed and every transport failure, with this bridge as sender and a
   * {@link BridgeError} as payload; async receivers are awaited (concurrently). When no receiver
   * takes a report (none connected, all for another sender, or muted), the bridge writes the first
   * report of each reason with `console.warn`.
   */
  readonly errors: Signal<BridgeError, Bridge> = new Signal<BridgeError, Bridge>(
    'Sent when the bridge drops a message, cannot publish a send, or loses its transport.',
  )
  /**
   * Resolves when the transport receives; rejects if it could not be opened, or when the bridge is
   * closed first.
   */
  readonly ready: Promise<void>
  /** Counters of what the bridge did; see {@link BridgeStats}. */
  readonly stats: BridgeStats = {
    published: 0,
    received: 0,
    delivered: 0,
    echoes: 0,
    duplicates: 0,
    dropped: 0,
    lost: 0,
  }

  readonly #transport: BridgeTransport
  readonly #structured: boolean
  readonly #include: (name: string) => boolean
  readonly #senderKey: (sender: unknown) => string | undefined
  readonly #senderFromKey: (key: string) => unknown
  readonly #codec: BridgeCodec
  readonly #maxMessageBytes: number
  readonly #maxPayloadDepth: number
  readonly #dedupeWindow: number
  readonly #inject: ((meta: Record<string, string>) => void) | undefined
  readonly #extract: ((meta: Readonly<Record<string, string>>, deliver: () => void) => void) | undefined
  readonly #signals = new Map<string, AnySignal>()
  readonly #relays = new Map<AnySignal, Relay>()
  /**
   * The ids of delivered messages, per origin (ids are unique per origin). Kept apart rather than as
   * one joined key so that nothing is built per message: the id from the decoded message is looked up as it is.
   */
  readonly #seen = new Map<string, Set<string>>()
  /** The remembered ids in the order they were delivered (a ring of `dedupeWindow`), with their origins. */
  readonly #seenIds: string[] = []
  readonly #seenOrigins: string[] = []
  #seenNext = 0
  /** This bridge instance's random epoch and its next sequence number: the start of every id. */
  readonly #epoch: string
  /** Where the ids' random bits come from (see randomSource). */
  readonly #random: RandomSource
  #nextSeq = 0
  readonly #sequences = new Map<string, OriginSequence>()
  /** The re-send in progress (innermost), whose relay call publishes nothing. */
  #resending: Resend | undefined
  /** Remote sends whose receivers have not all settled yet. */
  #pending = 0
  /** Signals that had a native async receiver: re-sent with sendAsyncRobust. */
  readonly #asyncSignals = new WeakSet<AnySignal>()
  #idle: Array<() => void> = []
  /** Duplicates of the current burst, reported together in a microtask. */
  #duplicateBurst = 0
  #closed: Promise<void> | undefined
  #readySettled = false
  #rejectReady: ((error: Error) => void) | undefined
  /** With the JSON codec, how this node's own messages go on after `{"v":1` or `{"v":2`: echoes are dropped before decoding. */
  readonly #echoPrefix: string | undefined
  /** With the JSON codec (text transports), how every message of this node without `meta` starts, up to its id. */
  readonly #jsonHead: string | undefined
  readonly #warned = new Set<BridgeErrorReason>()
  readonly #namespace: Namespace | undefined
  readonly #onSignalCreated: ((namespace: Namespace, created: AnySignal) => void) | undefined

  /**
   * Starts bridging `source` over `transport`; the same as {@link bridge}, which is the usual way.
   *
   * @throws TypeError for a bad source, transport or option; nothing is connected then. Whatever
   *   `include` throws is rethrown, also with nothing connected.
   */
  constructor(
    source: Namespace | Iterable<AnySignal>,
    transport: BridgeTransport,
    options: BridgeOptions = {},
  ) {
    assertTransport(transport)
    // Ids come from the global Web Crypto; a transport may stand in where the runtime has none.
    this.#random = randomSource(transport)
    const resolved = resolveOptions(options, this.#random)
    this.#epoch = randomText(8, this.#random)
    this.nodeId = resolved.nodeId
    this.#include = resolved.include
    this.#senderKey = resolved.senderKey
    this.#senderFromKey = resolved.senderFromKey
    this.#codec = resolved.codec
    this.#maxMessageBytes = resolved.maxMessageBytes
    this.#maxPayloadDepth = resolved.maxPayloadDepth
    this.#dedupeWindow = resolved.dedupeWindow
    this.#inject = resolved.inject
    this.#extract = resolved.extract
    this.#transport = transport
    this.#structured = transport.messages === 'structured'
    this.#echoPrefix = this.#codec === jsonCodec ? `,"origin":${JSON.stringify(this.nodeId)},` : undefined
    this.#jsonHead =
      this.#codec === jsonCodec && !this.#structured
        ? `{"v":${ENVELOPE_VERSION},"origin":${JSON.stringify(this.nodeId)},"id":"`
        : undefined

    // All or nothing: a throw part-way (two signals with one name, `include` throwing) disconnects
    // every relay connected so far before it leaves the constructor.
    try {
      if (source instanceof Namespace) {
        this.#namespace = source
        for (const sig of source) this.#add(sig)
        this.#onSignalCreated = (_namespace, created) => this.#add(created)
        source.signalCreated.connect(this.#onSignalCreated)
      } else {
        const signals = listedSignals(source)
        for (const sig of signals) this.#add(sig, true)
      }
    } catch (error) {
      this.#disconnectRelays()
      throw error
    }

    const link: TransportLink = {
      nodeId: this.nodeId,
      stableId: resolved.stableId,
      receive: (message) => this.#receive(message),
      delivered: () => this.#delivered(),
      report: (reason, detail, error) => {
        if (this.#closed !== undefined && reason !== 'publish-failed') return
        if (isIncomingReason(reason)) this.#drop(reason, detail, undefined, error)
        else
          this.#report({
            reason,
            direction: OUTGOING_REASONS.has(reason) ? 'outgoing' : 'transport',
            detail,
            error,
          })
      },
    }
    let opened: Promise<void>
    try {
      opened = Promise.resolve(transport.open(link))
    } catch (error) {
      opened = Promise.reject(error)
    }
    this.ready = new Promise<void>((resolve, reject) => {
      this.#rejectReady = reject
      opened.then(
        () => {
          this.#readySettled = true
          resolve()
        },
        (error: unknown) => {
          if (this.#readySettled) return
          this.#readySettled = true
          const detail = `the transport could not be opened: ${messageOf(error)}`
          this.#report({ reason: 'transport-error', direction: 'transport', detail, error })
          reject(error)
        },
      )
    })
    this.ready.catch(() => {})
  }

  /** The names of the bridged signals, in the order they were bridged (a new array each call). */
  get signalNames(): string[] {
    return [...this.#signals.keys()]
  }

  /** Whether {@link Bridge.close} was called. */
  get closed(): boolean {
    return this.#closed !== undefined
  }

  /**
   * Stops bridging: disconnects the relays (and the namespace watch), then closes the transport,
   * which settles within its `closeTimeoutMs` (Redis transports) and reports what was still
   * waiting. `ready` rejects if it had not settled yet. Calling it again returns the same promise.
   *
   * @example
   * ```ts
   * import { Namespace } from 'signalry'
   * import { bridge } from 'signalry/bridge'
   * import { broadcastChannel } from 'signalry/broadcast-channel'
   *
   * const app = new Namespace()
   * const saved = app.signal('doc.saved')
   * const link = bridge(app, broadcastChannel('close-example'))
   * console.log(saved.receiverCount) // Prints: 1 — the relay
   * await link.close()
   * console.log(saved.receiverCount, link.closed) // Prints: 0 true
   * ```
   */
  close(): Promise<void> {
    if (this.#closed !== undefined) return this.#closed
    this.#disconnectRelays()
    if (!this.#readySettled) {
      this.#readySettled = true
      this.#rejectReady?.(new Error(`the bridge ${this.nodeId} was closed before its transport was ready`))
    }
    this.#closed = (async () => {
      try {
        await this.#transport.close()
      } catch (error) {
        this.#report({
          reason: 'transport-error',
          direction: 'transport',
          detail: `closing the transport failed: ${messageOf(error)}`,
          error,
        })
      }
    })()
    return this.#closed
  }

  /** Closes the bridge without waiting for the transport (for `using`); see {@link Bridge.close}. */
  [disposeSymbol](): void {
    void this.close()
  }

  /** Closes the bridge and waits for the transport (for `await using`); see {@link Bridge.close}. */
  [asyncDisposeSymbol](): Promise<void> {
    return this.close()
  }

  #disconnectRelays(): void {
    for (const [sig, relay] of this.#relays) sig.disconnect(relay)
    this.#relays.clear()
    if (this.#namespace !== undefined && this.#onSignalCreated !== undefined) {
      this.#namespace.signalCreated.disconnect(this.#onSignalCreated)
    }
  }

  #add(sig: AnySignal, listed = false): void {
    if (typeof sig.name !== 'string' || this.#closed !== undefined) return
    const name = sig.name
    const existing = this.#signals.get(name)
    if (existing !== undefined) {
      if (existing !== sig && listed)
        throw new TypeError(`bridge() got two different signals named "${name}"; names must be unique`)
      return
    }
    if (!this.#include(name)) return
    this.#signals.set(name, sig)
    // With the JSON codec, what the encoded message has between the id and the sender key.
    const signalJson = `","signal":${JSON.stringify(name)},"senderKey":`
    const relay: Relay = (sender, payload) => this.#publish(sig, name, signalJson, sender, payload)
    this.#relays.set(sig, relay)
    sig.connect(relay, { priority: RELAY_PRIORITY })
  }

  /** Whether this relay call is the one of the bridge's own re-send in progress. */
  #isOwnResend(sig: AnySignal, sender: unknown, payload: unknown): boolean {
    const resend = this.#resending
    if (resend === undefined || resend.sig !== sig || resend.used) return false
    // The relay call of the re-send itself runs one level below the bridge's call; a send nested in
    // another receiver of the re-send runs deeper. Without a readable send stack, the sender and
    // payload of the re-send identify it.
    const own =
      resend.depth !== undefined
        ? sendDepth() === resend.depth
        : Object.is(sender, resend.sender) && Object.is(payload, resend.payload)
    if (own) resend.used = true
    return own
  }

  #publish(sig: AnySignal, name: string, signalJson: string, sender: unknown, payload: unknown): void {
    if (this.#isOwnResend(sig, sender, payload)) return
    let senderKey: string | null = null
    if (sender !== undefined) {
      let key: unknown
      try {
        key = this.#senderKey(sender)
      } catch (error) {
        this.#report({
          reason: 'sender-key-failed',
          direction: 'outgoing',
          signal: name,
          detail: `senderKey threw: ${messageOf(error)}`,
          error,
        })
        return
      }
      if (key === undefined) return // local-only
      if (typeof key !== 'string' || key.length === 0) {
        this.#report({
          reason: 'sender-key-failed',
          direction: 'outgoing',
          signal: name,
          detail: `senderKey must return a non-empty string or undefined, got ${describeValue(key)}`,
        })
        return
      }
      senderKey = key
    }
    const meta = this.#inject === undefined ? undefined : this.#injected(name)
    // <epoch>.<sequence>.<96 random bits>: the sequence lets receivers count what they missed, the
    // random part makes the id impossible to guess ahead. ('.' is not a base64url character.)
    const id = `${this.#epoch}.${this.#nextSeq.toString(36)}.${randomText(16, this.#random)}`
    let message: string | Envelope
    if (this.#jsonHead !== undefined && meta === undefined && !hasToJSON(payload)) {
      // The JSON codec's own text, written without building the envelope: exactly what
      // JSON.stringify(envelope) writes (same fields, same order; the id needs no escaping; an
      // undefined payload is left out). A payload with toJSON takes the general path below, where
      // toJSON is called with the key "payload" as JSON.stringify(envelope) does.
      let body: string | undefined
      try {
        body = JSON.stringify(payload)
      } catch (error) {
        this.#encodeFailed(name, error)
        return
      }
      const key = senderKey === null ? 'null' : JSON.stringify(senderKey)
      message =
        body === undefined
          ? `${this.#jsonHead}${id}${signalJson}${key}}`
          : `${this.#jsonHead}${id}${signalJson}${key},"payload":${body}}`
    } else {
      const envelope: Envelope = {
        v: meta === undefined ? ENVELOPE_VERSION : ENVELOPE_VERSION_WITH_META,
        origin: this.nodeId,
        id,
        signal: name,
        senderKey,
        payload,
        ...(meta === undefined ? {} : { meta }),
      }
      message = envelope
      if (!this.#structured) {
        try {
          message = this.#codec.encode(envelope)
          if (typeof message !== 'string')
            throw new TypeError(`the codec's encode() returned ${typeof message}, not a string`)
        } catch (error) {
          this.#encodeFailed(name, error)
          return
        }
      }
    }
    if (typeof message === 'string') {
      const size = oversizeBytes(message, this.#maxMessageBytes)
      if (size !== undefined) {
        this.#report({
          reason: 'oversize',
          direction: 'outgoing',
          signal: name,
          detail: `the encoded message has ${size} bytes, more than maxMessageBytes (${this.#maxMessageBytes}); it was not published`,
        })
        return
      }
    }
    try {
      this.#transport.publish(message)
      // Only a message handed over takes a sequence number: the ones refused here leave no gap.
      this.#nextSeq++
      this.stats.published++
    } catch (error) {
      this.#report({
        reason: this.#structured && isCloneError(error) ? 'encode-failed' : 'publish-failed',
        direction: 'outgoing',
        signal: name,
        detail: `the transport refused the message: ${messageOf(error)}`,
        error,
      })
    }
  }

  #encodeFailed(name: string, error: unknown): void {
    this.#report({
      reason: 'encode-failed',
      direction: 'outgoing',
      signal: name,
      detail: `the payload could not be encoded: ${messageOf(error)}`,
      error,
    })
  }

  /** What `inject` writes for a send of `name`: undefined when nothing, or when it failed (reported). */
  #injected(name: string): Record<string, string> | undefined {
    // No prototype: a key such as "__proto__" is an own key (then rejected), never a prototype change.
    const meta = Object.create(null) as Record<string, string>
    try {
      ;(this.#inject as (meta: Record<string, string>) => void)(meta)
    } catch (error) {
      this.#report({
        reason: 'inject-failed',
        direction: 'outgoing',
        signal: name,
        detail: `inject threw: ${messageOf(error)}; published without meta`,
        error,
      })
      return undefined
    }
    if (Reflect.ownKeys(meta).length === 0) return undefined
    const invalid = invalidMeta(meta)
    if (invalid === undefined) return meta
    this.#report({
      reason: 'inject-failed',
      direction: 'outgoing',
      signal: name,
      detail: `inject wrote a bad meta: ${invalid.detail}; published without meta`,
    })
    return undefined
  }

  /**
   * Runs `resend` through `extract` when the message has `meta`: inside the context extract makes,
   * once, and in any case (a throwing or forgetful extract is reported, never loses the message).
   */
  #extracted(
    meta: Readonly<Record<string, string>>,
    extract: (meta: Readonly<Record<string, string>>, deliver: () => void) => void,
    name: string,
    resend: () => void,
  ): void {
    let delivered = false
    const deliver = (): void => {
      if (delivered) return
      delivered = true
      resend()
    }
    try {
      extract(Object.freeze({ ...meta }), deliver)
    } catch (error) {
      const detail = `extract threw: ${messageOf(error)}${delivered ? '' : '; re-sent outside its context'}`
      this.#report({ reason: 'extract-failed', direction: 'incoming', signal: name, detail, error })
      deliver()
      return
    }
    if (delivered) return
    this.#report({
      reason: 'extract-failed',
      direction: 'incoming',
      signal: name,
      detail: 'extract did not call deliver; re-sent outside its context',
    })
    deliver()
  }

  #receive(message: unknown): void {
    this.stats.received++
    try {
      this.#deliver(message)
    } catch (error) {
      // Only a bug in the bridge gets here; it must still not reach the transport.
      this.#drop('not-an-envelope', `the message could not be handled: ${messageOf(error)}`, undefined, error)
    }
  }

  /** Resolves when every remote send started so far has settled (all its receivers). */
  #delivered(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve()
    return new Promise((resolve) => this.#idle.push(resolve))
  }

  #deliver(message: unknown): void {
    if (this.#closed !== undefined) return
    let value = message
    if (!this.#structured) {
      if (typeof message !== 'string') {
        this.#drop('not-an-envelope', `expected a text message, got ${describeValue(message)}`)
        return
      }
      // `{"v":1` or `{"v":2` (6 characters), then this node's origin.
      if (
        this.#echoPrefix !== undefined &&
        message.startsWith(this.#echoPrefix, 6) &&
        message.startsWith('{"v":')
      ) {
        // This node's own message (pub/sub and streams deliver to the publisher too): skip decoding.
        this.stats.echoes++
        return
      }
      const size = oversizeBytes(message, this.#maxMessageBytes)
      if (size !== undefined) {
        this.#drop(
          'oversize',
          `the message has at least ${size} bytes, more than maxMessageBytes (${this.#maxMessageBytes})`,
        )
        return
      }
      try {
        value = this.#codec.decode(message)
      } catch (error) {
        this.#drop('decode-failed', `the message could not be decoded: ${messageOf(error)}`, undefined, error)
        return
      }
    }
    const invalid = invalidEnvelope(value, this.#maxPayloadDepth)
    if (invalid !== undefined) {
      this.#drop(invalid.reason, invalid.detail)
      return
    }
    const envelope = value as Envelope
    if (envelope.origin === this.nodeId) {
      this.stats.echoes++
      return
    }
    const seenOfOrigin = this.#seen.get(envelope.origin)
    if (seenOfOrigin?.has(envelope.id) === true) {
      this.stats.duplicates++
      if (this.#duplicateBurst++ === 0) queueMicrotask(() => this.#reportDuplicates())
      return
    }
    this.#checkSequence(envelope.origin, envelope.id)
    const sig = this.#signals.get(envelope.signal)
    if (sig === undefined) {
      this.#drop(
        'unknown-signal',
        `no bridged signal is named ${JSON.stringify(envelope.signal.slice(0, 100))}`,
        envelope.signal,
      )
      return
    }
    let sender: unknown
    if (envelope.senderKey !== null) {
      try {
        sender = this.#senderFromKey(envelope.senderKey)
      } catch (error) {
        this.#drop(
          'sender-unmapped',
          `senderFromKey threw for key ${JSON.stringify(envelope.senderKey.slice(0, 100))}: ${messageOf(error)}`,
          envelope.signal,
          error,
        )
        return
      }
    }
    // Only delivered messages take a dedupe slot: a flood of dropped ones cannot evict real ids.
    this.#remember(envelope.origin, envelope.id, seenOfOrigin)
    this.stats.delivered++
    const name = envelope.signal
    const extract = this.#extract
    // Without meta or extract, re-sent at once (no closure per message).
    if (envelope.meta === undefined || extract === undefined)
      this.#resend(sig, name, sender, envelope.payload)
    else
      this.#extracted(envelope.meta, extract, name, () => this.#resend(sig, name, sender, envelope.payload))
  }

  /** Re-sends a delivered message to this process's receivers, and reports what failed. */
  #resend(sig: AnySignal, name: string, sender: unknown, payload: unknown): void {
    const base = sendDepth()
    const outer = this.#resending
    this.#resending = { sig, depth: base === undefined ? undefined : base + 1, sender, payload, used: false }
    let outcomes: Array<[unknown, PromiseSettledResult<unknown>]> | undefined
    let sent: Promise<Array<[unknown, PromiseSettledResult<unknown>]>> | undefined
    try {
      // sendRobust calls the receivers exactly as a concurrent sendAsyncRobust would (all at once,
      // in order) and costs a fraction; it refuses, before calling anyone, a signal with a native
      // async receiver, which then takes sendAsyncRobust from now on.
      if (!this.#asyncSignals.has(sig)) {
        try {
          outcomes = sig.sendRobust(sender, payload)
        } catch (error) {
          if (!(error instanceof AsyncReceiverError)) throw error
          this.#asyncSignals.add(sig)
        }
      }
      if (outcomes === undefined) sent = sig.sendAsyncRobust(sender, payload, REMOTE_SEND)
    } catch (error) {
      this.#resendFailed(name, error)
      return
    } finally {
      this.#resending = outer
    }
    if (outcomes !== undefined) {
      for (const [receiver, outcome] of outcomes) {
        if (outcome.status === 'rejected') this.#receiverFailed(name, receiver, outcome.reason)
        else if (isThenable(outcome.value)) {
          // A plain function that returned a promise: awaited, as sendAsyncRobust would.
          this.#pending++
          Promise.resolve(outcome.value).then(
            () => this.#settled(),
            (reason: unknown) => {
              this.#receiverFailed(name, receiver, reason)
              // sendRobust returned the promise as a value: nobody but the bridge sees it reject.
              const failed = receiver as (...args: never[]) => unknown
              publishReceiverError({
                signal: sig,
                name,
                sender,
                receiver: failed,
                error: reason,
                source: 'bridge',
              })
              this.#settled()
            },
          )
        }
      }
      return
    }
    this.#pending++
    ;(sent as Promise<Array<[unknown, PromiseSettledResult<unknown>]>>).then(
      (settled) => {
        for (const [receiver, outcome] of settled) {
          if (outcome.status === 'rejected') this.#receiverFailed(name, receiver, outcome.reason)
        }
        this.#settled()
      },
      (error: unknown) => {
        this.#resendFailed(name, error)
        this.#settled()
      },
    )
  }

  /** The re-send itself failed (a SendDepthError): none or only some receivers ran. */
  #resendFailed(signal: string, error: unknown): void {
    const detail = `re-sending the remote send failed: ${messageOf(error)}`
    this.#report({ reason: 'receiver-failed', direction: 'incoming', signal, detail, error })
  }

  #receiverFailed(signal: string, receiver: unknown, reason: unknown): void {
    this.#report({
      reason: 'receiver-failed',
      direction: 'incoming',
      signal,
      detail: `receiver ${(receiver as { name?: string }).name || '(anonymous)'} failed while handling a remote send: ${messageOf(
        reason,
      )}`,
      error: reason,
    })
  }

  #settled(): void {
    if (--this.#pending === 0 && this.#idle.length > 0) for (const resolve of this.#idle.splice(0)) resolve()
  }

  #reportDuplicates(): void {
    const count = this.#duplicateBurst
    this.#duplicateBurst = 0
    if (count === 0 || this.#closed !== undefined) return
    this.#report({
      reason: 'duplicate',
      direction: 'incoming',
      detail:
        `${count} message(s) whose id was delivered before were dropped ` +
        '(a transport repeating a write whose reply was lost, or a replay)',
    })
  }

  /**
   * Follows each origin's `<epoch>.<sequence>.<random>` ids and reports a skipped sequence number
   * as lost. Ids of another shape (other writers) are not followed; nothing is ever dropped here.
   */
  #checkSequence(origin: string, id: string): void {
    const first = id.indexOf('.')
    const second = id.indexOf('.', first + 1)
    if (first <= 0 || second <= first + 1 || id.length - second - 1 < 16) return
    if (id.indexOf('.', second + 1) !== -1) return
    const epoch = id.slice(0, first)
    const seq = Number.parseInt(id.slice(first + 1, second), 36)
    if (!Number.isSafeInteger(seq) || seq < 0) return
    const known = this.#sequences.get(origin)
    if (known === undefined || known.epoch !== epoch) {
      // A node heard of for the first time (or restarted): what it sent before is not ours to count.
      if (known === undefined && this.#sequences.size >= MAX_TRACKED_ORIGINS) {
        this.#sequences.delete(this.#sequences.keys().next().value as string)
      }
      this.#sequences.set(origin, { epoch, seq })
      return
    }
    if (seq <= known.seq) return // an older message arriving late; dedupe decides about it
    const missing = seq - known.seq - 1
    known.seq = seq
    if (missing > 0) {
      this.stats.lost += missing
      this.#report({
        reason: 'messages-lost',
        direction: 'incoming',
        detail: `${missing} message(s) of node ${JSON.stringify(origin.slice(0, 100))} never arrived (the transport lost them)`,
      })
    }
  }

  /** Records a delivered message's id; the last `dedupeWindow` are remembered. */
  #remember(origin: string, id: string, seenOfOrigin: Set<string> | undefined): void {
    let ids = seenOfOrigin
    if (ids === undefined) {
      ids = new Set()
      this.#seen.set(origin, ids)
    }
    if (this.#seenIds.length < this.#dedupeWindow) {
      this.#seenIds.push(id)
      this.#seenOrigins.push(origin)
    } else {
      const next = this.#seenNext
      const oldOrigin = this.#seenOrigins[next] as string
      const oldIds = this.#seen.get(oldOrigin)
      if (oldIds !== undefined) {
        oldIds.delete(this.#seenIds[next] as string)
        // An origin with nothing remembered is let go (a node that left, or ids made up by a hostile writer).
        if (oldIds.size === 0 && oldIds !== ids) this.#seen.delete(oldOrigin)
      }
      this.#seenIds[next] = id
      this.#seenOrigins[next] = origin
      this.#seenNext = (next + 1) % this.#dedupeWindow
    }
    ids.add(id)
  }

  #drop(reason: BridgeErrorReason, detail: string, signal?: string, error?: unknown): void {
    if (reason !== 'messages-lost') this.stats.dropped++
    this.#report({
      reason,
      direction: 'incoming',
      detail,
      ...(signal === undefined ? {} : { signal }),
      ...(error === undefined ? {} : { error }),
    })
  }

  #report(error: BridgeError): void {
    const cleaned: BridgeError = error.error === undefined ? withoutErrorField(error) : error
    try {
      if (this.errors.isMuted || !this.errors.hasReceiversFor(this)) {
        this.#warn(cleaned)
        return
      }
      // Async receivers are awaited too; one that fails cannot report on errors (a loop), so it warns.
      void this.errors.sendAsyncRobust(this, cleaned, REMOTE_SEND).then(
        (outcomes) => {
          for (const [, outcome] of outcomes) {
            if (outcome.status !== 'rejected') continue
            console.warn(
              `signalry bridge ${this.nodeId}: a receiver of bridge.errors failed: ${messageOf(outcome.reason)}`,
            )
          }
        },
        () => this.#warn(cleaned),
      )
    } catch {
      // Reporting must never throw into a send or a transport.
    }
  }

  #warn(report: BridgeError): void {
    if (this.#warned.has(report.reason)) return
    this.#warned.add(report.reason)
    console.warn(
      `signalry bridge ${this.nodeId}: ${report.direction} ${report.reason}: ${report.detail} ` +
        '(further ones are only reported on bridge.errors)',
    )
  }

  /** A short description for logs: `Bridge(node-id, 3 signals)`. */
  toString(): string {
    return `Bridge(${this.nodeId}, ${this.#signals.size} signals)`
  }
}

/**
 * Bridges named signals over a transport: local sends are published, and sends published by other
 * nodes are re-sent here, so receivers in every process see them.
 *
 * @remarks
 * `source` is a {@link Namespace} (every signal with a string name in it, including those created
 * later, filtered by `include`) or a list of named signals. Senders cannot cross processes: the
 * `senderKey` option turns a sender into a string key and `senderFromKey` turns it back; a send whose
 * sender has no key stays local. See {@link Bridge} for the rules, and the transports in
 * `signalry/broadcast-channel` and `signalry/redis`.
 *
 * @param source - A namespace, or the named signals to bridge.
 * @param transport - Where messages go: `broadcastChannel(...)`, `redisPubSub(...)`, `redisStreams(...)`.
 * @param options - See {@link BridgeOptions}.
 * @returns The running {@link Bridge}; close it (or `using`) to stop.
 * @throws TypeError for a bad source, transport or option; nothing is connected then.
 *
 * @example
 * ```ts
 * import { Namespace } from 'signalry'
 * import { bridge } from 'signalry/bridge'
 * import { broadcastChannel } from 'signalry/broadcast-channel'
 *
 * // Two namespaces stand for two processes; a BroadcastChannel joins them.
 * const here = new Namespace()
 * const there = new Namespace()
 * there.signal<{ id: number }>('order.placed').connect((sender, order) => console.log('there:', sender, order.id))
 * const a = bridge(here, broadcastChannel('orders'), { nodeId: 'here' })
 * const b = bridge(there, broadcastChannel('orders'), { nodeId: 'there' })
 * await Promise.all([a.ready, b.ready])
 * here.signal<{ id: number }>('order.placed').send('web-shop', { id: 7 })
 * await new Promise((resolve) => setTimeout(resolve, 50))
 * // Prints: there: web-shop 7
 * await Promise.all([a.close(), b.close()])
 * ```
 */
export function bridge(
  source: Namespace | Iterable<NamedSignal<any, any>>,
  transport: BridgeTransport,
  options?: BridgeOptions,
): Bridge {
  return new Bridge(source, transport, options)
}

function listedSignals(source: unknown): AnySignal[] {
  if (
    typeof source !== 'object' ||
    source === null ||
    typeof (source as Iterable<unknown>)[Symbol.iterator] !== 'function'
  ) {
    throw new TypeError(
      `bridge() expects a Namespace or a list of named signals as source, got ${describeValue(source)}`,
    )
  }
  const signals = [...(source as Iterable<unknown>)]
  for (const sig of signals) {
    if (!(sig instanceof NamedSignal)) {
      throw new TypeError(`bridge() expects named signals in its source list, got ${describeValue(sig)}`)
    }
    if (typeof sig.name !== 'string') {
      throw new TypeError(
        `bridge() cannot bridge ${String(sig)}: only signals with string names cross processes`,
      )
    }
  }
  return signals as AnySignal[]
}

function assertTransport(transport: unknown): asserts transport is BridgeTransport {
  const t = transport as Partial<BridgeTransport> | null
  if (
    typeof t !== 'object' ||
    t === null ||
    (t.messages !== 'text' && t.messages !== 'structured') ||
    typeof t.open !== 'function' ||
    typeof t.publish !== 'function' ||
    typeof t.close !== 'function'
  ) {
    throw new TypeError(
      `bridge() expects a transport ({ messages, open, publish, close }, e.g. redisPubSub(...)) as transport, got ${describeValue(transport)}`,
    )
  }
}

function resolveOptions(options: unknown, random: RandomSource) {
  assertOptionsObject('bridge', options, OPTION_KEYS)
  const o = options as BridgeOptions
  const fn = <T>(key: keyof BridgeOptions, fallback: T): T => {
    const value = o[key]
    if (value === undefined) return fallback
    if (typeof value !== 'function') throw invalidArgument('bridge', `a function as option "${key}"`, value)
    return value as T
  }
  const count = (key: keyof BridgeOptions, fallback: number): number => {
    const value = o[key]
    if (value === undefined) return fallback
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw invalidArgument('bridge', `a positive integer as option "${key}"`, value)
    }
    return value
  }
  if (
    o.nodeId !== undefined &&
    (typeof o.nodeId !== 'string' || o.nodeId.length === 0 || o.nodeId.length > 200)
  ) {
    throw invalidArgument('bridge', 'a string of 1 to 200 characters as option "nodeId"', o.nodeId)
  }
  const codec = o.codec ?? jsonCodec
  if (
    typeof codec !== 'object' ||
    codec === null ||
    typeof codec.encode !== 'function' ||
    typeof codec.decode !== 'function'
  ) {
    throw invalidArgument('bridge', '{ encode, decode } as option "codec"', codec)
  }
  return {
    nodeId: o.nodeId ?? randomText(22, random), // 132 bits
    stableId: o.nodeId !== undefined,
    include: fn<(name: string) => boolean>('include', () => true),
    senderKey: fn<(sender: unknown) => string | undefined>('senderKey', defaultSenderKey),
    senderFromKey: fn<(key: string) => unknown>('senderFromKey', defaultSenderFromKey),
    codec,
    maxMessageBytes: count('maxMessageBytes', 1024 * 1024),
    maxPayloadDepth: count('maxPayloadDepth', 64),
    dedupeWindow: count('dedupeWindow', 10_000),
    inject: fn<((meta: Record<string, string>) => void) | undefined>('inject', undefined),
    extract: fn<((meta: Readonly<Record<string, string>>, deliver: () => void) => void) | undefined>(
      'extract',
      undefined,
    ),
  }
}

/** Fills a byte array with cryptographically strong random bytes. */
type RandomSource = (bytes: Uint8Array) => void

/**
 * The global Web Crypto's `getRandomValues` where the runtime has it (browsers, Node ≥ 19),
 * else the transport's `randomBytes` (the Redis transports on Node 18); neither is an error that
 * names both ways out.
 */
function randomSource(transport: BridgeTransport): RandomSource {
  const crypto = (globalThis as { crypto?: { getRandomValues?: (bytes: Uint8Array) => unknown } }).crypto
  if (typeof crypto?.getRandomValues === 'function') return (bytes) => void crypto.getRandomValues!(bytes)
  if (typeof transport.randomBytes === 'function') return (bytes) => transport.randomBytes!(bytes)
  throw new TypeError(
    'bridge() needs crypto.getRandomValues (Web Crypto) for unguessable message ids, and neither this runtime nor ' +
      'the transport has a source of random bytes: on Node 18 start with --experimental-global-webcrypto, use Node 20 ' +
      'or later, or give the transport a randomBytes(bytes) method',
  )
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
/** Random bytes drawn in blocks: one call of the source serves 1 024 characters. */
const randomPool = new Uint8Array(1024)
/** The block as base64url text, each character from its own random byte; handed out once, in order. */
let randomChars = ''
let randomNext = 0

/** `length` (at most 1 024) base64url characters of 6 random bits each, from `random`. */
function randomText(length: number, random: RandomSource): string {
  if (randomNext + length > randomChars.length) {
    random(randomPool)
    let text = ''
    for (let i = 0; i < randomPool.length; i++) text += BASE64URL[(randomPool[i] as number) & 63]
    randomChars = text
    randomNext = 0
  }
  // One slice per id instead of one string per character: the cost of an id is mostly allocation.
  const text = randomChars.slice(randomNext, randomNext + length)
  randomNext += length
  return text
}

const PROCESS_STATE_KEY = Symbol.for('signalry.processState@1')

/**
 * How deep the current send nesting is, from the process-wide send stack that every copy of
 * signalry shares (protocol 1 of its process state); undefined if it cannot be read.
 */
function sendDepth(): number | undefined {
  const state = (globalThis as Record<symbol, { depth?: unknown } | undefined>)[PROCESS_STATE_KEY]
  const depth = state?.depth
  return typeof depth === 'number' ? depth : undefined
}

/**
 * Whether JSON.stringify would call a `toJSON` of `value` (a Date, a user's BigInt.prototype.toJSON ...);
 * also true when looking it up throws (a getter), so that the codec meets that throw where it is reported.
 */
function hasToJSON(value: unknown): boolean {
  if (value === null || value === undefined) return false
  try {
    return typeof (value as { toJSON?: unknown }).toJSON === 'function'
  } catch {
    return true
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false
  return typeof (value as { then?: unknown }).then === 'function'
}

function isCloneError(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'DataCloneError'
  )
}

const OUTGOING_REASONS: ReadonlySet<BridgeErrorReason> = new Set([
  'sender-key-failed',
  'encode-failed',
  'buffer-overflow',
  'publish-failed',
])
const TRANSPORT_REASONS: ReadonlySet<BridgeErrorReason> = new Set(['transport-error', 'connection-lost'])

function isIncomingReason(reason: BridgeErrorReason): boolean {
  return !TRANSPORT_REASONS.has(reason) && !OUTGOING_REASONS.has(reason)
}

function withoutErrorField(error: BridgeError): BridgeError {
  const { error: _ignored, ...rest } = error
  return rest
}
