// The scenarios of bench/patterns.ts, on one build of signalry: patterns.ts loads this module once per
// build (bench/builds.ts points its dist/ import at that build), so each build has its own call sites.
// The scenarios without wildcard receivers use only what the baseline build (before
// connectMatching) has too.
import { Namespace, Signal } from '../dist/index.js'
import type { Bench } from './builds.js'
import { origin, type Payload, payload, sink } from './common.js'

// 1000 wildcard receivers that all match give each new signal 1000 receivers: without this, each
// creation would also print the receiver-leak warning, and the warning is not what is measured.
Signal.defaultMaxReceivers = 0

function receiver(k: number): (sender: unknown, payload: Payload) => void {
  return (_sender, p) => {
    sink.total += p.n + k
  }
}

/** The same work as {@link receiver}'s, as a wildcard receiver (its payload is typed unknown). */
function wildcardReceiver(k: number): (sender: unknown, payload: unknown, name: string | symbol) => void {
  return (_sender, p) => {
    sink.total += (p as Payload).n + k
  }
}

/** Names of signals, `sig.0` … : made once, so that making a name is not part of what is timed. */
const names = Array.from({ length: 10_000 }, (_, k) => `sig.${k}`)

/**
 * `ns.signal(name)` for a name not created yet: each call gets a name its namespace does not have;
 * every `perNamespace` names a new namespace, made (and given `prepare`'s subscriptions) outside the
 * timed region.
 */
export function create(prepare: (ns: Namespace) => void, perNamespace = 1000): Bench {
  let ns: Namespace
  let used = perNamespace
  return {
    next: () => {
      if (used === perNamespace) {
        ns = new Namespace()
        prepare(ns)
        used = 0
      }
      return { ns, name: names[used++] as string }
    },
    run: ({ ns, name }: { ns: Namespace; name: string }) => ns.signal(name),
  }
}

/** `ns.signal(name)` for a name that exists (a lookup). */
export function lookup(): Bench {
  const ns = new Namespace()
  for (const name of names.slice(0, 100)) ns.signal(name)
  return () => ns.signal('sig.50')
}

/** Connects and disconnects one receiver of a named signal. */
export function churn(): Bench {
  const sig = new Namespace().signal<Payload>('sig.0')
  const extra = receiver(-1)
  return () => {
    sig.connect(extra)
    sig.disconnect(extra)
  }
}

/** A named signal with `receivers` direct receivers. */
function connected(receivers: number) {
  const sig = new Namespace().signal<Payload>('sig.0')
  for (let k = 0; k < receivers; k++) sig.connect(receiver(k))
  return sig
}

export function send(receivers: number): Bench {
  const sig = connected(receivers)
  return () => sig.send(origin, payload)
}

export function emit(receivers: number): Bench {
  const sig = connected(receivers)
  return () => sig.emit(origin, payload)
}

// ---------------------------------------------------------------------------------------------
// With wildcard receivers (this build only).

/** Gives `ns` `count` wildcard subscriptions of `pattern(k)`, each with a receiver of its own. */
export function subscribe(ns: Namespace, count: number, pattern: (k: number) => string): void {
  for (let k = 0; k < count; k++) ns.connectMatching(pattern(k), wildcardReceiver(k))
}

/**
 * A send of one signal of a namespace of `signals` signals, all reached by one wildcard receiver
 * (`'*'`), which is the sent signal's only receiver.
 */
export function sendAmong(signals: number, how: 'send' | 'emit' = 'send'): Bench {
  const ns = new Namespace()
  subscribe(ns, 1, () => '*')
  for (let k = 0; k < signals; k++) ns.signal(`sig.${k}`)
  const sig = ns.signal<Payload>(`sig.${signals >> 1}`)
  if (sig.receiverCount !== 1)
    throw new Error(`expected the wildcard receiver only, got ${sig.receiverCount}`)
  return how === 'send' ? () => sig.send(origin, payload) : () => sig.emit(origin, payload)
}

/** A send of a named signal whose one receiver is connected directly (`'direct'`) or by `connectMatching('*')`. */
export function sendToOne(via: 'direct' | 'wildcard', how: 'send' | 'emit'): Bench {
  const ns = new Namespace()
  if (via === 'wildcard') subscribe(ns, 1, () => '*')
  const sig = ns.signal<Payload>('sig.0')
  if (via === 'direct') sig.connect(receiver(0))
  if (sig.receiverCount !== 1) throw new Error(`expected one receiver, got ${sig.receiverCount}`)
  return how === 'send' ? () => sig.send(origin, payload) : () => sig.emit(origin, payload)
}
