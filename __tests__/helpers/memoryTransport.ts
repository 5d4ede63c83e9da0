// An in-memory bridge transport for tests: what one node publishes reaches every other node of the
// same hub (and, like Redis pub/sub, the publishing node too, so echo suppression is exercised).
import { Namespace } from 'signalry'
import {
  type BridgeError,
  type BridgeTransport,
  bridge,
  type Envelope,
  type TransportLink,
} from 'signalry/bridge'

export class MemoryHub {
  readonly links = new Set<TransportLink>()
  readonly published: Array<string | Envelope> = []
  /** When set, messages wait here until flush() instead of being delivered at once. */
  held: Array<string | Envelope> | undefined

  transport(messages: 'text' | 'structured' = 'text'): BridgeTransport {
    let mine: TransportLink | undefined
    return {
      messages,
      open: (link) => {
        mine = link
        this.links.add(link)
      },
      publish: (message) => {
        this.published.push(message)
        if (this.held) this.held.push(message)
        else this.deliver(message)
      },
      close: () => {
        if (mine) this.links.delete(mine)
      },
    }
  }

  /** Delivers a raw message to every node, as if someone published it on the wire. */
  deliver(message: unknown): void {
    for (const link of [...this.links]) link.receive(message)
  }

  flush(): void {
    const held = this.held ?? []
    this.held = []
    for (const message of held) this.deliver(message)
  }
}

/** A bridged node on `hub`: its namespace, its bridge, and every report its bridge made. */
export function bridgedNode(
  hub: MemoryHub,
  nodeId: string,
  options: Parameters<typeof bridge>[2] = {},
  ns = new Namespace(),
) {
  const link = bridge(ns, hub.transport(), { nodeId, ...options })
  const errors: BridgeError[] = []
  link.errors.connect((_, error) => errors.push(error))
  return { ns, link, errors }
}
