// A bridge transport over BroadcastChannel: worker threads in Node, tabs and workers of one origin
// in browsers. Envelopes travel as structured clones, not JSON.

import type { Envelope } from './envelope'
import type { BridgeTransport, TransportLink } from './transport'
// Pure leaves, bundled into this entry (no state): the one validation template of the package.
import { assertOptionsObject, invalidArgument } from '../shared/validate'

/** The part of `BroadcastChannel` the transport uses. */
interface Channel {
  onmessage: ((event: { data: unknown }) => void) | null
  onmessageerror: ((event: unknown) => void) | null
  postMessage(message: unknown): void
  close(): void
}

/**
 * The options of {@link broadcastChannel}.
 *
 * @example
 * ```ts
 * import { BroadcastChannel } from 'node:worker_threads'
 * import type { BroadcastChannelOptions } from 'signalry/broadcast-channel'
 *
 * const options: BroadcastChannelOptions = { BroadcastChannel }
 * console.log(typeof options.BroadcastChannel) // Prints: function
 * ```
 */
export interface BroadcastChannelOptions {
  /** The `BroadcastChannel` class to use. Default: `globalThis.BroadcastChannel`. */
  BroadcastChannel?: {
    /** Opens a channel named `name`. */
    new (name: string): unknown
  }
}

/**
 * A bridge transport over a `BroadcastChannel` named `name`: every bridge on a channel of that name
 * in the same origin (browser tabs, workers) or the same Node process (main thread and
 * `worker_threads`) receives what the others publish.
 *
 * @remarks
 * Envelopes are structured clones, so payloads may hold `Date`, `Map`, `Set`, typed arrays and
 * cycles, but not functions or class instances' prototypes; a payload that cannot be cloned is
 * reported as `'encode-failed'` and not published. The bridge's `codec` and `maxMessageBytes` do not
 * apply. Delivery is asynchronous (a later task), in order per sending channel, and at-most-once:
 * nodes not listening at that moment miss it. An open channel keeps a Node process alive until the
 * bridge is closed.
 *
 * @param name - The channel name; every node of one application uses the same. Default `'signalry'`.
 * @param options - See {@link BroadcastChannelOptions}.
 * @returns A transport for `bridge()` (from `signalry/bridge`).
 * @throws TypeError for a bad name, or when there is no `BroadcastChannel` class.
 *
 * @example
 * ```ts
 * import { Namespace } from 'signalry'
 * import { bridge } from 'signalry/bridge'
 * import { broadcastChannel } from 'signalry/broadcast-channel'
 *
 * const tabA = new Namespace()
 * const tabB = new Namespace()
 * tabB.signal<Date>('clock.set').connect((_, at) => console.log(at instanceof Date, at.getUTCFullYear()))
 * const a = bridge(tabA, broadcastChannel('clock'))
 * const b = bridge(tabB, broadcastChannel('clock'))
 * tabA.signal<Date>('clock.set').send(undefined, new Date(Date.UTC(2030, 0, 1)))
 * await new Promise((resolve) => setTimeout(resolve, 50))
 * // Prints: true 2030
 * await Promise.all([a.close(), b.close()])
 * ```
 */
export function broadcastChannel(name = 'signalry', options: BroadcastChannelOptions = {}): BridgeTransport {
  if (typeof name !== 'string' || name.length === 0) {
    throw invalidArgument('broadcastChannel', 'a non-empty string as name', name)
  }
  assertOptionsObject('broadcastChannel', options as unknown, ['BroadcastChannel'])
  const ChannelClass =
    options.BroadcastChannel ??
    (globalThis as { BroadcastChannel?: new (name: string) => unknown }).BroadcastChannel
  if (typeof ChannelClass !== 'function') {
    throw new TypeError(
      'broadcastChannel() found no BroadcastChannel class in this runtime; pass one as option "BroadcastChannel" (Node: from "node:worker_threads")',
    )
  }
  let channel: Channel | undefined
  return {
    messages: 'structured',
    open(link: TransportLink): void {
      if (channel !== undefined)
        throw new Error('this broadcastChannel() transport is already open; make one transport per bridge')
      channel = new ChannelClass(name) as Channel
      channel.onmessage = (event) => link.receive(event.data)
      channel.onmessageerror = () =>
        link.report('decode-failed', `a message on BroadcastChannel "${name}" could not be deserialized`)
    },
    publish(message: string | Envelope): void {
      if (channel === undefined) throw new Error('the transport is not open')
      channel.postMessage(message)
    },
    close(): void {
      if (channel === undefined) return
      channel.onmessage = null
      channel.onmessageerror = null
      channel.close()
    },
  }
}
