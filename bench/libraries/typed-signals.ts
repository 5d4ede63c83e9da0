import { Signal } from 'typed-signals'
import { payload, range, sink, type Payload, type Suite } from '../common.js'

type Listener = (payload: Payload) => void

function listener(k: number): Listener {
  return (p) => {
    sink.total += p.n + k
  }
}

function connected(receivers: number): Signal<Listener> {
  const signal = new Signal<Listener>()
  for (const k of range(receivers)) signal.connect(listener(k))
  return signal
}

export const suite: Suite = {
  name: 'typed-signals',
  kind: 'peer',
  cspSafe: true,
  emit(receivers) {
    const signal = connected(receivers)
    return () => signal.emit(payload)
  },
  churn(count) {
    const signal = connected(count)
    const extra = listener(-1)
    return () => {
      const connection = signal.connect(extra)
      connection.disconnect()
    }
  },
  retain(listeners) {
    const signal = new Signal<() => void>()
    for (const l of listeners) signal.connect(l)
    return signal
  },
}
