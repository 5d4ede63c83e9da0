// Lifetimes with the engine's own garbage collector: weak receivers, owner-scoped connections,
// disconnectOwner, and sender objects that are collected. GC is never assumed synchronous: every
// check forces a collection in a new macrotask and repeats, a bounded number of times.
//
// Receivers here are plain functions created inside helper functions, never jest.fn() (a mock
// records its calls and would keep arguments alive) and never inline in a test body (closures of
// one scope share a context, which could keep a "dropped" function alive).
import * as vm from 'node:vm'
import { ANY, disconnectOwner, type DisconnectInfo, Namespace, Signal, signal } from 'signalry'
import { reasonsOf } from '../helpers/disconnectReasons'
import { collectedWithin, collectGarbage, eventually } from '../helpers/garbageCollection'

type Reasons = Array<DisconnectInfo['reason']>

/** Connects a fresh receiver weakly and returns only a WeakRef to it. */
function connectThrowawayWeakReceiver(
  sig: Signal<void, unknown>,
  calls: string[],
  options: object = {},
): WeakRef<object> {
  const receiver = () => {
    calls.push('weak')
  }
  sig.connect(receiver, { weak: true, ...options })
  return new WeakRef(receiver)
}

class Widget {
  refreshed = 0
  constructor(readonly name: string) {}
  refresh(): void {
    this.refreshed++
  }
}

/** Makes a widget connected with an owner-scoped receiver that closes over it; returns a WeakRef. */
function connectThrowawayWidget(sig: Signal<void, unknown>, log: string[]): WeakRef<Widget> {
  const widget = new Widget('throwaway')
  sig.connect(
    () => {
      widget.refresh()
      log.push(widget.name)
    },
    { owner: widget },
  )
  sig.send()
  return new WeakRef(widget)
}

describe('weak receivers', () => {
  test('a weak receiver with no other reference stops being called and is gone from receiverCount', async () => {
    const sig = new Signal()
    const reasons = reasonsOf(sig)
    const calls: string[] = []
    const receiverRef = connectThrowawayWeakReceiver(sig, calls)
    sig.send()
    expect(calls).toEqual(['weak'])
    expect(sig.receiverCount).toBe(1)

    expect(await collectedWithin(receiverRef)).toBe(true)
    expect(sig.receiverCount).toBe(0)
    expect(sig.hasReceiversFor(undefined)).toBe(false)
    expect(sig.receiversFor(undefined)).toEqual([])
    sig.send()
    expect(calls).toEqual(['weak'])
    expect(reasons).toEqual(['collected'])
  })

  test('a collected weak receiver is removed between sends by the finalization callback, without any read', async () => {
    const sig = new Signal()
    const reasons = reasonsOf(sig)
    connectThrowawayWeakReceiver(sig, [])
    // Nothing reads the signal here: only the FinalizationRegistry can report the removal.
    expect(await eventually(() => reasons.length > 0)).toBe(true)
    expect(reasons).toEqual(['collected'])
  })

  test('a weak receiver the caller still holds keeps working across many forced collections', async () => {
    const sig = new Signal()
    let calls = 0
    const held = () => {
      calls++
    }
    sig.connect(held, { weak: true })
    for (let round = 0; round < 10; round++) {
      await collectGarbage(2)
      sig.send()
    }
    expect(calls).toBe(10)
    expect(sig.receiverCount).toBe(1)
    expect(sig.receiversFor(undefined)).toEqual([held])
  })

  test('a weak receiver connected for a sender is skipped and pruned like one for ANY', async () => {
    const sig = new Signal<void, string>()
    const reasons = reasonsOf(sig)
    const calls: string[] = []
    const receiverRef = connectThrowawayWeakReceiver(sig as Signal<void, unknown>, calls, { sender: 'db' })
    sig.send('db')
    expect(await collectedWithin(receiverRef)).toBe(true)
    expect(sig.hasReceiversFor('db')).toBe(false)
    sig.send('db')
    expect(calls).toEqual(['weak'])
    expect(sig.receiverCount).toBe(0)
    expect(reasons).toEqual(['collected'])
  })

  test('an explicit disconnect of a weak receiver is reported once, and its later collection reports nothing', async () => {
    const sig = new Signal()
    const reasons = reasonsOf(sig)
    const receiverRef = (() => {
      const receiver = () => {}
      sig.connect(receiver, { weak: true })
      sig.disconnect(receiver)
      return new WeakRef(receiver)
    })()
    expect(await collectedWithin(receiverRef)).toBe(true)
    await collectGarbage(3)
    expect(reasons).toEqual(['disconnected'])
  })

  test('connecting a weak receiver again without weak holds it strongly from then on (last options win)', async () => {
    const sig = new Signal()
    const calls: string[] = []
    const receiverRef = (() => {
      const receiver = () => {
        calls.push('kept')
      }
      sig.connect(receiver, { weak: true })
      sig.connect(receiver)
      return new WeakRef(receiver)
    })()
    expect(await collectedWithin(receiverRef, 8)).toBe(false)
    sig.send()
    expect(calls).toEqual(['kept'])
    expect(sig.receiverCount).toBe(1)
  })

  test('connecting a strong receiver again with weak lets it be collected', async () => {
    const sig = new Signal()
    const reasons = reasonsOf(sig)
    const receiverRef = (() => {
      const receiver = () => {}
      sig.connect(receiver)
      sig.connect(receiver, { weak: true })
      return new WeakRef(receiver)
    })()
    expect(await collectedWithin(receiverRef)).toBe(true)
    expect(sig.receiverCount).toBe(0)
    expect(reasons).toEqual(['collected'])
  })

  test('a weak once receiver still runs at most once', () => {
    const sig = new Signal()
    let calls = 0
    const receiver = () => {
      calls++
    }
    sig.connect(receiver, { weak: true, once: true })
    sig.send()
    sig.send()
    expect(calls).toBe(1)
    expect(sig.receiverCount).toBe(0)
  })

  test('a weak receiver keeps its place in the call order among strong ones', () => {
    const sig = new Signal()
    const order: string[] = []
    const strongFirst = () => order.push('strong first')
    const weak = () => order.push('weak')
    const strongLast = () => order.push('strong last')
    sig.connect(strongFirst, { priority: 1 })
    sig.connect(strongLast, { priority: -1 })
    sig.connect(weak, { weak: true })
    sig.send()
    expect(order).toEqual(['strong first', 'weak', 'strong last'])
  })
})

describe('owner-scoped connections', () => {
  test('a receiver that closes over its owner does not keep the owner alive, and the connection ends with it', async () => {
    const sig = new Signal()
    const reasons = reasonsOf(sig)
    const log: string[] = []
    const widgetRef = connectThrowawayWidget(sig, log)
    expect(log).toEqual(['throwaway'])
    expect(sig.receiverCount).toBe(1)

    expect(await collectedWithin(widgetRef)).toBe(true)
    expect(sig.receiverCount).toBe(0)
    expect(sig.hasReceiversFor(undefined)).toBe(false)
    sig.send()
    expect(log).toEqual(['throwaway'])
    expect(reasons).toEqual(['owner-collected'])
  })

  test('a live owner keeps its receiver alive even though nothing else references the receiver', async () => {
    const sig = new Signal()
    const widget = new Widget('live')
    // An inline arrow, referenced only through the owner's connection.
    sig.connect(() => widget.refresh(), { owner: widget })
    for (let round = 0; round < 5; round++) {
      await collectGarbage(2)
      sig.send()
    }
    expect(widget.refreshed).toBe(5)
    expect(sig.receiverCount).toBe(1)
  })

  test('the bound-method recipe: a component connects its method with itself as owner', async () => {
    const sig = new Signal<number>()
    class Counter {
      total = 0
      constructor(source: Signal<number>) {
        source.connect((_, amount) => this.add(amount), { owner: this })
      }
      add(amount: number): void {
        this.total += amount
      }
    }
    const counter = new Counter(sig)
    sig.send(undefined, 2)
    sig.send(undefined, 3)
    expect(counter.total).toBe(5)
    const counterRef = (() => new WeakRef(new Counter(sig)))()
    expect(sig.receiverCount).toBe(2)
    expect(await collectedWithin(counterRef)).toBe(true)
    expect(sig.receiverCount).toBe(1)
  })

  test('a shared function connected with an owner ends with the owner while the function lives on', async () => {
    const sig = new Signal()
    const reasons = reasonsOf(sig)
    let calls = 0
    const shared = () => {
      calls++
    }
    const ownerRef = (() => {
      const owner = {}
      sig.connect(shared, { owner })
      return new WeakRef(owner)
    })()
    sig.send()
    expect(await collectedWithin(ownerRef)).toBe(true)
    sig.send()
    expect(calls).toBe(1)
    expect(sig.receiverCount).toBe(0)
    expect(reasons).toEqual(['owner-collected'])
    // The function can be connected again afterwards, as a new connection.
    sig.connect(shared)
    sig.send()
    expect(calls).toBe(2)
  })

  test('owner and weak together: the connection ends when either is collected', async () => {
    const sig = new Signal()
    const owner = {}
    const receiverRef = connectThrowawayWeakReceiver(sig, [], { owner })
    expect(await collectedWithin(receiverRef)).toBe(true)
    expect(sig.receiverCount).toBe(0)
    expect(disconnectOwner(owner)).toBe(0)
  })
})

describe('disconnectOwner', () => {
  test('disconnectOwner removes an owner\u2019s connections on several signals and namespaces and returns how many', () => {
    const owner = { name: 'panel' }
    const other = { name: 'other' }
    const first = new Signal<void, string>()
    const second = new Namespace().signal('x')
    const third = signal('lifetimes.disconnectOwner.third')
    const reasons = [reasonsOf(first), reasonsOf(second), reasonsOf(third)]
    const calls: string[] = []
    first.connect(() => calls.push('first'), { owner })
    first.connect(() => calls.push('first for db'), { owner, sender: 'db' })
    second.connect(() => calls.push('second'), { owner })
    third.connect(() => calls.push('third'), { owner, weak: false })
    third.connect(() => calls.push('other'), { owner: other })
    third.connect(() => calls.push('strong'))

    expect(disconnectOwner(owner)).toBe(4)
    first.send('db')
    second.send()
    third.send()
    expect(calls).toEqual(['other', 'strong'])
    expect(reasons).toEqual([['owner-disposed', 'owner-disposed'], ['owner-disposed'], ['owner-disposed']])
    expect(disconnectOwner(owner)).toBe(0)
    expect(third.receiverCount).toBe(2)
  })

  test('connections an owner makes after disconnectOwner are kept until the next call', () => {
    const owner = {}
    const sig = new Signal()
    let calls = 0
    sig.connect(() => calls++, { owner })
    disconnectOwner(owner)
    sig.connect(() => calls++, { owner })
    sig.send()
    expect(calls).toBe(1)
    expect(disconnectOwner(owner)).toBe(1)
  })

  test('an owner whose connections were all disconnected one by one has nothing left to dispose', () => {
    const owner = {}
    const sig = new Signal()
    const receiver = () => {}
    sig.connect(receiver, { owner })
    sig.disconnect(receiver)
    expect(disconnectOwner(owner)).toBe(0)
  })

  test('reconnecting with another owner moves the connection to that owner', () => {
    const before = {}
    const after = {}
    const sig = new Signal()
    const receiver = () => {}
    sig.connect(receiver, { owner: before })
    sig.connect(receiver, { owner: after })
    expect(disconnectOwner(before)).toBe(0)
    expect(sig.receiverCount).toBe(1)
    expect(disconnectOwner(after)).toBe(1)
  })

  test('disconnectOwner rejects what cannot own connections, and changes nothing', () => {
    const sig = new Signal()
    sig.connect(() => {}, { owner: {} })
    for (const bad of [undefined, null, 1, 'owner', Symbol('owner'), true]) {
      expect(() => disconnectOwner(bad as never)).toThrow(TypeError)
    }
    expect(() => disconnectOwner(null as never)).toThrow(
      'disconnectOwner() expects an object or function as owner, got null',
    )
    expect(sig.receiverCount).toBe(1)
  })

  test('a throwing receiverDisconnected receiver does not stop disconnectOwner from removing everything', () => {
    const owner = {}
    const a = new Signal()
    const b = new Signal()
    a.receiverDisconnected.connect(() => {
      throw new Error('audit failed')
    })
    a.connect(() => {}, { owner })
    b.connect(() => {}, { owner })
    expect(() => disconnectOwner(owner)).toThrow('audit failed')
    expect(a.receiverCount).toBe(0)
    expect(b.receiverCount).toBe(0)
  })
})

describe('object senders', () => {
  /** Connects receivers for a fresh sender object; returns only a WeakRef to the sender. */
  function connectForThrowawaySender(sig: Signal<void, object>, receiver: () => void): WeakRef<object> {
    const sender = {}
    sig.connect(receiver, { sender })
    sig.send(sender)
    return new WeakRef(sender)
  }

  test('when a sender object is collected its sender-specific connections go with it', async () => {
    const sig = new Signal<void, object>()
    const reasons = reasonsOf(sig)
    let calls = 0
    const receiver = () => {
      calls++
    }
    sig.connect(receiver)
    const senderRef = connectForThrowawaySender(sig, receiver)
    expect(sig.receiverCount).toBe(2)
    expect(await collectedWithin(senderRef)).toBe(true)
    // Counted until the finalization callback has run (a sender cannot be asked about once gone).
    expect(await eventually(() => sig.receiverCount === 1)).toBe(true)
    expect(calls).toBe(1)
    expect(reasons).toEqual(['sender-collected'])
    sig.send({})
    expect(calls).toBe(2)
  })
})

// blinker's GC-dependent upstream tests (reference/blinker.md §2), adapted: in blinker a dead weak
// receiver or sender is dropped silently; signalry reports it on receiverDisconnected with a reason.
describe('blinker upstream, GC-dependent parts', () => {
  test('a weak receiver is removed completely once collected (test_weak_receiver)', async () => {
    const sig = new Signal()
    const calls: string[] = []
    const receiverRef = connectThrowawayWeakReceiver(sig, calls)
    expect(await collectedWithin(receiverRef)).toBe(true)
    expect(sig.send()).toEqual([])
    expect(calls).toEqual([])
    expect(sig.receiverCount).toBe(0)
  })

  test('a collected weak receiver is reported with reason collected, where blinker reports nothing (test_signal_weak_receiver_vanishes)', async () => {
    const sig = new Signal()
    const events: DisconnectInfo<void>[] = []
    sig.receiverDisconnected.connect((_, info) => {
      events.push(info)
    })
    const kept = () => {}
    sig.connect(kept, { weak: true })
    sig.disconnect(kept)
    expect(events.map(({ reason }) => reason)).toEqual(['disconnected'])
    const receiverRef = connectThrowawayWeakReceiver(sig, [])
    expect(await collectedWithin(receiverRef)).toBe(true)
    expect(await eventually(() => events.length === 2)).toBe(true)
    expect(events[1]).toEqual({ receiver: undefined, sender: ANY, reason: 'collected' })
  })

  test('an instance method connected with its instance as owner goes with the instance (test_instancemethod_receiver)', async () => {
    const sig = new Signal()
    const log: string[] = []
    const widgetRef = connectThrowawayWidget(sig, log)
    sig.send()
    expect(log).toEqual(['throwaway', 'throwaway'])
    expect(await collectedWithin(widgetRef)).toBe(true)
    sig.send()
    expect(log).toEqual(['throwaway', 'throwaway'])
  })

  test('a receiver filtered on a collected sender is cleaned up, where blinker keeps it in its index (test_filtered_receiver_weakref)', async () => {
    const sig = new Signal<void, object>()
    const seen: object[] = []
    const received = (sender: object) => {
      seen.push(sender)
    }
    const senderRef = (() => {
      const obj = {}
      sig.connect(received, { sender: obj })
      sig.send(obj)
      return new WeakRef(obj)
    })()
    expect(seen).toHaveLength(1)
    seen.length = 0
    expect(await collectedWithin(senderRef)).toBe(true)
    expect(await eventually(() => sig.receiverCount === 0)).toBe(true)
    expect(sig.hasReceiversFor(ANY)).toBe(false)
  })

  test('a collected sender object ends its connections with reason sender-collected, where blinker reports nothing (test_signal_signals_weak_sender)', async () => {
    const sig = new Signal<void, object>()
    const events: DisconnectInfo<void, object>[] = []
    sig.receiverDisconnected.connect((_, info) => {
      events.push(info)
    })
    const receiver2 = () => {}
    const senderRef = (() => {
      const sender2 = {}
      sig.connect(receiver2, { sender: sender2 })
      return new WeakRef(sender2)
    })()
    expect(await collectedWithin(senderRef)).toBe(true)
    expect(await eventually(() => events.length === 1)).toBe(true)
    expect(events[0]?.reason).toBe('sender-collected')
    expect(events[0]?.receiver).toBe(receiver2)
    expect(events[0]?.sender).toBeUndefined()
  })

  test('hasReceiversFor is false once the only weak receiver is collected (test_has_receivers, GC part)', async () => {
    const sig = new Signal<void, object>()
    const o = {}
    const receiverRef = connectThrowawayWeakReceiver(sig as Signal<void, unknown>, [], { sender: o })
    expect(sig.hasReceiversFor(o)).toBe(true)
    expect(await collectedWithin(receiverRef)).toBe(true)
    expect(sig.hasReceiversFor(o)).toBe(false)
    expect(sig.hasReceiversFor(ANY)).toBe(false)
  })
})

test('every collected weak receiver is reported even when a receiverDisconnected receiver throws', async () => {
  const sig = new Signal()
  const reasons: Reasons = []
  let reading = false
  sig.receiverDisconnected.connect((_, { reason }) => {
    reasons.push(reason)
    // Throws only inside the read below: a finalization callback that got there first reports
    // without an error (its errors surface as uncaught ones, which would end this test file).
    if (reading) throw new Error('audit failed')
  })
  const refs = [connectThrowawayWeakReceiver(sig, []), connectThrowawayWeakReceiver(sig, [])]
  for (const ref of refs) expect(await collectedWithin(ref)).toBe(true)
  reading = true
  let thrown: unknown
  try {
    void sig.receiverCount
  } catch (error) {
    thrown = error
  }
  reading = false
  // Whichever removals the read found were all reported before it threw its first error.
  expect(reasons).toEqual(['collected', 'collected'])
  if (thrown !== undefined) expect((thrown as Error).message).toBe('audit failed')
  expect(sig.receiverCount).toBe(0)
})

test('sendRobust that prunes a collected receiver surfaces a throwing receiverDisconnected receiver as an uncaught error, not silently', async () => {
  const sig = new Signal()
  let calls = 0
  sig.receiverDisconnected.connect(() => {
    calls++
    throw new Error('audit failed')
  })
  const receiverRef = connectThrowawayWeakReceiver(sig, [])
  // Collect and send in one task, so that the send (not the finalization callback, which runs in a
  // later task) finds the receiver dead. A new macrotask first: a WeakRef made in this job keeps its
  // target alive until the job ends.
  const gc = vm.runInNewContext('gc') as () => void
  let collected = false
  for (let pass = 0; pass < 20 && !collected; pass++) {
    await new Promise((resolve) => setImmediate(resolve))
    gc()
    collected = receiverRef.deref() === undefined
  }
  expect(collected).toBe(true)
  const deferredErrors: Array<() => void> = []
  const queue = jest.spyOn(globalThis, 'queueMicrotask').mockImplementation((callback) => {
    deferredErrors.push(callback)
  })
  let outcomes: unknown
  try {
    outcomes = sig.sendRobust()
  } finally {
    queue.mockRestore()
  }
  expect(outcomes).toEqual([])
  expect(calls).toBe(1)
  expect(deferredErrors).toHaveLength(1)
  expect(() => deferredErrors[0]?.()).toThrow('audit failed')
})

// A signal never keeps a sender object alive: connections for object senders are indexed in a
// WeakMap and hold the sender only weakly. Proven with the engine's own garbage collector.
/** Connects `receiver` for a fresh sender object and returns only a weak reference to that sender. */
function connectForThrowawaySender(sig: Signal<void, object>, receiver: () => void): WeakRef<object> {
  const sender = { name: 'temporary' }
  sig.connect(receiver, { sender })
  sig.connect(receiver, { sender, priority: 2 })
  sig.send(sender)
  return new WeakRef(sender)
}

describe('sender objects are held weakly', () => {
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
})

// A connection that ends lets go of its receiver: after disconnect, `once`, abort or the end of a
// scope, the signal keeps no reference to the receiver, even though sends for other senders had put
// it in their cached call plans. Proven with the engine's own garbage collector.
// (Found by the soak: receivers closing over their sender chained old plans together, and the heap
// grew by about 140 bytes per send.)
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
    if (ending === 'disconnect for ANY')
      sig.disconnect(receiver, { sender: Symbol.for('signalry.ANY') as never })
    if (ending === 'abort') controller.abort()
  }
  expect(calls).toBe(1)
  return new WeakRef(receiver)
}

describe('a connection that ends releases its receiver', () => {
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
})
