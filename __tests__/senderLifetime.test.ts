// A signal never keeps a sender object alive: connections for object senders are indexed in a
// WeakMap and hold the sender only weakly. Proven with the engine's own garbage collector.
import { Signal } from 'signalry'
import { collectedWithin } from './helpers/garbageCollection'

/** Connects `receiver` for a fresh sender object and returns only a weak reference to that sender. */
function connectForThrowawaySender(sig: Signal<void, object>, receiver: () => void): WeakRef<object> {
  const sender = { name: 'temporary' }
  sig.connect(receiver, { sender })
  sig.connect(receiver, { sender, priority: 2 })
  sig.send(sender)
  return new WeakRef(sender)
}

test('a sender object with connections can be garbage-collected while the signal lives', async () => {
  const sig = new Signal<void, object>()
  let calls = 0
  // Not a jest.fn(): a mock records its arguments, and so would keep the sender alive itself.
  const receiver = () => {
    calls++
  }
  const kept = { name: 'kept' }
  sig.connect(receiver, { sender: kept })
  const senderRef = connectForThrowawaySender(sig, receiver)
  expect(calls).toBe(1)
  expect(await collectedWithin(senderRef)).toBe(true)
  sig.send(kept)
  expect(calls).toBe(2)
})

test('a disconnected receiver\u2019s sender object can be garbage-collected too', async () => {
  const sig = new Signal<void, object>()
  const receiver = () => {}
  const senderRef = connectForThrowawaySender(sig, receiver)
  sig.disconnect(receiver)
  expect(sig.receiverCount).toBe(0)
  expect(await collectedWithin(senderRef)).toBe(true)
})

test('a live sender stays connected across garbage collections', async () => {
  const sig = new Signal<void, object>()
  const receiver = jest.fn()
  const sender = { name: 'live' }
  sig.connect(receiver, { sender })
  const unrelated = new WeakRef({})
  await collectedWithin(unrelated)
  sig.send(sender)
  expect(receiver).toHaveBeenCalledTimes(1)
  expect(sig.hasReceiversFor(sender)).toBe(true)
})
