// What every library's benchmark shares: the payload, the sink every listener adds to, and the
// shape of a library's suite. Each library module defines its own listeners and call sites, so the
// feedback V8 collects for one library never makes another's calls polymorphic.

/** The payload of every send; listeners read `n` from it. */
export interface Payload {
  n: number
}

export const payload: Payload = { n: 1 }

/** The sender object of every signalry send (peers have no senders). */
export const origin = { name: 'origin' }

/** Every listener adds to this, so no listener is dead code. */
export const sink = { total: 0 }

export type Bench = () => unknown
export type AsyncBench = () => Promise<unknown>

export interface Suite {
  /** The name in the tables (the npm package name, or a description for built-ins). */
  name: string
  /** 'floor' is the plain array + for loop every emitter is compared with. */
  kind: 'floor' | 'signalry' | 'peer'
  /** False for libraries that generate code with eval/new Function (not usable under a strict CSP). */
  cspSafe: boolean
  /** A function that emits once to `receivers` connected listeners. */
  emit?(receivers: number): Bench
  /** signalry only: `send()`, which collects results. */
  send?(receivers: number): Bench
  /** Connects and disconnects one listener while `connected` others stay connected. */
  churn?(connected: number): Bench
  /** A send to one of `senders` distinct object senders, each with one receiver of its own. */
  filtered?(senders: number): Bench
  /** An awaited async emit to `receivers` listeners; undefined when the library cannot do it. */
  emitAsync?(receivers: number): AsyncBench | undefined
  /** Connects every listener to a new emitter and returns what keeps the connections alive. */
  retain?(listeners: Array<() => void>): unknown
}

/** Named listeners, for libraries that need distinct functions. */
export function range(count: number): number[] {
  return Array.from({ length: count }, (_, k) => k)
}
