import { ANY, Signal } from 'signalry'
import { deferred } from '../helpers/deferred'

describe('muted()', () => {
  test('while muted, sends call nothing and return empty results', () => {
    const sig = new Signal()
    const receiver = jest.fn(() => 1)
    sig.connect(receiver)
    const result = sig.muted(() => [sig.send(), sig.emit(), sig.sendRobust(), sig.isMuted])
    expect(result).toEqual([[], false, [], true])
    expect(receiver).not.toHaveBeenCalled()
    expect(sig.isMuted).toBe(false)
    expect(sig.send()).toEqual([[receiver, 1]])
  })

  test('muted() returns a Disposable that works with using', () => {
    const sig = new Signal()
    const receiver = jest.fn()
    sig.connect(receiver)
    {
      using _quiet = sig.muted()
      expect(sig.isMuted).toBe(true)
      sig.send()
    }
    expect(sig.isMuted).toBe(false)
    sig.send()
    expect(receiver).toHaveBeenCalledTimes(1)
  })

  test('disposing a mute twice unmutes once', () => {
    const sig = new Signal()
    const outer = sig.muted()
    const inner = sig.muted()
    inner[Symbol.dispose]()
    inner[Symbol.dispose]()
    expect(sig.isMuted).toBe(true)
    outer[Symbol.dispose]()
    expect(sig.isMuted).toBe(false)
  })

  // blinker's nested muted() unmutes when the inner scope ends; signalry differs on purpose (a scope
  // never ends another one). This is also the row "nested muted()" of blinkerEdgeCases.test.ts.
  test.each([
    [
      'callbacks',
      (sig: Signal, inner: () => void) =>
        sig.muted(() => {
          sig.muted(() => sig.send('inner'))
          inner()
        }),
    ],
    [
      'using',
      (sig: Signal, inner: () => void) => {
        using _outer = sig.muted()
        {
          using _inner = sig.muted()
          sig.send('inner')
        }
        inner()
      },
    ],
  ] as const)(
    'muting nests (%s): leaving an inner scope keeps the outer one in force (differs from blinker)',
    (_, nest) => {
      const sig = new Signal()
      const receiver = jest.fn()
      sig.connect(receiver)
      nest(sig, () => {
        expect(sig.isMuted).toBe(true)
        expect(sig.send('outer')).toEqual([])
      })
      expect(receiver).not.toHaveBeenCalled()
      expect(sig.isMuted).toBe(false)
      sig.send('after')
      expect(receiver.mock.calls).toEqual([['after', undefined]])
    },
  )

  test('the body result is returned', () => {
    expect(new Signal().muted(() => 42)).toBe(42)
  })

  test('a body that throws is unmuted and the error propagates', () => {
    const sig = new Signal()
    const error = new Error('boom')
    expect(() =>
      sig.muted(() => {
        throw error
      }),
    ).toThrow(error)
    expect(sig.isMuted).toBe(false)
  })

  test('an async body stays muted until its promise settles', async () => {
    const sig = new Signal()
    const receiver = jest.fn()
    sig.connect(receiver)
    const gate = deferred<string>()
    const done = sig.muted(async () => {
      const value = await gate.promise
      sig.send()
      return value
    })
    expect(sig.isMuted).toBe(true)
    gate.resolve('result')
    await expect(done).resolves.toBe('result')
    expect(sig.isMuted).toBe(false)
    expect(receiver).not.toHaveBeenCalled()
  })

  test('an async body that rejects is unmuted and the rejection propagates', async () => {
    const sig = new Signal()
    const error = new Error('async boom')
    const done = sig.muted(async () => {
      await Promise.resolve()
      throw error
    })
    expect(sig.isMuted).toBe(true)
    await expect(done).rejects.toBe(error)
    expect(sig.isMuted).toBe(false)
  })

  test('muting one signal does not mute another', () => {
    const a = new Signal()
    const b = new Signal()
    const receiver = jest.fn()
    b.connect(receiver)
    a.muted(() => b.send())
    expect(receiver).toHaveBeenCalledTimes(1)
  })
})

describe('connectedTo()', () => {
  test('the callback form connects for the body only and returns its result', () => {
    const sig = new Signal<number>()
    const seen: number[] = []
    sig.send(undefined, 1)
    const result = sig.connectedTo(
      (_, n) => seen.push(n),
      () => {
        sig.send(undefined, 2)
        return 'body result'
      },
    )
    sig.send(undefined, 3)
    expect(result).toBe('body result')
    expect(seen).toEqual([2])
    expect(sig.receiverCount).toBe(0)
  })

  test('the using form disconnects at the end of the block', () => {
    const sig = new Signal<number>()
    const seen: number[] = []
    {
      using connection = sig.connectedTo((_, n) => seen.push(n))
      expect(connection.connected).toBe(true)
      sig.send(undefined, 1)
    }
    sig.send(undefined, 2)
    expect(seen).toEqual([1])
    expect(sig.receiverCount).toBe(0)
  })

  test('options apply during the scope: sender filtering', () => {
    const sig = new Signal<void, number>()
    const seen: number[] = []
    sig.connectedTo(
      (sender) => seen.push(sender),
      { sender: 2 },
      () => {
        sig.send(1)
        sig.send(2)
      },
    )
    expect(seen).toEqual([2])
    expect(sig.receiverCount).toBe(0)
  })

  test('a body that throws still disconnects, and the error propagates', () => {
    const sig = new Signal()
    const receiver = jest.fn()
    const error = new Error('inside')
    expect(() =>
      sig.connectedTo(receiver, () => {
        sig.send()
        throw error
      }),
    ).toThrow(error)
    sig.send()
    expect(receiver).toHaveBeenCalledTimes(1)
    expect(sig.receiverCount).toBe(0)
  })

  test('a using block left by a throw disconnects', () => {
    const sig = new Signal()
    const receiver = jest.fn()
    expect(() => {
      using _connection = sig.connectedTo(receiver)
      sig.send()
      throw new Error('leave')
    }).toThrow('leave')
    sig.send()
    expect(receiver).toHaveBeenCalledTimes(1)
  })

  test('an async body stays connected until its promise settles', async () => {
    const sig = new Signal<string>()
    const seen: string[] = []
    const gate = deferred()
    const done = sig.connectedTo(
      (_, text) => seen.push(text),
      async () => {
        await gate.promise
        sig.send(undefined, 'after await')
        return 7
      },
    )
    sig.send(undefined, 'before await')
    gate.resolve()
    await expect(done).resolves.toBe(7)
    sig.send(undefined, 'after scope')
    expect(seen).toEqual(['before await', 'after await'])
    expect(sig.receiverCount).toBe(0)
  })

  test('an async body that rejects still disconnects', async () => {
    const sig = new Signal()
    const error = new Error('rejected')
    const done = sig.connectedTo(
      () => {},
      async () => {
        await Promise.resolve()
        throw error
      },
    )
    expect(sig.receiverCount).toBe(1)
    await expect(done).rejects.toBe(error)
    expect(sig.receiverCount).toBe(0)
  })

  test('a receiver connected for that sender before the scope stays connected after it (unlike blinker)', () => {
    const sig = new Signal<void, string>()
    const receiver = jest.fn()
    sig.connect(receiver, { sender: 'a' })
    sig.connect(receiver, { sender: 'b', priority: 3 })
    sig.connectedTo(receiver, { sender: 'b' }, () => sig.send('b'))
    sig.connectedTo(receiver, { sender: 'c' }, () => sig.send('c'))
    expect(receiver).toHaveBeenCalledTimes(2)
    receiver.mockClear()
    sig.send('a')
    sig.send('b')
    sig.send('c')
    expect(receiver.mock.calls).toEqual([
      ['a', undefined],
      ['b', undefined],
    ])
    expect(sig.receiverCount).toBe(2)
  })

  test('a scope over an existing connection leaves its options unchanged', () => {
    const sig = new Signal()
    const calls: string[] = []
    const a = () => calls.push('a')
    sig.connect(a, { priority: 5 })
    sig.connect(() => calls.push('b'), { priority: 1 })
    sig.connectedTo(a, { priority: -10 }, () => sig.send())
    expect(calls).toEqual(['a', 'b'])
  })

  test('the Connection of a scope over an existing connection does not remove it', () => {
    const sig = new Signal()
    const receiver = jest.fn()
    sig.connect(receiver)
    const connection = sig.connectedTo(receiver)
    expect(connection.connected).toBe(true)
    expect(connection.disconnect()).toBe(false)
    connection[Symbol.dispose]()
    expect(sig.receiverCount).toBe(1)
  })

  test('the scope removes only the connection it made, not one made again meanwhile', () => {
    const sig = new Signal()
    const receiver = jest.fn()
    const connection = sig.connectedTo(receiver)
    sig.disconnect(receiver)
    sig.connect(receiver)
    expect(connection.connected).toBe(false)
    connection[Symbol.dispose]()
    expect(sig.receiverCount).toBe(1)
  })

  test('Connection.disconnect() removes the connection once and reports it', () => {
    const sig = new Signal()
    const connection = sig.connectedTo(() => {})
    expect(connection.disconnect()).toBe(true)
    expect(connection.connected).toBe(false)
    expect(connection.disconnect()).toBe(false)
    expect(sig.receiverCount).toBe(0)
  })

  test('connectedTo with the ANY sender option connects for every sender', () => {
    const sig = new Signal<void, string>()
    const receiver = jest.fn()
    sig.connectedTo(receiver, { sender: ANY }, () => {
      sig.send('x')
      sig.send('y')
    })
    expect(receiver).toHaveBeenCalledTimes(2)
  })

  test('a receiver connected in the scope by other code is not removed by it', () => {
    const sig = new Signal()
    const scoped = jest.fn()
    const other = jest.fn()
    sig.connectedTo(scoped, () => {
      sig.connect(other)
    })
    sig.send()
    expect(scoped).not.toHaveBeenCalled()
    expect(other).toHaveBeenCalledTimes(1)
  })

  test('tests can assert that a send happened, the way examples/testing-with-connected-to.ts does', () => {
    const orderPlaced = new Signal<{ total: number }, string>()
    function checkout(total: number) {
      orderPlaced.send('shop', { total })
    }
    const receiver = jest.fn()
    orderPlaced.connectedTo(receiver, () => checkout(30))
    expect(receiver).toHaveBeenCalledWith('shop', { total: 30 })
  })
})
