// The cache of call plans (one per sender, merged with the ANY receivers) only holds senders that
// still have connections: a signal that meets many short-lived sender objects while its ANY
// receivers stay the same does not accumulate their bookkeeping.
import { Signal } from 'signalry'
import { collectGarbage, collectGarbageNow } from './helpers/garbageCollection'

async function heapAfterCollection(): Promise<number> {
  await collectGarbage()
  collectGarbageNow()
  return process.memoryUsage().heapUsed
}

test('100 000 short-lived senders, each connected, sent and disconnected, leave no bookkeeping behind', async () => {
  const sig = new Signal<number, object>()
  let calls = 0
  sig.connect(() => calls++) // an ANY receiver that never changes: the cached plans are never invalidated by it
  const receiver = () => calls++
  const cycle = (count: number) => {
    for (let i = 0; i < count; i++) {
      const sender = { id: i }
      sig.connect(receiver, { sender })
      sig.send(sender, i)
      sig.disconnect(receiver, { sender })
    }
  }
  cycle(10_000)
  const before = await heapAfterCollection()
  for (let round = 0; round < 10; round++) {
    cycle(10_000)
    await collectGarbage(1) // lets the sender objects and their WeakRefs go
  }
  const growth = (await heapAfterCollection()) - before
  expect(calls).toBe(2 * 110_000)
  expect(sig.receiverCount).toBe(1)
  // Keeping one sender group per sender would be well over 10 MB.
  expect(growth).toBeLessThan(2 * 2 ** 20)
}, 60_000)
