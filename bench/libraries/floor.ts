// The floor: a plain array of functions and a for loop. Nothing is faster without doing less.
import { payload, range, sink, type Payload, type Suite } from '../common.js'

type Listener = (payload: Payload) => void

function listener(k: number): Listener {
  return (p) => {
    sink.total += p.n + k
  }
}

function emitAll(listeners: Listener[], p: Payload): boolean {
  for (let i = 0; i < listeners.length; i++) (listeners[i] as Listener)(p)
  return listeners.length > 0
}

export const suite: Suite = {
  name: 'plain array + for loop',
  kind: 'floor',
  cspSafe: true,
  emit(receivers) {
    const listeners = range(receivers).map(listener)
    return () => emitAll(listeners, payload)
  },
  churn(connected) {
    let listeners = range(connected).map(listener)
    const extra = listener(-1)
    return () => {
      listeners = listeners.concat(extra)
      listeners = listeners.filter((l) => l !== extra)
    }
  },
  filtered(senders) {
    // Sender filtering by hand: a WeakMap from sender object to its listeners.
    const bySender = new WeakMap<object, Listener[]>()
    const objects = range(senders).map((k) => ({ k }))
    for (const [k, sender] of objects.entries()) bySender.set(sender, [listener(k)])
    const target = objects[senders >> 1] as object
    return () => {
      const listeners = bySender.get(target)
      return listeners !== undefined && emitAll(listeners, payload)
    }
  },
  emitAsync(receivers) {
    const listeners = range(receivers).map(listener)
    return async () => {
      for (let i = 0; i < listeners.length; i++) await (listeners[i] as Listener)(payload)
    }
  },
  retain(listeners) {
    const list: unknown[] = []
    for (const l of listeners) list.push(l)
    return list
  },
}
