import { MiniSignal } from 'mini-signals'
import { payload, range, sink, type Payload, type Suite } from '../common.js'

type Listener = (payload: Payload) => void

function listener(k: number): Listener {
  return (p) => {
    sink.total += p.n + k
  }
}

function connected(receivers: number): MiniSignal<[Payload]> {
  const signal = new MiniSignal<[Payload]>()
  for (const k of range(receivers)) signal.add(listener(k))
  return signal
}

export const suite: Suite = {
  name: 'mini-signals',
  kind: 'peer',
  cspSafe: true,
  emit(receivers) {
    const signal = connected(receivers)
    return () => signal.dispatch(payload)
  },
  churn(count) {
    const signal = connected(count)
    const extra = listener(-1)
    return () => {
      const binding = signal.add(extra)
      signal.detach(binding)
    }
  },
  retain(listeners) {
    const signal = new MiniSignal<[]>()
    for (const l of listeners) signal.add(l)
    return signal
  },
}
