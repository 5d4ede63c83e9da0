// tseep generates its emit functions with `new Function`: fast, but not allowed under a strict CSP.
import { EventEmitter } from 'tseep'
import { payload, range, sink, type Payload, type Suite } from '../common.js'

type Listener = (payload: Payload) => void

function listener(k: number): Listener {
  return (p) => {
    sink.total += p.n + k
  }
}

function connected(receivers: number): EventEmitter<{ event: Listener }> {
  const ee = new EventEmitter<{ event: Listener }>()
  for (const k of range(receivers)) ee.on('event', listener(k))
  return ee
}

export const suite: Suite = {
  name: 'tseep',
  kind: 'peer',
  cspSafe: false,
  emit(receivers) {
    const ee = connected(receivers)
    return () => ee.emit('event', payload)
  },
  churn(count) {
    const ee = connected(count)
    const extra = listener(-1)
    return () => {
      ee.on('event', extra)
      ee.removeListener('event', extra)
    }
  },
  retain(listeners) {
    const ee = new EventEmitter<{ event: () => void }>()
    for (const l of listeners) ee.on('event', l)
    return ee
  },
}
