// signalry itself, from the built package (dist/), the way users get it.
import { Signal } from '../../dist/index.js'
import { origin, payload, range, sink, type Payload, type Suite } from '../common.js'

type Receiver = (sender: unknown, payload: Payload) => void

function receiver(k: number): Receiver {
  return (_sender, p) => {
    sink.total += p.n + k
  }
}

function connected(receivers: number): Signal<Payload, unknown> {
  const sig = new Signal<Payload, unknown>()
  for (const k of range(receivers)) sig.connect(receiver(k))
  return sig
}

export const suite: Suite = {
  name: 'signalry',
  kind: 'signalry',
  cspSafe: true,
  emit(receivers) {
    const sig = connected(receivers)
    return () => sig.emit(origin, payload)
  },
  send(receivers) {
    const sig = connected(receivers)
    return () => sig.send(origin, payload)
  },
  churn(count) {
    const sig = connected(count)
    const extra = receiver(-1)
    return () => {
      sig.connect(extra)
      sig.disconnect(extra)
    }
  },
  filtered(senders) {
    const sig = new Signal<Payload, object>()
    const objects = range(senders).map((k) => ({ k }))
    for (const [k, sender] of objects.entries()) sig.connect(receiver(k), { sender })
    const target = objects[senders >> 1] as object
    return () => sig.send(target, payload)
  },
  emitAsync(receivers) {
    const sig = connected(receivers)
    return async () => {
      await sig.sendAsync(origin, payload)
    }
  },
  retain(listeners) {
    const sig = new Signal()
    for (const l of listeners) sig.connect(l)
    return sig
  },
}

/** signalry's `emit` for the sender-filtered scenario (the suite's `filtered` uses `send`). */
export function filteredEmit(senders: number): () => unknown {
  const sig = new Signal<Payload, object>()
  const objects = range(senders).map((k) => ({ k }))
  for (const [k, sender] of objects.entries()) sig.connect(receiver(k), { sender })
  const target = objects[senders >> 1] as object
  return () => sig.emit(target, payload)
}
