import { ANY, type ConnectInfo, type DisconnectInfo, Signal } from 'signalry'

function watch<P, S>(sig: Signal<P, S>) {
  const events: Array<[string, unknown, Record<string, unknown>]> = []
  sig.receiverConnected.connect((sender, info: ConnectInfo<P, S>) => {
    events.push(['connected', sender, { ...info }])
  })
  sig.receiverDisconnected.connect((sender, info: DisconnectInfo<P, S>) => {
    events.push(['disconnected', sender, { ...info }])
  })
  return events
}

test('meta-signals are created lazily, once, and are signals of their own', () => {
  const sig = new Signal()
  const connected = sig.receiverConnected
  expect(connected).toBeInstanceOf(Signal)
  expect(sig.receiverConnected).toBe(connected)
  expect(sig.receiverDisconnected).toBe(sig.receiverDisconnected)
  expect(sig.receiverDisconnected).not.toBe(connected)
  expect(connected.receiverCount).toBe(0)
})

test('receiverConnected is sent after each connect with the signal as sender', () => {
  const sig = new Signal<void, string>()
  const events = watch(sig)
  const receiver = () => {}
  sig.connect(receiver, { sender: 'x', priority: 2 })
  expect(events).toEqual([
    [
      'connected',
      sig,
      {
        receiver,
        sender: 'x',
        options: { sender: 'x', once: false, priority: 2, signal: undefined, weak: false, owner: undefined },
      },
    ],
  ])
  expect(sig.receiverCount).toBe(1)
})

test('receiverConnected is sent for a duplicate connect too, with the new options', () => {
  const sig = new Signal()
  const events = watch(sig)
  const receiver = () => {}
  sig.connect(receiver)
  sig.connect(receiver, { once: true })
  expect(events.map(([kind, , info]) => [kind, (info['options'] as { once: boolean }).once])).toEqual([
    ['connected', false],
    ['connected', true],
  ])
})

test('a receiver of receiverConnected sees the new connection already in place', () => {
  const sig = new Signal()
  let countSeen = -1
  sig.receiverConnected.connect((connectedTo) => {
    countSeen = connectedTo.receiverCount
  })
  sig.connect(() => {})
  expect(countSeen).toBe(1)
})

test('receiverDisconnected reports the receiver, the sender and the reason', () => {
  const sig = new Signal<void, string>()
  const events = watch(sig)
  const receiver = () => {}
  sig.connect(receiver, { sender: 'x' })
  sig.connect(receiver)
  events.length = 0
  sig.disconnect(receiver, { sender: 'x' })
  sig.disconnect(receiver)
  expect(events).toEqual([
    ['disconnected', sig, { receiver, sender: 'x', reason: 'disconnected' }],
    ['disconnected', sig, { receiver, sender: ANY, reason: 'disconnected' }],
  ])
})

test('disconnect without a sender reports each connection it removed', () => {
  const sig = new Signal<void, unknown>()
  const events = watch(sig)
  const receiver = () => {}
  const obj = {}
  sig.connect(receiver, { sender: 'x' })
  sig.connect(receiver, { sender: obj })
  sig.connect(receiver)
  events.length = 0
  sig.disconnect(receiver)
  expect(events.map(([, , info]) => info['sender'])).toEqual(['x', obj, ANY])
})

test('a disconnect that removes nothing sends nothing (blinker sends receiver_disconnected anyway)', () => {
  const sig = new Signal()
  const events = watch(sig)
  sig.disconnect(() => {})
  sig.disconnect(() => {}, { sender: 'nobody' })
  expect(events).toEqual([])
})

test('once, abort and scope ends are reported with their reasons', () => {
  const sig = new Signal()
  const events = watch(sig)
  const once = () => {}
  const aborted = () => {}
  const scoped = () => {}
  const byHandle = () => {}
  const controller = new AbortController()
  sig.connect(once, { once: true })
  sig.connect(aborted, { signal: controller.signal })
  sig.send()
  controller.abort()
  sig.connectedTo(scoped, () => {})
  sig.connectedTo(byHandle).disconnect()
  const reasons = events
    .filter(([kind]) => kind === 'disconnected')
    .map(([, , info]) => [info['receiver'], info['reason']])
  expect(reasons).toEqual([
    [once, 'called-once'],
    [aborted, 'aborted'],
    [scoped, 'scope-ended'],
    [byHandle, 'disconnected'],
  ])
})

test('a throwing receiverConnected receiver undoes the new connection and the error propagates', () => {
  const sig = new Signal()
  const events = watch(sig)
  const error = new Error('rejected by observer')
  sig.receiverConnected.connect(() => {
    throw error
  })
  const receiver = jest.fn()
  expect(() => sig.connect(receiver)).toThrow(error)
  expect(sig.receiverCount).toBe(0)
  sig.send()
  expect(receiver).not.toHaveBeenCalled()
  expect(events.map(([kind, , info]) => [kind, info['reason']])).toEqual([
    ['connected', undefined],
    ['disconnected', 'connect-failed'],
  ])
})

test('a throwing receiverConnected receiver leaves an existing connection in place on a duplicate connect', () => {
  const sig = new Signal()
  const receiver = jest.fn()
  sig.connect(receiver)
  sig.receiverConnected.connect(() => {
    throw new Error('observer fails')
  })
  expect(() => sig.connect(receiver, { priority: 1 })).toThrow('observer fails')
  sig.send()
  expect(receiver).toHaveBeenCalledTimes(1)
})

test('connectedTo never leaves a connection behind when receiverConnected throws', () => {
  const sig = new Signal()
  sig.receiverConnected.connect(() => {
    throw new Error('observer fails')
  })
  const body = jest.fn()
  expect(() => sig.connectedTo(() => {}, body)).toThrow('observer fails')
  expect(body).not.toHaveBeenCalled()
  expect(sig.receiverCount).toBe(0)
})

test('meta-signals of one signal do not see connections of another', () => {
  const a = new Signal()
  const b = new Signal()
  const events = watch(a)
  b.connect(() => {})
  expect(events).toEqual([])
})

test('connecting to a meta-signal is itself reported on the meta-signal\u2019s own meta-signal', () => {
  const sig = new Signal()
  const meta = jest.fn()
  sig.receiverConnected.receiverConnected.connect(meta)
  const observer = () => {}
  sig.receiverConnected.connect(observer)
  expect(meta).toHaveBeenCalledWith(sig.receiverConnected, expect.objectContaining({ receiver: observer }))
})
