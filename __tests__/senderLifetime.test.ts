// A signal never keeps a sender object alive: connections for object senders are indexed in a
// WeakMap and hold the sender only weakly. Proven with the engine's own garbage collector.
import * as v8 from 'node:v8'
import * as vm from 'node:vm'
import { Signal } from 'signalry'

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Collects garbage until `ref` is cleared, in a bounded number of passes. Every `deref()` keeps its
 * target alive until the end of the current job, so each pass starts in a new macrotask.
 */
async function collectedWithin(ref: WeakRef<object>, passes = 20): Promise<boolean> {
  for (let pass = 0; pass < passes; pass++) {
    await nextMacrotask()
    gc()
    await nextMacrotask()
    if (ref.deref() === undefined) return true
  }
  return false
}

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
