import { ANY, type DisconnectReason, Signal } from 'signalry'
import { thrownBy } from '../helpers/thrown'

test('disconnectAll() removes every connection, for every sender, and returns how many', () => {
  const sig = new Signal<void, unknown>()
  const sender = { id: 'component' }
  const both = jest.fn()
  sig.connect(both)
  sig.connect(both, { sender: 'orders' })
  sig.connect(jest.fn(), { sender })
  sig.connect(jest.fn(), { sender: 7, priority: 5 })
  expect(sig.disconnectAll()).toBe(4)
  expect(sig.receiverCount).toBe(0)
  expect([sig.send('orders'), sig.send(sender), sig.send(7)]).toEqual([[], [], []])
  expect(sig.disconnectAll()).toBe(0)
})

test('with { sender } it removes only the connections for that sender; ANY means those for ANY', () => {
  const sig = new Signal<void, unknown>()
  const sender = { id: 'component' }
  const forAny = jest.fn()
  const forOrders = jest.fn()
  const forSender = jest.fn()
  sig.connect(forAny)
  sig.connect(forOrders, { sender: 'orders' })
  sig.connect(forSender, { sender })
  expect(sig.disconnectAll({ sender: 'users' })).toBe(0)
  expect(sig.disconnectAll({ sender: 'orders' })).toBe(1)
  expect(sig.receiversFor('orders')).toEqual([forAny])
  expect(sig.disconnectAll({ sender: ANY })).toBe(1)
  expect(sig.receiversFor(sender)).toEqual([forSender])
  expect(sig.disconnectAll({ sender })).toBe(1)
  expect(sig.receiverCount).toBe(0)
})

test('each removal is reported on receiverDisconnected like disconnect(), in connection order', () => {
  const sig = new Signal<void, string>()
  const reports: Array<[unknown, unknown, DisconnectReason]> = []
  sig.receiverDisconnected.connect((_, { receiver, sender, reason }) =>
    reports.push([receiver, sender, reason]),
  )
  const first = () => 1
  const second = () => 2
  const third = () => 3
  sig.connect(first, { sender: 'a' })
  sig.connect(second, { priority: 10 })
  sig.connect(third, { sender: 'b' })
  sig.disconnectAll()
  expect(reports).toEqual([
    [first, 'a', 'disconnected'],
    [second, ANY, 'disconnected'],
    [third, 'b', 'disconnected'],
  ])
})

test('a receiverDisconnected receiver that throws does not stop the other removals or reports', () => {
  const sig = new Signal()
  const reported: unknown[] = []
  const failure = new Error('audit failed')
  sig.receiverDisconnected.connect((_, { receiver }) => {
    reported.push(receiver)
    if (reported.length === 1) throw failure
  })
  sig.connect(() => 1)
  sig.connect(() => 2)
  expect(thrownBy(() => sig.disconnectAll())).toBe(failure)
  expect(reported).toHaveLength(2)
  expect(sig.receiverCount).toBe(0)
})

test.each(['send', 'emit', 'sendRobust'] as const)(
  'during %s(), receivers not yet called are not called by that send once disconnectAll() removed them',
  (method) => {
    const sig = new Signal()
    const calls: string[] = []
    sig.connect(() => calls.push('first'))
    sig.connect(() => {
      calls.push('second')
      sig.disconnectAll()
    })
    sig.connect(() => calls.push('third'))
    sig[method]()
    expect(calls).toEqual(['first', 'second'])
    sig[method]()
    expect(calls).toEqual(['first', 'second'])
  },
)

test('during a send for a sender, both the sender\u2019s and the ANY receivers are removed from the rest of it', () => {
  const sig = new Signal<void, string>()
  const later = jest.fn()
  sig.connect(() => sig.disconnectAll(), { sender: 'x', priority: 1 })
  sig.connect(later)
  sig.connect(later, { sender: 'x' })
  sig.send('x')
  expect(later).not.toHaveBeenCalled()
  expect(sig.receiverCount).toBe(0)
})

test('during sendAsync(), a receiver awaited later is not called once disconnectAll() removed it', async () => {
  const sig = new Signal()
  const later = jest.fn()
  sig.connect(async () => {
    await Promise.resolve()
    sig.disconnectAll()
  })
  sig.connect(later)
  await sig.sendAsync()
  expect(later).not.toHaveBeenCalled()
})

test('a receiver connected after disconnectAll() during a send is kept, and called by the next send', () => {
  const sig = new Signal()
  const late = jest.fn()
  sig.connect(() => {
    sig.disconnectAll()
    sig.connect(late)
  })
  sig.send()
  expect(late).not.toHaveBeenCalled()
  expect(sig.receiverCount).toBe(1)
  sig.send()
  expect(late).toHaveBeenCalledTimes(1)
})

test('connections made with an AbortSignal stop listening to it', () => {
  const sig = new Signal()
  const controller = new AbortController()
  const reasons: DisconnectReason[] = []
  sig.receiverDisconnected.connect((_, { reason }) => reasons.push(reason))
  sig.connect(() => 1, { signal: controller.signal })
  sig.disconnectAll()
  controller.abort()
  expect(reasons).toEqual(['disconnected'])
})

test('bad options throw a TypeError naming disconnectAll() and remove nothing', () => {
  const sig = new Signal<void, string>()
  sig.connect(() => 1)
  expect(() => sig.disconnectAll({ receiver: 'x' } as never)).toThrow(
    new TypeError('disconnectAll() got an unknown option "receiver"; the options are "sender"'),
  )
  expect(() => sig.disconnectAll('x' as never)).toThrow(
    /^disconnectAll\(\) expects an options object, got string "x"$/,
  )
  expect(sig.receiverCount).toBe(1)
})
