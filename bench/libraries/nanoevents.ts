import { createNanoEvents, type Emitter } from 'nanoevents'
import { payload, range, sink, type Payload, type Suite } from '../common.js'

type Listener = (payload: Payload) => void
type Events = { event: Listener }

function listener(k: number): Listener {
  return (p) => {
    sink.total += p.n + k
  }
}

function connected(receivers: number): Emitter<Events> {
  const emitter = createNanoEvents<Events>()
  for (const k of range(receivers)) emitter.on('event', listener(k))
  return emitter
}

export const suite: Suite = {
  name: 'nanoevents',
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
      const unbind = emitter.on('event', extra)
      unbind()
    }
  },
  retain(listeners) {
    const emitter = createNanoEvents<{ event: () => void }>()
    for (const l of listeners) emitter.on('event', l)
    return emitter
  },
}
