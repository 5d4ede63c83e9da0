// A connection that ends lets go of its receiver: after disconnect, `once`, abort or the end of a
// scope, the signal keeps no reference to the receiver, even though sends for other senders had put
// it in their cached call plans. Proven with the engine's own garbage collector.
// (Found by the soak: receivers closing over their sender chained old plans together, and the heap
// grew by about 140 bytes per send.)
import { Signal } from 'signalry'
import { collectedWithin } from './helpers/garbageCollection'

type Ending = 'disconnect' | 'disconnect for ANY' | 'once' | 'abort' | 'scope'

/**
 * Connects a fresh receiver for every sender, sends for `sender` (which caches a plan with it), ends
 * the connection the given way, and returns only a weak reference to the receiver.
 */
function connectAndEnd(sig: Signal<void, object>, sender: object, ending: Ending): WeakRef<object> {
  let calls = 0
  const receiver = () => {
    calls++
  }
  const controller = new AbortController()
  if (ending === 'scope') {
    sig.connectedTo(receiver, () => sig.send(sender))
  } else {
    sig.connect(receiver, { once: ending === 'once', signal: controller.signal })
    sig.send(sender)
    if (ending === 'disconnect') sig.disconnect(receiver)
    if (ending === 'disconnect for ANY') sig.disconnect(receiver, { sender: Symbol.for('signalry.ANY') as never })
    if (ending === 'abort') controller.abort()
  }
  expect(calls).toBe(1)
  return new WeakRef(receiver)
}

test.each<Ending>(['disconnect', 'disconnect for ANY', 'once', 'abort', 'scope'])(
  'a receiver for every sender is released after its connection ends (%s), though a sender plan had it',
  async (ending) => {
    const sig = new Signal<void, object>()
    const sender = { name: 'kept' }
    let senderCalls = 0
    sig.connect(() => senderCalls++, { sender })
    const ref = connectAndEnd(sig, sender, ending)
    expect(sig.receiverCount).toBe(1)
    expect(await collectedWithin(ref)).toBe(true)
    expect(senderCalls).toBe(1)
    sig.send(sender)
    expect(senderCalls).toBe(2)
  },
)

test('a receiver for one sender is released after it is disconnected, though no send followed', async () => {
  const sig = new Signal<void, string>()
  const other = () => {}
  sig.connect(other, { sender: 'a' })
  const ref = ((): WeakRef<object> => {
    const receiver = () => {}
    sig.connect(receiver, { sender: 'a' })
    sig.send('a')
    sig.disconnect(receiver, { sender: 'a' })
    return new WeakRef(receiver)
  })()
  expect(await collectedWithin(ref)).toBe(true)
  expect(sig.receiversFor('a')).toEqual([other])
})
