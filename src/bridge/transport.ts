// What a bridge needs from a transport. Types only: transports (Redis, BroadcastChannel) import
// nothing else from the bridge at run time.

import type { BridgeErrorReason, Envelope } from './envelope'

/**
 * What a bridge hands a transport when it opens it: who the node is, where to deliver incoming
 * messages, how to know they were delivered, and where to report trouble. No function throws.
 *
 * @example
 * ```ts
 * import type { TransportLink } from 'signalry/bridge'
 *
 * const link: TransportLink = {
 *   nodeId: 'api-1',
 *   stableId: true,
 *   receive: (message) => console.log('got', message),
 *   delivered: () => Promise.resolve(),
 *   report: (reason, detail) => console.log(reason, detail),
 * }
 * link.receive('{"v":1}') // Prints: got {"v":1}
 * ```
 */
export interface TransportLink {
  /** The bridge's `nodeId`. */
  readonly nodeId: string
  /**
   * Whether `nodeId` was given by the application (so a restarted node has the same id and a
   * durable transport may resume where it stopped), rather than made up at random.
   */
  readonly stableId: boolean
  /**
   * Delivers one incoming message (text for `'text'` transports, a cloned object for `'structured'`
   * ones). Receivers are called at once, in order; async ones are awaited by the bridge.
   */
  receive(message: unknown): void
  /**
   * Resolves when every message received so far has been handled: delivered (all its receivers,
   * async ones included, settled) or dropped. A durable transport acknowledges after this.
   */
  delivered(): Promise<void>
  /** Reports trouble on the bridge's `errors` signal. */
  report(reason: BridgeErrorReason, detail: string, error?: unknown): void
}

/**
 * A way to move envelopes between bridges: Redis pub/sub, Redis Streams, a `BroadcastChannel`, or
 * your own. One transport serves one bridge.
 *
 * @remarks
 * - `messages: 'text'`: the bridge encodes each envelope with its codec and publishes a string;
 *   `receive` must be given strings. `maxMessageBytes` applies in both directions.
 * - `messages: 'structured'`: the bridge publishes the envelope object itself (for transports that
 *   copy objects, like `postMessage`'s structured clone); `receive` is given the copy.
 *
 * `publish` must not block; a transport that is down buffers (boundedly) and reports what it cannot
 * keep. `close` should settle in bounded time whatever the state of the connection. A transport delivers messages from other nodes and may also deliver the bridge's own (they are
 * dropped by origin). `open` resolves when the transport receives; {@link Bridge.ready} waits for it.
 *
 * @example
 * ```ts
 * import { Namespace } from 'signalry'
 * import { bridge, type BridgeTransport, type TransportLink } from 'signalry/bridge'
 *
 * // An in-memory transport: every message published by one node reaches all the others.
 * const links = new Set<TransportLink>()
 * function memory(): BridgeTransport {
 *   let mine: TransportLink | undefined
 *   return {
 *     messages: 'text',
 *     open(link) { mine = link; links.add(link) },
 *     publish(message) { for (const link of links) if (link !== mine) link.receive(message) },
 *     close() { if (mine) links.delete(mine) },
 *   }
 * }
 * const a = new Namespace(), b = new Namespace()
 * b.signal<string>('greet').connect((_, name) => console.log('b got', name))
 * using _a = bridge(a, memory()), _b = bridge(b, memory())
 * a.signal<string>('greet').send(undefined, 'ada') // Prints: b got ada
 * ```
 */
export interface BridgeTransport {
  /** Whether messages travel as codec-encoded text or as structured-cloned envelope objects. */
  readonly messages: 'text' | 'structured'
  /** Starts receiving; delivers to `link.receive`. May return a promise that settles when ready. */
  open(link: TransportLink): void | Promise<void>
  /** Publishes one message: a string for `'text'`, the envelope for `'structured'`. May throw synchronously. */
  publish(message: string | Envelope): void
  /** Stops receiving and releases connections; buffered messages are flushed first where possible. */
  close(): void | Promise<void>
  /**
   * Fills `bytes` with cryptographically strong random bytes. Optional: the bridge draws its node
   * and message ids from the global Web Crypto, and asks the transport only where the runtime has
   * none (Node 18 without `--experimental-global-webcrypto`); the Redis transports, which run on
   * Node only, supply `node:crypto`'s.
   */
  randomBytes?(bytes: Uint8Array): void
}
