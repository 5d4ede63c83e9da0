// The edge cases of blinker 1.9.0 (each verified on blinker itself), one test per case. Where
// signalry differs from blinker on purpose (docs/choices.md), the test asserts signalry's behaviour
// and its name says that it differs on purpose.
//
// Row ported elsewhere: "weak sender object dies → bucket removed; receivers stay; no
// receiver_disconnected" needs a real GC and is in unit/lifetimes.test.ts, where signalry differs on
// purpose: the removal is reported with reason 'sender-collected'. Row "nested muted()": leaving an
// inner scope keeps the outer one in force, where blinker unmutes; in unit/scopes.test.ts ("muting nests").

import { ANY, Signal } from 'signalry'
import { collectGarbage } from '../helpers/garbageCollection'

/** A receiver that records `[key, sender]` into `calls` and returns `key`. */
function recorder(calls: unknown[][], key: string): (sender: unknown) => string {
  return (sender) => {
    calls.push([key, sender])
    return key
  }
}

test('connecting the same receiver twice keeps one connection in its original place, so a send calls it once (blinker: connect(r); connect(r))', () => {
  const sig = new Signal()
  const calls: unknown[][] = []
  const r = recorder(calls, 'r')
  const other = recorder(calls, 'other')
  sig.connect(r)
  sig.connect(other)
  sig.connect(r)

  expect(sig.receiverCount).toBe(2)
  expect(sig.send('x')).toEqual([
    [r, 'r'],
    [other, 'other'],
  ])
  expect(calls).toEqual([
    ['r', 'x'],
    ['other', 'x'],
  ])
})

test('disconnecting a receiver that is not connected does not throw and returns false, where blinker returns None (differs from blinker on purpose) (blinker: disconnect(unknown))', () => {
  const sig = new Signal()
  const unknown = (): void => {}
  const connected = (): void => {}
  sig.connect(connected, { sender: 'a' })

  expect(sig.disconnect(unknown)).toBe(false)
  expect(sig.disconnect(unknown, { sender: 'zzz' })).toBe(false)
  expect(sig.disconnect(connected, { sender: 'zzz' })).toBe(false)
  // Nothing was created for 'zzz' and the existing connection is untouched.
  expect(sig.hasReceiversFor('zzz')).toBe(false)
  expect(sig.receiversFor('a')).toEqual([connected])
  expect(sig.receiverCount).toBe(1)
  // And it returns true when something was removed.
  expect(sig.disconnect(connected)).toBe(true)
})

test('the first receiver that throws stops the send: the error propagates and later receivers are not called (blinker: receiver a raises)', () => {
  const sig = new Signal()
  const calls: unknown[][] = []
  const failure = new Error('a failed')
  sig.connect(() => {
    calls.push(['a'])
    throw failure
  })
  sig.connect(recorder(calls, 'b'))

  expect(() => sig.send('x')).toThrow(failure)
  expect(calls).toEqual([['a']])

  // The signal stays usable: the next send runs a again (and throws again).
  expect(() => sig.send('y')).toThrow(failure)
  expect(calls).toEqual([['a'], ['a']])
})

test('send takes one sender and one payload: send(1, 2) passes 2 as the payload, and a third argument throws a TypeError, where blinker already rejects send(1, 2) (differs from blinker on purpose) (blinker: send(1, 2))', () => {
  const sig = new Signal<unknown, unknown>()
  const calls: unknown[][] = []
  sig.connect((sender, payload) => {
    calls.push([sender, payload])
  })

  sig.send(1, 2)
  expect(calls).toEqual([[1, 2]])

  // The call is untyped on purpose: the types already refuse a third argument.
  const untyped = sig as unknown as { send(...args: unknown[]): unknown }
  expect(() => untyped.send(1, 2, 3)).toThrow(TypeError)
  expect(calls).toEqual([[1, 2]])
})

test('an inline arrow connected without keeping a reference stays connected, also after garbage collection, because connections are strong by default where blinker drops a weak lambda at once (differs from blinker on purpose) (blinker: connect(lambda s: ...))', async () => {
  const sig = new Signal()
  const calls: unknown[] = []
  sig.connect((sender: unknown) => {
    calls.push(sender)
  })
  expect(sig.receiverCount).toBe(1)

  await collectGarbage()
  expect(sig.receiverCount).toBe(1)
  sig.send('x')
  expect(calls).toEqual(['x'])
})

test('connecting a connected receiver again replaces its options with the later ones, omitted ones back to their defaults (blinker: connect(w, weak=True) then connect(w, weak=False): last wins)', () => {
  // blinker's row is about `weak` (lifetimes.test.ts checks weak → strong and strong → weak);
  // `once` and `priority` show the same rule.
  const sig = new Signal<unknown, unknown>()
  const reported: unknown[] = []
  sig.receiverConnected.connect((_sig, info) => {
    reported.push(info.options)
  })
  const calls: unknown[][] = []
  const a = recorder(calls, 'a')
  const w = recorder(calls, 'w')
  sig.connect(a)
  sig.connect(w, { once: true, priority: 10 })
  expect(sig.receiversFor(undefined)).toEqual([w, a])

  sig.connect(w, { once: false })
  expect(reported.at(-1)).toEqual({
    sender: ANY,
    once: false,
    priority: 0,
    signal: undefined,
    weak: false,
    owner: undefined,
  })
  expect(sig.receiversFor(undefined)).toEqual([a, w])

  sig.send(1)
  sig.send(2)
  expect(calls).toEqual([
    ['a', 1],
    ['w', 1],
    ['a', 2],
    ['w', 2],
  ])
  expect(sig.receiverCount).toBe(2)
})

test('hasReceiversFor is exact: false for a sender whose last receiver was disconnected, where blinker still answers true (differs from blinker on purpose) (blinker: connect(r, "x"); connect(r2, "y"); disconnect(r, "x"))', () => {
  const sig = new Signal()
  const r = (): void => {}
  const r2 = (): void => {}
  sig.connect(r, { sender: 'x' })
  sig.connect(r2, { sender: 'y' })
  expect(sig.hasReceiversFor('x')).toBe(true)

  sig.disconnect(r, { sender: 'x' })
  expect(sig.hasReceiversFor('x')).toBe(false)
  expect(sig.receiversFor('x')).toEqual([])
  expect(sig.hasReceiversFor('y')).toBe(true)
  expect(sig.receiversFor('y')).toEqual([r2])
})

test('a receiver connected for the sender undefined is called by send() and send(undefined), not by send("other") or send(null) (blinker: connect(rn, sender=None))', () => {
  const sig = new Signal()
  const calls: unknown[][] = []
  const rn = recorder(calls, 'rn')
  sig.connect(rn, { sender: undefined })

  sig.send()
  sig.send(undefined)
  sig.send('other')
  sig.send(null)
  expect(calls).toEqual([
    ['rn', undefined],
    ['rn', undefined],
  ])
  expect(sig.hasReceiversFor(undefined)).toBe(true)
  expect(sig.hasReceiversFor('other')).toBe(false)
  expect(sig.hasReceiversFor(null)).toBe(false)
})

test('a receiver connected for true is not called by send(1): JavaScript has no True == 1 (differs from blinker on purpose) (blinker: connect(r, sender=True); send(1))', () => {
  const sig = new Signal()
  const calls: unknown[][] = []
  sig.connect(recorder(calls, 'r'), { sender: true })

  sig.send(1)
  expect(calls).toEqual([])
  sig.send(true)
  expect(calls).toEqual([['r', true]])
})

test('a receiver connected for 1.5 is called by a send of an equal number computed elsewhere: numbers match by value (Object.is), where blinker compares floats by identity (differs from blinker on purpose) (blinker: connect(r, sender=1.5); send(float("1.5")))', () => {
  const sig = new Signal()
  const calls: unknown[][] = []
  sig.connect(recorder(calls, 'r'), { sender: 1.5 })

  sig.send(Number.parseFloat('1.5'))
  sig.send(3 / 2)
  sig.send(1.25)
  expect(calls).toEqual([
    ['r', 1.5],
    ['r', 1.5],
  ])
})

test('disconnecting a receiver for one of its two senders leaves only the other sender delivering to it (blinker: connect(g, "x"); connect(g, "y"); disconnect(g, "x"))', () => {
  const sig = new Signal()
  const calls: unknown[][] = []
  const g = recorder(calls, 'g')
  sig.connect(g, { sender: 'x' })
  sig.connect(g, { sender: 'y' })
  expect(sig.receiverCount).toBe(2)

  expect(sig.disconnect(g, { sender: 'x' })).toBe(true)
  sig.send('x')
  sig.send('y')
  expect(calls).toEqual([['g', 'y']])
  expect(sig.receiverCount).toBe(1)
})

test('send(ANY) calls only the receivers connected for ANY, with ANY as the sender (blinker: send(ANY))', () => {
  const sig = new Signal()
  const calls: unknown[][] = []
  const anyReceiver = recorder(calls, 'any')
  sig.connect(anyReceiver)
  sig.connect(recorder(calls, 'x'), { sender: 'x' })
  sig.connect(recorder(calls, 'undefined'), { sender: undefined })

  expect(sig.send(ANY)).toEqual([[anyReceiver, 'any']])
  expect(calls).toEqual([['any', ANY]])
  expect(calls[0]?.[1]).toBe(ANY)
  expect(sig.receiversFor(ANY)).toEqual([anyReceiver])
})

test('connectedTo for sender "b" leaves a connection for sender "a" made before the scope in place, where blinker removes it (differs from blinker on purpose) (blinker: connected_to(r, "b") when r was connected to "a")', () => {
  const sig = new Signal()
  const calls: unknown[][] = []
  const r = recorder(calls, 'r')
  sig.connect(r, { sender: 'a' })

  sig.connectedTo(r, { sender: 'b' }, () => {
    sig.send('b')
  })

  sig.send('a')
  sig.send('b')
  expect(calls).toEqual([
    ['r', 'b'],
    ['r', 'a'],
  ])
  expect(sig.receiversFor('a')).toEqual([r])
  expect(sig.receiversFor('b')).toEqual([])
  expect(sig.receiverCount).toBe(1)
})

test('connectedTo for a sender the receiver was already connected for leaves that connection and its options in place after the scope, where blinker removes it (differs from blinker on purpose) (blinker: connected_to removes pre-existing connections)', () => {
  const sig = new Signal()
  const calls: unknown[][] = []
  const r = recorder(calls, 'r')
  const low = recorder(calls, 'low')
  sig.connect(low)
  sig.connect(r, { sender: 'b', priority: 10 })

  {
    using connection = sig.connectedTo(r, { sender: 'b' })
    expect(connection.connected).toBe(true)
  }

  sig.send('b')
  expect(calls).toEqual([
    ['r', 'b'],
    ['low', 'b'],
  ])
  expect(sig.receiverCount).toBe(2)
})

test('a receiverConnected receiver written as (sender, info) gets the signal as sender and the connect info, with no argument collision as in blinker (differs from blinker on purpose) (blinker: meta receiver def f(sender, **kw))', () => {
  const sig = new Signal<unknown, unknown>()
  const seen: unknown[][] = []
  sig.receiverConnected.connect((sender, info) => {
    seen.push([sender, info.receiver, info.sender])
  })
  const r = (): void => {}

  expect(sig.connect(r, { sender: 'x' })).toBe(r)
  expect(seen).toHaveLength(1)
  expect(seen[0]?.[0]).toBe(sig)
  expect(seen[0]?.[1]).toBe(r)
  expect(seen[0]?.[2]).toBe('x')
  expect(sig.receiversFor('x')).toEqual([r])
})

test('when a receiverConnected receiver throws, connect throws that error and the new connection is undone, for any error where blinker rolls back only on TypeError (differs from blinker on purpose) (blinker: meta receiver raising rolls back the connect)', () => {
  const sig = new Signal<unknown, unknown>()
  const failure = new RangeError('refused')
  const disconnects: unknown[] = []
  sig.receiverConnected.connect(() => {
    throw failure
  })
  sig.receiverDisconnected.connect((_sig, info) => {
    disconnects.push(info)
  })
  const calls: unknown[][] = []
  const r = recorder(calls, 'r')

  expect(() => sig.connect(r, { sender: 'x' })).toThrow(failure)
  expect(sig.receiverCount).toBe(0)
  expect(sig.hasReceiversFor('x')).toBe(false)
  expect(disconnects).toEqual([{ receiver: r, sender: 'x', reason: 'connect-failed' }])
  sig.send('x')
  expect(calls).toEqual([])
})
