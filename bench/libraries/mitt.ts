import mitt, { type Emitter } from 'mitt'
import { payload, range, sink, type Payload, type Suite } from '../common.js'

type Listener = (payload: Payload) => void
type Events = { event: Payload }

function listener(k: number): Listener {
  return (p) => {
    sink.total += p.n + k
  }
}

function connected(receivers: number): Emitter<Events> {
  const emitter = mitt<Events>()
  for (const k of range(receivers)) emitter.on('event', listener(k))
  return emitter
}

export const suite: Suite = {
  name: 'mitt',
  kind: 'peer',
  cspSafe: true,
  emit(receivers) {
    const emitter = connected(receivers)
    return () => emitter.emit('event', payload)
  },
  churn(count) {
    const emitter = connected(count)
    const extra = listener(-1)
    return () => {
      emitter.on('event', extra)
      emitter.off('event', extra)
    }
  },
  retain(listeners) {
    const emitter = mitt<{ event: unknown }>()
    for (const l of listeners) emitter.on('event', l as (event: unknown) => void)
    return emitter
  },
}
