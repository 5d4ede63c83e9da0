import { EventEmitter } from 'node:events'
import { payload, range, sink, type Payload, type Suite } from '../common.js'

type Listener = (payload: Payload) => void

function listener(k: number): Listener {
  return (p) => {
    sink.total += p.n + k
  }
}

function connected(receivers: number): EventEmitter {
  const ee = new EventEmitter()
  ee.setMaxListeners(0)
  for (const k of range(receivers)) ee.on('event', listener(k))
  return ee
}

export const suite: Suite = {
  name: 'node:events',
  kind: 'peer',
  cspSafe: true,
  emit(receivers) {
    const ee = connected(receivers)
    return () => ee.emit('event', payload)
  },
  churn(count) {
    const ee = connected(count)
    const extra = listener(-1)
    return () => {
      ee.on('event', extra)
      ee.off('event', extra)
    }
  },
  retain(listeners) {
    const ee = new EventEmitter()
    ee.setMaxListeners(0)
    for (const l of listeners) ee.on('event', l)
    return ee
  },
}
