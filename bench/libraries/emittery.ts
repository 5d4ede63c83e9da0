// emittery: an async-first emitter; compared with signalry's sendAsync.
import Emittery from 'emittery'
import { payload, range, sink, type Payload, type Suite } from '../common.js'

type Listener = (payload: Payload) => void

function listener(k: number): Listener {
  return (p) => {
    sink.total += p.n + k
  }
}

export const suite: Suite = {
  name: 'emittery',
  kind: 'peer',
  cspSafe: true,
  emitAsync(receivers) {
    const emitter = new Emittery<{ event: Payload }>()
    for (const k of range(receivers)) emitter.on('event', listener(k))
    return async () => {
      await emitter.emit('event', payload)
    }
  },
  retain(listeners) {
    const emitter = new Emittery<{ event: unknown }>()
    for (const l of listeners) emitter.on('event', l as (data: unknown) => void)
    return emitter
  },
}
