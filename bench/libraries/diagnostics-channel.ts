// node:diagnostics_channel: Node's built-in publish/subscribe, channels looked up by name.
import diagnosticsChannel from 'node:diagnostics_channel'
import { payload, range, sink, type Payload, type Suite } from '../common.js'

type Listener = (message: unknown, name: string | symbol) => void

function listener(k: number): Listener {
  return (message) => {
    sink.total += (message as Payload).n + k
  }
}

// Channel names are process-wide: every channel here gets a name of its own.
let channels = 0
function connected(receivers: number): diagnosticsChannel.Channel {
  const channel = diagnosticsChannel.channel(`signalry.bench.${channels++}`)
  for (const k of range(receivers)) channel.subscribe(listener(k))
  return channel
}

export const suite: Suite = {
  name: 'node:diagnostics_channel',
  kind: 'peer',
  cspSafe: true,
  emit(receivers) {
    const channel = connected(receivers)
    return () => channel.publish(payload)
  },
  churn(count) {
    const channel = connected(count)
    const extra = listener(-1)
    return () => {
      channel.subscribe(extra)
      channel.unsubscribe(extra)
    }
  },
  retain(listeners) {
    const channel = diagnosticsChannel.channel(`signalry.bench.${channels++}`)
    for (const l of listeners) channel.subscribe(l as unknown as Listener)
    return channel
  },
}
