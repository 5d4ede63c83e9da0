// Defects of the connection bookkeeping that one owner per rule fixes (issue 16): each test here
// failed before the fix.
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import * as vm from 'node:vm'
import { type DisconnectReason, Namespace, Signal } from 'signalry'
import { collectedWithin } from '../helpers/garbageCollection'

const gc = vm.runInNewContext('gc') as () => void

/** Connects a receiver held weakly that nothing else references; returns a WeakRef to it. */
function connectThrowawayWeakReceiver(
  sig: Signal<void, unknown>,
  calls: string[],
  priority = 0,
): WeakRef<object> {
  const receiver = () => {
    calls.push('weak')
  }
  sig.connect(receiver, { weak: true, priority })
  return new WeakRef(receiver)
}

/**
 * Collects garbage until `ref` is cleared, each pass in a new macrotask, and returns in the task of
 * the pass that cleared it: the caller then sees the receiver dead before any finalization
 * callback (which runs in a later task) has ended its connection.
 */
async function collectInThisTask(ref: WeakRef<object>): Promise<boolean> {
  // setImmediate first: a WeakRef made in this job keeps its target alive until the job ends.
  for (let pass = 0; pass < 20; pass++) {
    await new Promise((resolve) => setImmediate(resolve))
    gc()
    if (ref.deref() === undefined) return true
  }
  return false
}

/** Runs `send` with queueMicrotask captured: returns what was deferred (rethrowLater uses it). */
function deferredDuring(send: () => unknown): Array<() => void> {
  const deferred: Array<() => void> = []
  const queue = jest.spyOn(globalThis, 'queueMicrotask').mockImplementation((callback) => {
    deferred.push(callback)
  })
  try {
    send()
  } finally {
    queue.mockRestore()
  }
  return deferred
}

/**
 * Sends robustly by `method`. Not `sig[method]()`: a call through a union of the two overloaded
 * methods makes the type checker explore their signatures for minutes.
 */
function sendRobustly(sig: Signal, method: 'sendRobust' | 'sendAsyncRobust'): unknown {
  return method === 'sendRobust' ? sig.sendRobust() : sig.sendAsyncRobust()
}

describe('sendRobust and sendAsyncRobust take, call and attribute receivers by one rule', () => {
  for (const method of ['sendRobust', 'sendAsyncRobust'] as const) {
    test(`${method} surfaces a receiverDisconnected error while pruning a collected receiver, uncaught`, async () => {
      const sig = new Signal()
      let reports = 0
      sig.receiverDisconnected.connect(() => {
        reports++
        throw new Error('audit failed')
      })
      const later: string[] = []
      sig.connect(() => later.push('strong'))
      // The weak receiver first in the plan: a higher priority.
      const ref = connectThrowawayWeakReceiver(sig, [], 1)
      expect(await collectInThisTask(ref)).toBe(true)
      let result: unknown
      const deferred = deferredDuring(() => {
        result = sendRobustly(sig, method)
      })
      const outcomes = await result
      expect(reports).toBe(1)
      // No receiver to attribute the error to: it is not an outcome, and not swallowed either.
      expect(outcomes).toEqual([[expect.any(Function), { status: 'fulfilled', value: 1 }]])
      expect(later).toEqual(['strong'])
      expect(deferred).toHaveLength(1)
      expect(() => deferred[0]?.()).toThrow('audit failed')
    })

    test(`${method} reports a receiverDisconnected error of a once receiver as that receiver's outcome`, async () => {
      const sig = new Signal()
      sig.receiverDisconnected.connect(() => {
        throw new Error('audit failed')
      })
      const once = () => 'never'
      sig.connect(once, { once: true })
      const outcomes = await sendRobustly(sig, method)
      expect(outcomes).toEqual([[once, { status: 'rejected', reason: new Error('audit failed') }]])
      expect(sig.receiverCount).toBe(0)
    })
  }
})

test('publishing a send on signalry:send does not end dead connections before the send starts', async () => {
  const orders: string[][] = []
  for (const observed of [false, true]) {
    const order: string[] = []
    const sig = new Namespace().signal<void>('observed.send')
    sig.receiverDisconnected.connect((_, { reason }) => order.push(`disconnected ${reason}`))
    sig.connect(() => order.push('strong'), { priority: 1 })
    const ref = connectThrowawayWeakReceiver(sig, order)
    const counts: number[] = []
    const onSend = (message: unknown) => counts.push((message as { receiverCount: number }).receiverCount)
    if (observed) subscribe('signalry:send', onSend)
    try {
      expect(await collectInThisTask(ref)).toBe(true)
      sig.send()
    } finally {
      if (observed) unsubscribe('signalry:send', onSend)
    }
    if (observed) expect(counts).toEqual([1])
    orders.push(order)
  }
  // The strong receiver runs first either way; the dead one is pruned when the send reaches it.
  expect(orders).toEqual([
    ['strong', 'disconnected collected'],
    ['strong', 'disconnected collected'],
  ])
})

describe('a dropped signal is collected with its receivers', () => {
  // A module-level object and a class: senders that outlive any signal connected for them.
  const moduleSender = { name: 'module' }
  class LongLived {}

  type Refs = [signal: WeakRef<object>, receiver: WeakRef<object>]
  function dropSignalConnectedFor(sender: object, make: () => Signal<void, unknown>): Refs {
    const sig = make()
    const receiver = () => {}
    sig.connect(receiver, { sender })
    sig.send(sender)
    return [new WeakRef(sig), new WeakRef(receiver)]
  }

  test('a new Signal() connected for a long-lived object sender', async () => {
    const [sig, receiver] = dropSignalConnectedFor(moduleSender, () => new Signal())
    expect(await collectedWithin(sig)).toBe(true)
    expect(await collectedWithin(receiver)).toBe(true)
  })

  test('a new Namespace() whose signal is connected for a class', async () => {
    const make = (): Refs => {
      const namespace = new Namespace()
      const [, receiver] = dropSignalConnectedFor(LongLived, () => namespace.signal<void>('lived'))
      return [new WeakRef(namespace), receiver]
    }
    const [namespace, receiver] = make()
    expect(await collectedWithin(namespace)).toBe(true)
    expect(await collectedWithin(receiver)).toBe(true)
  })

  test('a weakly held receiver that lives on does not keep its dropped signal alive', async () => {
    const longLivedReceiver = () => {}
    const make = (): WeakRef<object> => {
      const sig = new Signal()
      sig.connect(longLivedReceiver, { weak: true })
      return new WeakRef(sig)
    }
    expect(await collectedWithin(make())).toBe(true)
    expect(typeof longLivedReceiver).toBe('function')
  })
})

describe('a scope ends whatever inspecting its result throws', () => {
  /** A strict proxy: reading any property it does not have (then) throws. */
  const strictResult = () =>
    new Proxy(
      {},
      {
        get(_, key) {
          throw new Error(`no property ${String(key)}`)
        },
      },
    )

  test('muted(body) unmutes when the result has a throwing then getter', () => {
    const sig = new Signal()
    expect(() => sig.muted(strictResult)).toThrow('no property then')
    expect(sig.isMuted).toBe(false)
  })

  test('connectedTo(receiver, body) disconnects when the result has a throwing then getter', () => {
    const sig = new Signal()
    const reasons: DisconnectReason[] = []
    sig.receiverDisconnected.connect((_, { reason }) => reasons.push(reason))
    expect(() => sig.connectedTo(() => {}, strictResult)).toThrow('no property then')
    expect(sig.receiverCount).toBe(0)
    expect(reasons).toEqual(['scope-ended'])
  })
})
