import { ANY, Signal } from 'signalry'

/** A receiver that records `label` (and the sender and payload) into `calls`. */
function recorder(calls: unknown[][], label: string) {
  const receiver = (sender: unknown, payload: unknown) => {
    calls.push([label, sender, payload])
    return label
  }
  Object.defineProperty(receiver, 'name', { value: label })
  return receiver
}

describe('calling receivers', () => {
  test('receivers are called as receiver(sender, payload) with this undefined', () => {
    const sig = new Signal<{ id: number }, string>()
    const seen: unknown[] = []
    sig.connect(function (this: unknown, sender, payload) {
      seen.push(this, sender, payload)
    })
    const payload = { id: 1 }
    sig.send('users', payload)
    expect(seen).toEqual([undefined, 'users', payload])
    expect(seen[2]).toBe(payload)
  })

  test('send returns [receiver, result] pairs in call order', () => {
    const sig = new Signal()
    const first = () => 'one'
    const second = () => 'two'
    sig.connect(first)
    sig.connect(second)
    expect(sig.send()).toEqual([
      [first, 'one'],
      [second, 'two'],
    ])
    expect(sig.send()[0]?.[0]).toBe(first)
  })

  test('send with no receivers returns an empty array', () => {
    expect(new Signal().send()).toEqual([])
  })

  test('send without arguments uses undefined as sender and payload', () => {
    const sig = new Signal()
    const calls: unknown[][] = []
    sig.connect(recorder(calls, 'r'))
    sig.send()
    expect(calls).toEqual([['r', undefined, undefined]])
  })

  test('emit calls receivers like send and returns whether any ran', () => {
    const sig = new Signal<number, string>()
    const calls: unknown[][] = []
    expect(sig.emit('a', 1)).toBe(false)
    sig.connect(recorder(calls, 'x'), { sender: 'x' })
    expect(sig.emit('a', 2)).toBe(false)
    sig.connect(recorder(calls, 'any'))
    expect(sig.emit('x', 3)).toBe(true)
    expect(calls).toEqual([
      ['x', 'x', 3],
      ['any', 'x', 3],
    ])
  })
})

describe('sender filtering', () => {
  test('a receiver connected for a sender runs only for that sender', () => {
    const sig = new Signal<void, unknown>()
    const calls: unknown[][] = []
    const alice = { name: 'alice' }
    sig.connect(recorder(calls, 'alice-only'), { sender: alice })
    sig.send({ name: 'alice' })
    sig.send('alice')
    sig.send()
    expect(calls).toEqual([])
    sig.send(alice)
    expect(calls).toEqual([['alice-only', alice, undefined]])
  })

  test('ANY receivers run for every sender, object or primitive', () => {
    const sig = new Signal<void, unknown>()
    const calls: unknown[][] = []
    sig.connect(recorder(calls, 'any'))
    const sym = Symbol('s')
    const fn = () => {}
    for (const sender of [undefined, null, 0, 'x', sym, {}, fn, 10n, true]) sig.send(sender)
    expect(calls.map((call) => call[1])).toEqual([
      undefined,
      null,
      0,
      'x',
      sym,
      expect.any(Object),
      fn,
      10n,
      true,
    ])
  })

  test('primitive senders match by value', () => {
    const sig = new Signal<void, unknown>()
    const calls: unknown[][] = []
    sig.connect(recorder(calls, 'num'), { sender: 123456789 })
    sig.connect(recorder(calls, 'str'), { sender: 'users' })
    sig.connect(recorder(calls, 'big'), { sender: 5n })
    sig.send(Number('123456789'))
    sig.send(['us', 'ers'].join(''))
    sig.send(BigInt(5))
    expect(calls.map((call) => call[0])).toEqual(['num', 'str', 'big'])
  })

  test('senders are compared with Object.is: NaN matches NaN, -0 does not match 0', () => {
    const sig = new Signal<void, unknown>()
    const calls: unknown[][] = []
    sig.connect(recorder(calls, 'nan'), { sender: NaN })
    sig.connect(recorder(calls, 'zero'), { sender: 0 })
    const minusZero = recorder(calls, 'minus-zero')
    sig.connect(minusZero, { sender: -0 })
    sig.send(Number('x'))
    sig.send(0)
    sig.send(-0)
    expect(calls.map((call) => call[0])).toEqual(['nan', 'zero', 'minus-zero'])
    expect(sig.hasReceiversFor(-0)).toBe(true)
    sig.disconnect(minusZero, { sender: -0 })
    expect(sig.hasReceiversFor(-0)).toBe(false)
    expect(sig.hasReceiversFor(0)).toBe(true)
  })

  test('objects match by identity, not by value', () => {
    const sig = new Signal<void, object>()
    const receiver = jest.fn()
    const a = { id: 1 }
    sig.connect(receiver, { sender: a })
    sig.send({ id: 1 })
    expect(receiver).not.toHaveBeenCalled()
    sig.send(a)
    expect(receiver).toHaveBeenCalledWith(a, undefined)
  })

  test('functions and classes can be senders', () => {
    class UserService {}
    const sig = new Signal<void, unknown>()
    const receiver = jest.fn()
    sig.connect(receiver, { sender: UserService })
    sig.send(class Other {})
    sig.send(UserService)
    expect(receiver).toHaveBeenCalledTimes(1)
    expect(receiver).toHaveBeenCalledWith(UserService, undefined)
  })

  test('send(ANY) reaches only ANY receivers, which get ANY as sender', () => {
    const sig = new Signal<void, unknown>()
    const calls: unknown[][] = []
    sig.connect(recorder(calls, 'any'))
    sig.connect(recorder(calls, 'x'), { sender: 'x' })
    sig.send(ANY)
    expect(calls).toEqual([['any', ANY, undefined]])
  })

  test('a receiver connected for ANY and for x runs once for send(x), at its earliest place', () => {
    const sig = new Signal<void, string>()
    const calls: unknown[][] = []
    const both = recorder(calls, 'both')
    sig.connect(recorder(calls, 'first'))
    sig.connect(both, { sender: 'x' })
    sig.connect(recorder(calls, 'middle'))
    sig.connect(both)
    expect(sig.send('x').map(([receiver]) => receiver.name)).toEqual(['first', 'both', 'middle'])
    expect(calls.map((call) => call[0])).toEqual(['first', 'both', 'middle'])
    calls.length = 0
    sig.send('y')
    expect(calls.map((call) => call[0])).toEqual(['first', 'middle', 'both'])
  })

  test('a receiver for ANY and x still runs once when its earlier connection is removed during the send', () => {
    const sig = new Signal<void, string>()
    const calls: unknown[][] = []
    const both = recorder(calls, 'both')
    sig.connect(() => sig.disconnect(both, { sender: 'x' }), { priority: 10 })
    sig.connect(both, { sender: 'x', priority: 5 })
    sig.connect(both)
    sig.send('x')
    expect(calls.map((call) => call[0])).toEqual(['both'])
  })

  test('a send with a sender calls only that sender\u2019s and the ANY receivers, however many senders exist', () => {
    const sig = new Signal<number, object>()
    const senders = Array.from({ length: 10_000 }, (_, id) => ({ id }))
    const counts = new Array<number>(senders.length).fill(0)
    senders.forEach((sender, index) => sig.connect(() => counts[index]!++, { sender }))
    expect(sig.receiverCount).toBe(10_000)
    const target = senders[4_321] as object
    expect(sig.send(target, 1)).toHaveLength(1)
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1)
    expect(counts[4_321]).toBe(1)
  })
})

describe('order', () => {
  test('receivers run in connection order across ANY and sender-specific connections', () => {
    const sig = new Signal<void, string>()
    const calls: unknown[][] = []
    sig.connect(recorder(calls, 'x1'), { sender: 'x' })
    sig.connect(recorder(calls, 'any1'))
    sig.connect(recorder(calls, 'x2'), { sender: 'x' })
    sig.connect(recorder(calls, 'y1'), { sender: 'y' })
    sig.connect(recorder(calls, 'any2'))
    sig.send('x')
    expect(calls.map((call) => call[0])).toEqual(['x1', 'any1', 'x2', 'any2'])
  })

  test('higher priority runs first; equal priorities run in connection order', () => {
    const sig = new Signal<void, string>()
    const calls: unknown[][] = []
    sig.connect(recorder(calls, 'default-a'))
    sig.connect(recorder(calls, 'low'), { priority: -5 })
    sig.connect(recorder(calls, 'high-x'), { sender: 'x', priority: 10 })
    sig.connect(recorder(calls, 'default-x'), { sender: 'x' })
    sig.connect(recorder(calls, 'high'), { priority: 10 })
    sig.connect(recorder(calls, 'fraction'), { priority: 0.5 })
    sig.send('x')
    expect(calls.map((call) => call[0])).toEqual([
      'high-x',
      'high',
      'fraction',
      'default-a',
      'default-x',
      'low',
    ])
    expect(sig.receiversFor('x').map((receiver) => receiver.name)).toEqual(calls.map((call) => call[0]))
  })

  test('connecting a receiver again keeps one connection and its place', () => {
    const sig = new Signal()
    const calls: unknown[][] = []
    const a = recorder(calls, 'a')
    sig.connect(a)
    sig.connect(recorder(calls, 'b'))
    sig.connect(a)
    expect(sig.receiverCount).toBe(2)
    sig.send()
    expect(calls.map((call) => call[0])).toEqual(['a', 'b'])
  })

  test('connecting again with new options: the later options win', () => {
    const sig = new Signal()
    const calls: unknown[][] = []
    const a = recorder(calls, 'a')
    sig.connect(a, { once: true })
    sig.connect(recorder(calls, 'b'), { priority: 1 })
    sig.connect(a, { priority: 2 })
    sig.send()
    sig.send()
    expect(calls.map((call) => call[0])).toEqual(['a', 'b', 'a', 'b'])
    sig.connect(a)
    calls.length = 0
    sig.send()
    expect(calls.map((call) => call[0])).toEqual(['b', 'a'])
  })

  test('a receiver whose priority changes keeps its connection order among equals', () => {
    const sig = new Signal()
    const calls: unknown[][] = []
    const a = recorder(calls, 'a')
    sig.connect(a, { priority: 5 })
    sig.connect(recorder(calls, 'b'))
    sig.connect(recorder(calls, 'c'))
    sig.connect(a, { priority: 0 })
    sig.send()
    expect(calls.map((call) => call[0])).toEqual(['a', 'b', 'c'])
  })
})

describe('disconnect', () => {
  test('disconnect without a sender removes the receiver for every sender', () => {
    const sig = new Signal<void, unknown>()
    const receiver = jest.fn()
    const obj = {}
    sig.connect(receiver)
    sig.connect(receiver, { sender: 'x' })
    sig.connect(receiver, { sender: obj })
    expect(sig.receiverCount).toBe(3)
    expect(sig.disconnect(receiver)).toBe(true)
    expect(sig.receiverCount).toBe(0)
    sig.send('x')
    sig.send(obj)
    sig.send()
    expect(receiver).not.toHaveBeenCalled()
  })

  test('disconnect with { sender } removes only that connection', () => {
    const sig = new Signal<void, unknown>()
    const receiver = jest.fn()
    sig.connect(receiver, { sender: 'x' })
    sig.connect(receiver, { sender: 'y' })
    sig.connect(receiver)
    expect(sig.disconnect(receiver, { sender: 'x' })).toBe(true)
    expect(sig.disconnect(receiver, { sender: ANY })).toBe(true)
    sig.send('x')
    expect(receiver).not.toHaveBeenCalled()
    sig.send('y')
    expect(receiver).toHaveBeenCalledTimes(1)
    expect(sig.receiverCount).toBe(1)
  })

  test('disconnect returns false, without error, when nothing matched', () => {
    const sig = new Signal<void, unknown>()
    const receiver = jest.fn()
    expect(sig.disconnect(receiver)).toBe(false)
    expect(sig.disconnect(receiver, { sender: 'zzz' })).toBe(false)
    sig.connect(receiver, { sender: 'x' })
    expect(sig.disconnect(receiver, { sender: 'y' })).toBe(false)
    expect(sig.disconnect(receiver, { sender: ANY })).toBe(false)
    expect(sig.hasReceiversFor('zzz')).toBe(false)
    expect(sig.hasReceiversFor('y')).toBe(false)
    expect(sig.receiverCount).toBe(1)
  })

  test('{ sender: undefined } is the sender undefined, not every sender', () => {
    const sig = new Signal<void, unknown>()
    const receiver = jest.fn()
    sig.connect(receiver, { sender: undefined })
    sig.connect(receiver, { sender: 'x' })
    sig.send('other')
    expect(receiver).not.toHaveBeenCalled()
    sig.send()
    expect(receiver).toHaveBeenCalledTimes(1)
    expect(sig.disconnect(receiver, { sender: undefined })).toBe(true)
    expect(sig.receiverCount).toBe(1)
  })
})

describe('queries', () => {
  test('hasReceiversFor is exact after connects and disconnects', () => {
    const sig = new Signal<void, unknown>()
    const receiver = () => {}
    const obj = {}
    expect(sig.hasReceiversFor('x')).toBe(false)
    expect(sig.hasReceiversFor(ANY)).toBe(false)
    sig.connect(receiver, { sender: 'x' })
    sig.connect(receiver, { sender: obj })
    expect(sig.hasReceiversFor('x')).toBe(true)
    expect(sig.hasReceiversFor(obj)).toBe(true)
    expect(sig.hasReceiversFor('y')).toBe(false)
    expect(sig.hasReceiversFor(ANY)).toBe(false)
    sig.disconnect(receiver, { sender: 'x' })
    expect(sig.hasReceiversFor('x')).toBe(false)
    sig.disconnect(receiver, { sender: obj })
    expect(sig.hasReceiversFor(obj)).toBe(false)
    sig.connect(receiver)
    expect([sig.hasReceiversFor('x'), sig.hasReceiversFor(obj), sig.hasReceiversFor(ANY)]).toEqual([
      true,
      true,
      true,
    ])
  })

  test('receiversFor lists the receivers a send would call, each once, in call order', () => {
    const sig = new Signal<void, string>()
    const a = () => {}
    const b = () => {}
    const c = () => {}
    sig.connect(a, { sender: 'x' })
    sig.connect(b)
    sig.connect(a)
    sig.connect(c, { sender: 'y', priority: 1 })
    expect(sig.receiversFor('x')).toEqual([a, b])
    expect(sig.receiversFor('y')).toEqual([c, b, a])
    expect(sig.receiversFor(ANY)).toEqual([b, a])
    expect(sig.receiversFor('z')).toEqual([b, a])
  })

  test('receiverCount counts live connections for every sender', () => {
    const sig = new Signal<void, unknown>()
    const a = () => {}
    const b = () => {}
    sig.connect(a)
    sig.connect(a, { sender: 'x' })
    sig.connect(b, { sender: {} })
    sig.connect(a)
    expect(sig.receiverCount).toBe(3)
    sig.disconnect(a)
    expect(sig.receiverCount).toBe(1)
  })

  test('signals describe themselves for logs', () => {
    expect(String(new Signal())).toBe('Signal')
    expect(String(new Signal('Sent after save.'))).toBe('Signal("Sent after save.")')
    expect(new Signal('Sent after save.').doc).toBe('Sent after save.')
    expect(new Signal().doc).toBeUndefined()
  })
})
