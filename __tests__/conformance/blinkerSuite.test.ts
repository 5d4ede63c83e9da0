// Blinker's upstream test suite (blinker 1.9.0: tests/test_signals.py, tests/test_context.py,
// tests/test_symbol.py), case by case, adapted to signalry's API; the describe blocks name blinker's
// test files, and each test's title ends with the blinker test it ports.
//
// Adaptations that apply throughout:
// - blinker calls `receiver(sender, **kwargs)`; signalry calls `receiver(sender, payload)`.
// - blinker holds receivers weakly by default; signalry holds them strongly (weak is opt-in, see
//   README.md "Lifetimes"). The parts of blinker's tests that rely on CPython's refcounting freeing a
//   receiver or a sender at once are ported with a real GC in unit/lifetimes.test.ts; each such
//   test says which part was left out. Tests that assert that something *survives* a collection
//   force a real garbage collection (see `collectGarbage`).
// - `sig.receivers` (a dict whose truthiness is public) becomes `sig.receiverCount`,
//   `sig.receiversFor(sender)` and `sig.hasReceiversFor(sender)`.

import { ANY, AsyncReceiverError, Namespace, NamedSignal, Signal } from 'signalry'
import { collectGarbage } from '../helpers/garbageCollection'

/** One recorded call: which receiver ran, with which sender and payload. */
type Call = [key: string, sender: unknown, payload: unknown]

/** blinker's `Sentinel.make_receiver(key)`: a receiver that records `[key, sender, payload]`. */
function makeReceiver(calls: Call[], key: string): (sender: unknown, payload: unknown) => void {
  return (sender, payload) => {
    calls.push([key, sender, payload])
  }
}

/** One event recorded from a meta-signal. */
type MetaEvent = [meta: 'receiverConnected' | 'receiverDisconnected', sentBy: unknown, info: unknown]

/** Connects recorders to both meta-signals of `sig`. */
function recordMetaEvents(sig: Signal<unknown, unknown>): MetaEvent[] {
  const events: MetaEvent[] = []
  sig.receiverConnected.connect((sentBy, info) => {
    events.push(['receiverConnected', sentBy, info])
  })
  sig.receiverDisconnected.connect((sentBy, info) => {
    events.push(['receiverDisconnected', sentBy, info])
  })
  return events
}

/**
 * blinker's `_test_signal_signals(sender)`: the meta-signals report connects and disconnects.
 * Differences on purpose: the payloads are `{ receiver, sender, options }` (options resolved, no
 * `weak`) and `{ receiver, sender, reason }`; a disconnect reports the sender of the connection it
 * removed; and a disconnect that removes nothing reports nothing (blinker reports it anyway).
 */
function checkMetaSignals(sender: unknown): void {
  const sig = new Signal<unknown, unknown>()
  // Fresh meta-signals have no receivers.
  expect(sig.receiverConnected.receiverCount).toBe(0)
  expect(sig.receiverDisconnected.receiverCount).toBe(0)

  const events = recordMetaEvents(sig)
  expect(sig.receiverConnected.receiverCount).toBe(1)
  expect(sig.receiverDisconnected.receiverCount).toBe(1)
  expect(events).toEqual([])

  const receiver1 = (): string => 'one'
  const receiver2 = (): string => 'two'

  sig.connect(receiver1, { sender })
  expect(events).toHaveLength(1)
  expect(events.at(-1)).toEqual([
    'receiverConnected',
    sig,
    {
      receiver: receiver1,
      sender,
      options: { sender, once: false, priority: 0, signal: undefined, weak: false, owner: undefined },
    },
  ])
  expect(events.at(-1)?.[1]).toBe(sig)

  sig.connect(receiver2, { sender, priority: 5 })
  expect(events).toHaveLength(2)
  expect(events.at(-1)).toEqual([
    'receiverConnected',
    sig,
    {
      receiver: receiver2,
      sender,
      options: { sender, once: false, priority: 5, signal: undefined, weak: false, owner: undefined },
    },
  ])
  expect(events.at(-1)?.[1]).toBe(sig)

  expect(sig.disconnect(receiver1, { sender })).toBe(true)
  expect(events).toHaveLength(3)
  expect(events.at(-1)).toEqual([
    'receiverDisconnected',
    sig,
    { receiver: receiver1, sender, reason: 'disconnected' },
  ])
  expect(events.at(-1)?.[1]).toBe(sig)

  // Without a sender: every connection of the receiver; the event names the connection's sender.
  expect(sig.disconnect(receiver2)).toBe(true)
  expect(events).toHaveLength(4)
  expect(events.at(-1)).toEqual([
    'receiverDisconnected',
    sig,
    { receiver: receiver2, sender, reason: 'disconnected' },
  ])
  expect(events.at(-1)?.[1]).toBe(sig)

  // Differs from blinker on purpose: disconnects that remove nothing send no receiverDisconnected.
  expect(sig.disconnect(receiver2)).toBe(false)
  expect(sig.disconnect(receiver1, { sender })).toBe(false)
  expect(events).toHaveLength(4)
}

describe('tests/test_signals.py', () => {
  test('receiverConnected and receiverDisconnected report connects and disconnects for ANY; a disconnect that removes nothing reports nothing, unlike blinker on purpose (test_signal_signals_any_sender)', () => {
    checkMetaSignals(ANY)
  })

  test('receiverConnected and receiverDisconnected report connects and disconnects for a specific sender, and a full disconnect reports that sender where blinker reports ANY, on purpose (test_signal_signals_strong_sender)', () => {
    checkMetaSignals('squiznart')
  })

  test('an explicit disconnect is reported by receiverDisconnected and a send reports nothing (test_signal_weak_receiver_vanishes)', () => {
    // The GC-dependent part of this test is in lifetimes.test.ts ("blinker upstream, GC-dependent parts").
    const sig = new Signal<unknown, unknown>()
    const events = recordMetaEvents(sig)
    const calls: Call[] = []
    const receiver1 = makeReceiver(calls, 'receiver1')
    const receiver2 = makeReceiver(calls, 'receiver2')

    sig.connect(receiver1)
    expect(sig.disconnect(receiver1)).toBe(true)
    expect(events).toHaveLength(2)
    expect(events.map(([meta]) => meta)).toEqual(['receiverConnected', 'receiverDisconnected'])
    expect(events.at(-1)?.[2]).toEqual({ receiver: receiver1, sender: ANY, reason: 'disconnected' })

    sig.connect(receiver2)
    expect(events).toHaveLength(3)
    events.length = 0

    sig.send('abc')
    expect(events).toEqual([])
    expect(calls).toEqual([['receiver2', 'abc', undefined]])
  })

  test('connects and disconnects for an object sender are reported, and a send for another sender reports nothing and skips the receiver (test_signal_signals_weak_sender)', () => {
    // The GC-dependent part of this test is in lifetimes.test.ts ("blinker upstream, GC-dependent parts").
    const sig = new Signal<unknown, unknown>()
    const events = recordMetaEvents(sig)
    const calls: Call[] = []
    const receiver1 = makeReceiver(calls, 'receiver1')
    const receiver2 = makeReceiver(calls, 'receiver2')
    class Sender {}
    const sender1 = new Sender()
    const sender2 = new Sender()

    sig.connect(receiver1, { sender: sender1 })
    expect(sig.disconnect(receiver1, { sender: sender1 })).toBe(true)
    expect(events).toHaveLength(2)
    expect(events.at(-1)?.[2]).toEqual({ receiver: receiver1, sender: sender1, reason: 'disconnected' })
    events.length = 0

    sig.connect(receiver2, { sender: sender2 })
    expect(events).toHaveLength(1)
    expect(events.at(-1)?.[2]).toEqual({
      receiver: receiver2,
      sender: sender2,
      options: {
        sender: sender2,
        once: false,
        priority: 0,
        signal: undefined,
        weak: false,
        owner: undefined,
      },
    })

    sig.send('abc')
    expect(events).toHaveLength(1)
    expect(calls).toEqual([])
  })

  test('after the last receiver for a sender is disconnected, nothing is left for that sender (test_empty_bucket_growth)', () => {
    // blinker inspects its private buckets and needs `_cleanup_bookkeeping()` to empty them; here
    // the public view is exact at once.
    const sig = new Signal()
    const sender = {}
    const receiver1 = (): void => {}
    const receiver2 = (): void => {}
    sig.connect(receiver1, { sender })
    sig.connect(receiver2, { sender })
    expect(sig.receiverCount).toBe(2)
    expect(sig.receiversFor(sender)).toEqual([receiver1, receiver2])

    sig.disconnect(receiver1, { sender })
    expect(sig.receiverCount).toBe(1)
    expect(sig.receiversFor(sender)).toEqual([receiver2])
    expect(sig.hasReceiversFor(sender)).toBe(true)

    sig.disconnect(receiver2, { sender })
    expect(sig.receiverCount).toBe(0)
    expect(sig.receiversFor(sender)).toEqual([])
    expect(sig.hasReceiversFor(sender)).toBe(false)
  })

  test('a namespace returns the same signal for the same name and keeps its signals after every other reference is gone (test_namespace)', async () => {
    const ns = new Namespace()
    expect(ns.size).toBe(0)
    expect(ns.names()).toEqual([])

    let abcRef: WeakRef<object> | undefined
    ;(() => {
      const s1 = ns.signal('abc')
      expect(ns.signal('abc')).toBe(s1)
      expect(ns.signal('def')).not.toBe(s1)
      expect(ns.has('abc')).toBe(true)
      abcRef = new WeakRef(s1)
    })()

    await collectGarbage()
    expect(ns.has('abc')).toBe(true)
    expect(ns.has('def')).toBe(true)
    expect(ns.names()).toEqual(['abc', 'def'])
    expect(abcRef?.deref()).toBe(ns.signal('abc'))
  })

  test('a disconnected receiver is gone completely: not called, not counted, not listed (test_weak_receiver)', () => {
    // The GC-dependent part of this test is in lifetimes.test.ts ("blinker upstream, GC-dependent parts").
    // What is left here is the state it asserts after the removal, reached by an explicit disconnect.
    const sig = new Signal()
    const calls: Call[] = []
    const received = makeReceiver(calls, 'received')
    sig.connect(received)
    sig.connect(received, { sender: 'xyz' })
    expect(sig.receiverCount).toBe(2)

    expect(sig.disconnect(received)).toBe(true)
    sig.send()
    sig.send('xyz')
    expect(calls).toEqual([])
    expect(sig.receiverCount).toBe(0)
    expect(sig.receiversFor(undefined)).toEqual([])
    expect(sig.receiversFor('xyz')).toEqual([])
    expect(sig.hasReceiversFor('xyz')).toBe(false)
  })

  test('a receiver is held strongly: it is still called after the code that connected it dropped every reference and garbage was collected (test_strong_receiver)', async () => {
    const sig = new Signal()
    const sentinel: unknown[] = []
    let receivedRef: WeakRef<object> | undefined
    ;(() => {
      const received = (sender: unknown): void => {
        sentinel.push(sender)
      }
      sig.connect(received)
      receivedRef = new WeakRef(received)
    })()

    await collectGarbage()
    sig.send()
    expect(sentinel).toEqual([undefined])
    const stored = receivedRef?.deref()
    expect(stored).toBeDefined()
    expect(sig.receiversFor(undefined)).toEqual([stored])
  })

  test('send() throws AsyncReceiverError before any receiver runs when an async function is connected (test_async_receiver)', () => {
    // Not ported: the sendAsync half (it does not exist yet). blinker's send() runs the receivers
    // before the coroutine function and then raises RuntimeError; ours refuses before running any.
    const sig = new Signal()
    const sentinel: unknown[] = []
    const received = (sender: unknown): void => {
      sentinel.push(sender)
    }
    const receivedAsync = async (sender: unknown): Promise<void> => {
      sentinel.push(sender)
    }
    sig.connect(received)
    sig.connect(receivedAsync)

    let thrown: unknown
    try {
      sig.send()
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(AsyncReceiverError)
    expect((thrown as AsyncReceiverError).receiver).toBe(receivedAsync)
    expect(sentinel).toEqual([])
  })

  test('a method bound to an instance can be connected, called and disconnected (test_instancemethod_receiver)', () => {
    // The GC-dependent part of this test is in lifetimes.test.ts ("blinker upstream, GC-dependent parts").
    // JavaScript has no bound-method objects: `instance.received` is the prototype's function,
    // so the instance binds it once and connects and disconnects that same function.
    const sig = new Signal()
    class Receiver {
      readonly sentinel: unknown[] = []
      received(sender: unknown): void {
        this.sentinel.push(sender)
      }
    }
    const receiver = new Receiver()
    const bound = receiver.received.bind(receiver)
    sig.connect(bound)
    sig.send()
    expect(receiver.sentinel).toEqual([undefined])

    expect(sig.disconnect(bound)).toBe(true)
    sig.send()
    expect(receiver.sentinel).toEqual([undefined])
  })

  test('a receiver connected for a sender runs only for sends with that sender, and disconnecting it for that sender or entirely stops it (test_filtered_receiver)', () => {
    const sig = new Signal()
    const sentinel: unknown[] = []
    const received = (sender: unknown): void => {
      sentinel.push(sender)
    }

    sig.connect(received, { sender: 123 })
    sig.send()
    expect(sentinel).toEqual([])
    sig.send(123)
    expect(sentinel).toEqual([123])
    sig.send()
    expect(sentinel).toEqual([123])

    sig.disconnect(received, { sender: 123 })
    sig.send(123)
    expect(sentinel).toEqual([123])

    sig.connect(received, { sender: 123 })
    sig.send(123)
    expect(sentinel).toEqual([123, 123])

    sig.disconnect(received)
    sig.send(123)
    expect(sentinel).toEqual([123, 123])
  })

  test('a receiver connected for an object sender runs for that object only (test_filtered_receiver_weakref)', () => {
    // The GC-dependent part of this test is in lifetimes.test.ts ("blinker upstream, GC-dependent parts").
    const sig = new Signal()
    const sentinel: unknown[] = []
    const received = (sender: unknown): void => {
      sentinel.push(sender)
    }
    class Obj {}
    const obj = new Obj()

    sig.connect(received, { sender: obj })
    sig.send(obj)
    expect(sentinel).toEqual([obj])
    expect(sentinel[0]).toBe(obj)

    sig.send(new Obj())
    sig.send()
    expect(sentinel).toHaveLength(1)
    expect(sig.receiverCount).toBe(1)
  })

  test('connectVia(sender) connects the function for that sender, returns it unchanged and holds it strongly (test_decorated_receiver)', async () => {
    const sig = new Signal<unknown, unknown>()
    const sentinel: unknown[] = []
    class Obj {}
    const obj = new Obj()
    let receiverRef: WeakRef<object> | undefined
    ;(() => {
      const receiverFn = (sender: unknown): void => {
        sentinel.push(sender)
      }
      const receiver = sig.connectVia(obj)(receiverFn)
      expect(receiver).toBe(receiverFn)
      receiverRef = new WeakRef(receiver)
    })()

    sig.send()
    expect(sentinel).toEqual([])
    sig.send(1)
    expect(sentinel).toEqual([])
    sig.send(obj)
    expect(sentinel).toEqual([obj])
    expect(sig.receiverCount).toBe(1)

    await collectGarbage()
    expect(sig.receiverCount).toBe(1)
    expect(receiverRef?.deref()).toBeDefined()
    sig.send(obj)
    expect(sentinel).toEqual([obj, obj])
  })

  test('a receiver connected both for ANY and for a sender is called once per send (test_no_double_send)', () => {
    const sig = new Signal()
    const sentinel: unknown[] = []
    const received = (sender: unknown): void => {
      sentinel.push(sender)
    }

    sig.connect(received, { sender: 123 })
    sig.connect(received)

    sig.send()
    expect(sentinel).toEqual([undefined])
    sig.send(123)
    expect(sentinel).toEqual([undefined, 123])
    sig.send()
    expect(sentinel).toEqual([undefined, 123, undefined])
  })

  test('hasReceiversFor is true for the senders a receiver was connected for, false once it is disconnected, and true for every sender while an ANY receiver is connected (test_has_receivers)', () => {
    // The GC-dependent part of this test is in lifetimes.test.ts ("blinker upstream, GC-dependent parts").
    const sig = new Signal()
    const received = (): void => {}
    expect(sig.hasReceiversFor(undefined)).toBe(false)
    expect(sig.hasReceiversFor(ANY)).toBe(false)

    sig.connect(received, { sender: 'xyz' })
    expect(sig.hasReceiversFor(undefined)).toBe(false)
    expect(sig.hasReceiversFor(ANY)).toBe(false)
    expect(sig.hasReceiversFor('xyz')).toBe(true)

    class Obj {}
    const o = new Obj()
    sig.connect(received, { sender: o })
    expect(sig.hasReceiversFor(o)).toBe(true)

    sig.disconnect(received)
    expect(sig.hasReceiversFor('xyz')).toBe(false)
    expect(sig.hasReceiversFor(o)).toBe(false)
    expect(sig.receiversFor('xyz')).toEqual([])
    expect(sig.receiversFor(o)).toEqual([])

    sig.connect(() => undefined)
    expect(sig.hasReceiversFor('xyz')).toBe(true)
    expect(sig.hasReceiversFor(o)).toBe(true)
    expect(sig.hasReceiversFor(undefined)).toBe(true)
    expect(sig.hasReceiversFor(ANY)).toBe(true)
  })

  test('a signal keeps the doc it was created with (test_instance_doc)', () => {
    expect(new Signal('x').doc).toBe('x')
    expect(new Signal().doc).toBeUndefined()
  })

  test('a named signal shows its name when turned into a string (test_named_blinker)', () => {
    const sig = new NamedSignal('squiznart')
    expect(String(sig)).toContain('squiznart')
    expect(sig.name).toBe('squiznart')
  })

  test('a muted signal calls no receiver, and sends reach receivers again once the mute ends (test_mute_signal)', () => {
    const sig = new Signal()
    const sentinel: unknown[] = []
    sig.connect((sender: unknown) => {
      sentinel.push(sender)
    })

    sig.send(123)
    expect(sentinel).toEqual([123])

    {
      using _muted = sig.muted()
      expect(sig.isMuted).toBe(true)
      expect(sig.send(456)).toEqual([])
    }
    expect(sentinel).toEqual([123])
    expect(sig.isMuted).toBe(false)

    sig.send(789)
    expect(sentinel).toEqual([123, 789])
  })

  test('a receiver connected for a number is called by sends of an equal number computed elsewhere (test_int_sender)', () => {
    const sig = new Signal()
    let count = 0
    sig.connect(
      () => {
        count++
      },
      { sender: 123456789 },
    )

    sig.send(123456789)
    expect(count).toBe(1)
    sig.send(Number.parseInt('123456789', 10))
    expect(count).toBe(2)
  })
})

describe('tests/test_context.py', () => {
  test('connectedTo connects the receiver only while its body runs (test_temp_connection)', () => {
    const sig = new Signal()
    const canary: unknown[] = []
    const receiver = (sender: unknown): void => {
      canary.push(sender)
    }

    sig.send(1)
    sig.connectedTo(receiver, () => {
      sig.send(2)
    })
    sig.send(3)

    expect(canary).toEqual([2])
    expect(sig.receiverCount).toBe(0)
  })

  test('connectedTo with a sender connects the receiver for that sender only, and only while the scope lasts (test_temp_connection_for_sender)', () => {
    const sig = new Signal()
    const canary: unknown[] = []
    const receiver = (sender: unknown): void => {
      canary.push(sender)
    }

    {
      using _connection = sig.connectedTo(receiver, { sender: 2 })
      sig.send(1)
      sig.send(2)
    }

    expect(canary).toEqual([2])
    expect(sig.receiverCount).toBe(0)
  })

  // blinker parametrizes with an Exception subclass and a BaseException subclass; JavaScript has
  // no BaseException, so the second case throws a value that is not an Error at all.
  class Failure extends Error {}
  test.each([
    ['an Error subclass', 'Failure', new Failure('failure')],
    ['a value that is not an Error', 'BaseFailure', { notAnError: true }],
  ])(
    'connectedTo disconnects the receiver when its scope throws %s, and the throw propagates (test_temp_connection_failure[%s])',
    (_kind, _blinkerParam, failure) => {
      const sig = new Signal()
      const canary: unknown[] = []
      const receiver = (sender: unknown): void => {
        canary.push(sender)
      }
      const fail = (): void => {
        throw failure
      }

      let thrown: unknown
      try {
        sig.send(1)
        {
          using _connection = sig.connectedTo(receiver)
          sig.send(2)
          fail()
        }
        sig.send(3)
      } catch (error) {
        thrown = error
      }

      expect(thrown).toBe(failure)
      expect(canary).toEqual([2])
      expect(sig.receiverCount).toBe(0)
    },
  )
})

describe('tests/test_symbol.py', () => {
  test('ANY is the registered symbol signalry.ANY: one value, named, distinct from other symbols (test_symbols)', () => {
    expect(typeof ANY).toBe('symbol')
    expect(Symbol.keyFor(ANY)).toBe('signalry.ANY')
    expect(ANY.description).toBe('signalry.ANY')
    expect(Symbol.for('signalry.ANY')).toBe(ANY)
    const other = Symbol.for('signalry.other')
    expect(other).not.toBe(ANY)
    expect(Object.is(ANY, other)).toBe(false)
    expect(String(ANY)).toBe('Symbol(signalry.ANY)')
  })

  test('ANY survives a round trip through its key and is the same value in a second copy of the library (test_pickled_symbols)', () => {
    let current: symbol = ANY
    for (let round = 0; round < 3; round++) {
      const key = Symbol.keyFor(current)
      expect(key).toBe('signalry.ANY')
      current = Symbol.for(key ?? '')
      expect(current).toBe(ANY)
    }

    let fresh: typeof import('signalry') | undefined
    jest.isolateModules(() => {
      fresh = require('signalry') as typeof import('signalry')
    })
    expect(fresh?.Signal).toBeDefined()
    expect(fresh?.Signal).not.toBe(Signal) // really a second copy of the module
    expect(fresh?.ANY).toBe(ANY)
  })
})
