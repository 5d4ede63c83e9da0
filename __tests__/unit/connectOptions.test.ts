import { Signal } from 'signalry'

describe('once', () => {
  test('a once receiver runs for the first matching send only', () => {
    const sig = new Signal<void, string>()
    const receiver = jest.fn()
    sig.connect(receiver, { once: true, sender: 'x' })
    sig.send('y')
    sig.send('x')
    sig.send('x')
    expect(receiver).toHaveBeenCalledTimes(1)
    expect(sig.receiverCount).toBe(0)
  })

  test('a once receiver is disconnected before its call, so a re-entrant send cannot call it twice', () => {
    const sig = new Signal()
    let calls = 0
    let connectedDuringCall: boolean | undefined
    sig.connect(
      () => {
        calls++
        connectedDuringCall = sig.receiverCount > 0
        sig.send()
      },
      { once: true },
    )
    sig.send()
    expect(calls).toBe(1)
    expect(connectedDuringCall).toBe(false)
  })

  test('a once receiver that throws is still disconnected', () => {
    const sig = new Signal()
    const receiver = jest.fn(() => {
      throw new Error('first call fails')
    })
    sig.connect(receiver, { once: true })
    expect(() => sig.send()).toThrow('first call fails')
    sig.send()
    expect(receiver).toHaveBeenCalledTimes(1)
  })

  test('once works with emit and sendRobust too', () => {
    const sig = new Signal()
    const viaEmit = jest.fn()
    sig.connect(viaEmit, { once: true })
    sig.emit()
    sig.emit()
    const viaRobust = jest.fn()
    sig.connect(viaRobust, { once: true })
    sig.sendRobust()
    sig.sendRobust()
    expect(viaEmit).toHaveBeenCalledTimes(1)
    expect(viaRobust).toHaveBeenCalledTimes(1)
  })

  test('a muted send does not use up a once receiver', () => {
    const sig = new Signal()
    const receiver = jest.fn()
    sig.connect(receiver, { once: true })
    sig.muted(() => sig.send())
    sig.send()
    expect(receiver).toHaveBeenCalledTimes(1)
  })

  test('a once receiver for ANY and x runs once for send(x) and leaves its x connection', () => {
    const sig = new Signal<void, string>()
    const receiver = jest.fn()
    sig.connect(receiver, { once: true })
    sig.connect(receiver, { sender: 'x' })
    sig.send('x')
    expect(receiver).toHaveBeenCalledTimes(1)
    sig.send('x')
    expect(receiver).toHaveBeenCalledTimes(2)
    sig.send('y')
    expect(receiver).toHaveBeenCalledTimes(2)
  })
})

describe('signal (AbortSignal)', () => {
  test('aborting disconnects the receiver', () => {
    const sig = new Signal()
    const receiver = jest.fn()
    const controller = new AbortController()
    sig.connect(receiver, { signal: controller.signal })
    sig.send()
    controller.abort()
    sig.send()
    expect(receiver).toHaveBeenCalledTimes(1)
    expect(sig.receiverCount).toBe(0)
  })

  test('an already aborted signal connects nothing', () => {
    const sig = new Signal()
    const receiver = jest.fn()
    const events = jest.fn()
    sig.receiverConnected.connect(events)
    expect(sig.connect(receiver, { signal: AbortSignal.abort() })).toBe(receiver)
    sig.send()
    expect(receiver).not.toHaveBeenCalled()
    expect(sig.receiverCount).toBe(0)
    expect(events).not.toHaveBeenCalled()
  })

  test('aborting during a send stops the aborted receiver from being called later in it', () => {
    const sig = new Signal()
    const controller = new AbortController()
    const later = jest.fn()
    sig.connect(() => controller.abort())
    sig.connect(later, { signal: controller.signal })
    sig.send()
    expect(later).not.toHaveBeenCalled()
  })

  test('an explicit disconnect removes the abort listener, so a later abort removes nothing new', () => {
    const sig = new Signal()
    const receiver = jest.fn()
    const controller = new AbortController()
    const removeEventListener = jest.spyOn(controller.signal, 'removeEventListener')
    sig.connect(receiver, { signal: controller.signal })
    sig.disconnect(receiver)
    expect(removeEventListener).toHaveBeenCalledWith('abort', expect.any(Function))
    sig.connect(receiver)
    controller.abort()
    sig.send()
    expect(receiver).toHaveBeenCalledTimes(1)
  })

  test('connecting again without the signal option drops the earlier abort signal (later options win)', () => {
    const sig = new Signal()
    const receiver = jest.fn()
    const controller = new AbortController()
    sig.connect(receiver, { signal: controller.signal })
    sig.connect(receiver)
    controller.abort()
    sig.send()
    expect(receiver).toHaveBeenCalledTimes(1)
  })

  test('connecting again with another signal: only the latest one disconnects', () => {
    const sig = new Signal()
    const receiver = jest.fn()
    const first = new AbortController()
    const second = new AbortController()
    sig.connect(receiver, { signal: first.signal })
    sig.connect(receiver, { signal: second.signal })
    first.abort()
    expect(sig.receiverCount).toBe(1)
    second.abort()
    expect(sig.receiverCount).toBe(0)
  })

  test('one abort signal can end many connections on many signals', () => {
    const a = new Signal()
    const b = new Signal<void, string>()
    const controller = new AbortController()
    a.connect(() => {}, { signal: controller.signal })
    b.connect(() => {}, { signal: controller.signal, sender: 'x' })
    b.connect(() => {}, { signal: controller.signal })
    controller.abort()
    expect(a.receiverCount + b.receiverCount).toBe(0)
    expect(b.hasReceiversFor('x')).toBe(false)
  })
})

describe('connectVia', () => {
  test('connectVia(sender) returns a function that connects its argument for that sender and returns it', () => {
    const sig = new Signal<number, string>()
    const receiver = jest.fn()
    const returned = sig.connectVia('dice')(receiver)
    expect(returned).toBe(receiver)
    sig.send('coin', 1)
    sig.send('dice', 6)
    expect(receiver.mock.calls).toEqual([['dice', 6]])
  })

  test('connectVia() without a sender connects for every sender', () => {
    const sig = new Signal<void, string>()
    const receiver = sig.connectVia()(jest.fn())
    sig.send('a')
    sig.send('b')
    expect(receiver).toHaveBeenCalledTimes(2)
  })

  test('connectVia stacks for several senders, like blinker\u2019s stacked connect_via', () => {
    const sig = new Signal<void, number>()
    const odd = sig.connectVia(1)(sig.connectVia(3)(jest.fn()))
    for (const value of [1, 2, 3, 4]) sig.send(value)
    expect(odd.mock.calls).toEqual([
      [1, undefined],
      [3, undefined],
    ])
  })

  test('connectVia passes the other options through', () => {
    const sig = new Signal()
    const calls: string[] = []
    sig.connect(() => calls.push('default'))
    sig.connectVia(undefined, { priority: 1, once: true })(() => calls.push('first, once'))
    sig.send()
    sig.send()
    expect(calls).toEqual(['first, once', 'default', 'default'])
  })

  test('connectVia(undefined) connects for the sender undefined, not for every sender', () => {
    const sig = new Signal<void, string | undefined>()
    const receiver = sig.connectVia(undefined)(jest.fn())
    sig.send('x')
    sig.send(undefined)
    expect(receiver.mock.calls).toEqual([[undefined, undefined]])
  })
})
