import { AsyncReceiverError, NamedSignal, SendDepthError, Signal } from 'signalry'
import { thrownBy } from '../helpers/thrown'

// Receiver errors (propagated by send/emit, reported by sendRobust) and the library's own errors
// (AsyncReceiverError, SendDepthError). After any of them every signal involved keeps working.

/** Nests `levels` sends of one fresh signal (a receiver sending its own signal) and returns the deepest level reached. */
function nestSends(levels: number): number {
  const nested = new Signal<number>()
  let deepest = 0
  nested.connect((_, level) => {
    deepest = Math.max(deepest, level)
    if (level < levels) nested.send(undefined, level + 1)
  })
  nested.send(undefined, 1)
  return deepest
}

afterEach(() => {
  Signal.maxSendDepth = 100
})

describe('send and emit', () => {
  test.each(['send', 'emit'] as const)(
    '%s() propagates the first receiver error and calls no later receiver',
    (method) => {
      const sig = new Signal<number>()
      const boom = new Error('receiver failed')
      const before = jest.fn(() => 'before')
      const failing = jest.fn(() => {
        throw boom
      })
      const alsoFailing = jest.fn(() => {
        throw new Error('second failure')
      })
      const after = jest.fn(() => 'after')
      sig.connect(after, { priority: -1 })
      sig.connect(before, { priority: 1 })
      sig.connect(failing)
      sig.connect(alsoFailing)

      expect(thrownBy(() => sig[method](undefined, 1))).toBe(boom)
      expect(before).toHaveBeenCalledTimes(1)
      expect(before).toHaveBeenCalledWith(undefined, 1)
      expect(failing).toHaveBeenCalledTimes(1)
      expect(alsoFailing).not.toHaveBeenCalled()
      expect(after).not.toHaveBeenCalled()
      expect(sig.receiverCount).toBe(4)
    },
  )

  test.each(['send', 'emit'] as const)(
    'the signal is fully usable after %s() propagated an error',
    (method) => {
      const sig = new Signal<number>()
      let failing = true
      const flaky = jest.fn((_: unknown, n: number) => {
        if (failing) throw new Error('flaky')
        return n * 2
      })
      const after = jest.fn((_: unknown, n: number) => n + 1)
      sig.connect(flaky)
      sig.connect(after)

      expect(() => sig[method](undefined, 1)).toThrow('flaky')
      expect(() => sig[method](undefined, 1)).toThrow('flaky')
      expect(sig.isMuted).toBe(false)
      expect(sig.receiverCount).toBe(2)
      failing = false
      expect(sig.send(undefined, 5)).toEqual([
        [flaky, 10],
        [after, 6],
      ])
      expect(sig.emit(undefined, 5)).toBe(true)
      expect(after).toHaveBeenCalledTimes(2)
      expect(sig.sendRobust(undefined, 5)).toEqual([
        [flaky, { status: 'fulfilled', value: 10 }],
        [after, { status: 'fulfilled', value: 6 }],
      ])
    },
  )

  test.each(['send', 'emit'] as const)(
    '%s() leaves the nesting depth at zero after an error thrown 50 sends deep',
    (method) => {
      const deep = new Signal<number>()
      const boom = new Error('failed at level 50')
      let deepest = 0
      deep.connect((_, level) => {
        deepest = level
        if (level === 50) throw boom
        if (method === 'send') deep.send(undefined, level + 1)
        else deep.emit(undefined, level + 1)
      })

      expect(thrownBy(() => deep[method](undefined, 1))).toBe(boom)
      expect(deepest).toBe(50)
      expect(Signal.maxSendDepth).toBe(100)
      // A full-depth legitimate nesting still fits: no level leaked from the failed sends.
      expect(nestSends(Signal.maxSendDepth)).toBe(100)
      expect(() => nestSends(Signal.maxSendDepth + 1)).toThrow(SendDepthError)
      expect(nestSends(Signal.maxSendDepth)).toBe(100)
    },
  )

  test('an error caught by an enclosing receiver leaves the depth right too', () => {
    const outer = new Signal()
    const inner = new Signal()
    const boom = new Error('inner failed')
    inner.connect(() => {
      throw boom
    })
    const caught: unknown[] = []
    outer.connect(() => {
      for (let i = 0; i < 200; i++) {
        try {
          inner.send()
        } catch (error) {
          caught.push(error)
        }
      }
      return nestSends(Signal.maxSendDepth - 1)
    })
    expect(outer.send()).toEqual([[expect.any(Function), 99]])
    expect(caught).toHaveLength(200)
    expect(caught.every((error) => error === boom)).toBe(true)
  })

  test('a receiver error inside muted(body) leaves the signal unmuted', () => {
    const sig = new Signal()
    const inner = new Signal()
    const boom = new Error('failed while muted')
    inner.connect(() => {
      throw boom
    })
    const receiver = jest.fn(() => 'ran')
    sig.connect(receiver)
    expect(thrownBy(() => sig.muted(() => inner.send()))).toBe(boom)
    expect(sig.isMuted).toBe(false)
    expect(sig.send()).toEqual([[receiver, 'ran']])
  })

  test('a receiver error inside connectedTo(body) still ends the scope', () => {
    const sig = new Signal()
    const boom = new Error('failed in scope')
    const failing = jest.fn(() => {
      throw boom
    })
    const kept = jest.fn(() => 'kept')
    sig.connect(kept)
    expect(thrownBy(() => sig.connectedTo(failing, { priority: 1 }, () => sig.send()))).toBe(boom)
    expect(failing).toHaveBeenCalledTimes(1)
    expect(kept).not.toHaveBeenCalled()
    expect(sig.receiverCount).toBe(1)
    expect(sig.send()).toEqual([[kept, 'kept']])
  })

  test('a throwing receiverConnected receiver undoes the connect and propagates its error', () => {
    const sig = new Signal()
    const boom = new Error('audit failed')
    sig.receiverConnected.connect(() => {
      throw boom
    })
    const receiver = jest.fn()
    expect(thrownBy(() => sig.connect(receiver))).toBe(boom)
    expect(sig.receiverCount).toBe(0)
    expect(sig.send()).toEqual([])
    expect(receiver).not.toHaveBeenCalled()
  })
})

describe('error identity and non-Error throw values', () => {
  class CustomError extends Error {
    readonly code = 'E_CUSTOM'
  }

  test.each<[string, unknown]>([
    ['an Error', new Error('plain')],
    ['a subclass of Error', new CustomError('custom')],
    ['a TypeError', new TypeError('typed')],
    ['a string', 'just a string'],
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a plain object', { reason: 'object' }],
  ])('send() and emit() propagate %s as the very value thrown', (_label, value) => {
    const sig = new Signal()
    const later = jest.fn()
    sig.connect(() => {
      throw value
    })
    sig.connect(later)
    expect(thrownBy(() => sig.send())).toBe(value)
    expect(thrownBy(() => sig.emit())).toBe(value)
    expect(later).not.toHaveBeenCalled()
  })

  test('an error keeps its stack, message and own properties', () => {
    const sig = new Signal()
    const error = new CustomError('custom failure')
    const stack = error.stack
    sig.connect(() => {
      throw error
    })
    const thrown = thrownBy(() => sig.send())
    expect(thrown).toBe(error)
    expect(thrown).toBeInstanceOf(CustomError)
    expect((thrown as CustomError).message).toBe('custom failure')
    expect((thrown as CustomError).code).toBe('E_CUSTOM')
    expect((thrown as CustomError).stack).toBe(stack)
  })
})

describe('sendRobust', () => {
  test('calls every receiver and reports outcomes shaped like PromiseSettledResult, in call order', () => {
    const sig = new Signal<number, string>()
    const error = new Error('robust failure')
    const ok = jest.fn((_: string, n: number) => n + 1)
    const failing = jest.fn(() => {
      throw error
    })
    const throwsString = jest.fn(() => {
      throw 'a string'
    })
    const throwsUndefined = jest.fn(() => {
      throw undefined
    })
    const returnsNothing = jest.fn(() => {})
    sig.connect(returnsNothing, { priority: -1 })
    sig.connect(failing)
    sig.connect(throwsString)
    sig.connect(ok, { priority: 5 })
    sig.connect(throwsUndefined, { sender: 'db' })

    const outcomes = sig.sendRobust('db', 1)
    expect(outcomes).toStrictEqual([
      [ok, { status: 'fulfilled', value: 2 }],
      [failing, { status: 'rejected', reason: error }],
      [throwsString, { status: 'rejected', reason: 'a string' }],
      [throwsUndefined, { status: 'rejected', reason: undefined }],
      [returnsNothing, { status: 'fulfilled', value: undefined }],
    ])
    for (const receiver of [ok, failing, throwsString, throwsUndefined, returnsNothing]) {
      expect(receiver).toHaveBeenCalledTimes(1)
      expect(receiver).toHaveBeenCalledWith('db', 1)
    }
    expect(outcomes[1]?.[1]).toHaveProperty('reason')
    expect((outcomes[1]?.[1] as PromiseRejectedResult).reason).toBe(error)
    expect(Object.keys(outcomes[3]?.[1] ?? {})).toEqual(['status', 'reason'])
    expect(Object.keys(outcomes[4]?.[1] ?? {})).toEqual(['status', 'value'])
  })

  test('has the same shape as Promise.allSettled', async () => {
    const sig = new Signal()
    const error = new Error('settled')
    sig.connect(() => 'value')
    sig.connect(() => {
      throw error
    })
    const outcomes = sig.sendRobust().map(([, outcome]) => outcome)
    const settled = await Promise.allSettled([Promise.resolve('value'), Promise.reject(error)])
    expect(outcomes).toStrictEqual(settled)
  })

  test('keeps the exact object thrown', () => {
    const sig = new Signal()
    const thrown = { not: 'an error' }
    sig.connect(() => {
      throw thrown
    })
    const [[, outcome] = [undefined, undefined]] = sig.sendRobust()
    expect(outcome?.status).toBe('rejected')
    expect((outcome as PromiseRejectedResult).reason).toBe(thrown)
  })

  test('leaves the signal usable and once receivers gone even when they throw', () => {
    const sig = new Signal()
    const onceFailing = jest.fn(() => {
      throw new Error('once')
    })
    const steady = jest.fn(() => 'steady')
    sig.connect(onceFailing, { once: true })
    sig.connect(steady)
    expect(sig.sendRobust().map(([, outcome]) => outcome.status)).toEqual(['rejected', 'fulfilled'])
    expect(sig.receiverCount).toBe(1)
    expect(sig.send()).toEqual([[steady, 'steady']])
    expect(onceFailing).toHaveBeenCalledTimes(1)
  })
})

describe('async receivers', () => {
  async function asyncNamed(): Promise<string> {
    return 'async'
  }
  const asyncArrow = async (): Promise<string> => 'arrow'
  const asyncBound = asyncNamed.bind(null)

  const asyncReceivers: Array<[string, () => Promise<string>]> = [
    ['an async function', asyncNamed],
    ['an async arrow', asyncArrow],
    ['a bound async function', asyncBound],
  ]
  const methods = ['send', 'emit', 'sendRobust'] as const
  const cases = methods.flatMap((method) =>
    asyncReceivers.map(([label, receiver]) => [method, label, receiver] as const),
  )

  test.each(cases)(
    '%s() throws AsyncReceiverError for %s before any receiver runs',
    (method, _label, asyncReceiver) => {
      const sig = new Signal()
      const first = jest.fn(() => 'sync')
      const last = jest.fn(() => 'sync too')
      sig.connect(first, { priority: 10 })
      sig.connect(asyncReceiver)
      sig.connect(last, { priority: -10 })

      const error = thrownBy(() => sig[method]())
      expect(error).toBeInstanceOf(AsyncReceiverError)
      expect(error).toBeInstanceOf(Error)
      expect((error as AsyncReceiverError).name).toBe('AsyncReceiverError')
      expect((error as AsyncReceiverError).receiver).toBe(asyncReceiver)
      expect((error as AsyncReceiverError).message).toContain('sendAsync')
      expect((error as AsyncReceiverError).message).toContain(`${method}()`)
      expect(first).not.toHaveBeenCalled()
      expect(last).not.toHaveBeenCalled()
      expect(sig.receiverCount).toBe(3)
    },
  )

  test('the error names the async receiver', () => {
    const sig = new NamedSignal('upload.done')
    sig.connect(asyncNamed)
    expect(() => sig.send()).toThrow(/asyncNamed/)
    expect(() => sig.send()).toThrow(/upload\.done/)
  })

  test('an async receiver connected for sender "a" does not affect sends for "b"', () => {
    const sig = new Signal<void, string>()
    const sync = jest.fn(() => 'sync')
    sig.connect(sync, { priority: 1 })
    sig.connect(asyncArrow, { sender: 'a' })

    expect(sig.send('b')).toEqual([[sync, 'sync']])
    expect(sig.emit('b')).toBe(true)
    expect(sig.sendRobust('b')).toEqual([[sync, { status: 'fulfilled', value: 'sync' }]])
    expect(sync).toHaveBeenCalledTimes(3)

    expect(() => sig.send('a')).toThrow(AsyncReceiverError)
    expect(() => sig.emit('a')).toThrow(AsyncReceiverError)
    expect(() => sig.sendRobust('a')).toThrow(AsyncReceiverError)
    expect(sync).toHaveBeenCalledTimes(3)
  })

  test('send() works again after the async receiver is disconnected', () => {
    const sig = new Signal()
    const sync = jest.fn(() => 'sync')
    sig.connect(sync)
    sig.connect(asyncBound)
    expect(() => sig.send()).toThrow(AsyncReceiverError)
    expect(sig.disconnect(asyncBound)).toBe(true)
    expect(sig.send()).toEqual([[sync, 'sync']])
    expect(sig.emit()).toBe(true)
    expect(sig.sendRobust()).toEqual([[sync, { status: 'fulfilled', value: 'sync' }]])
    expect(sync).toHaveBeenCalledTimes(3)
  })

  test('send() works again after an async receiver connected for a scope is gone', () => {
    const sig = new Signal()
    const sync = jest.fn(() => 'sync')
    sig.connect(sync)
    expect(() => sig.connectedTo(asyncNamed, () => sig.send())).toThrow(AsyncReceiverError)
    expect(sig.receiverCount).toBe(1)
    expect(sig.send()).toEqual([[sync, 'sync']])
  })

  test('a plain function returning a promise is not detected: send() returns the promise', () => {
    const sig = new Signal()
    const promise = Promise.resolve('later')
    const promising = jest.fn(() => promise)
    sig.connect(promising)
    const results = sig.send()
    expect(results).toHaveLength(1)
    expect(results[0]?.[0]).toBe(promising)
    expect(results[0]?.[1]).toBe(promise)
    expect(promising).toHaveBeenCalledTimes(1)
  })
})

describe('runaway cycles', () => {
  function cycleOf(first: Signal, second: Signal) {
    let cycling = true
    const firstReceiver = jest.fn(() => {
      if (cycling) second.send()
      return 'first'
    })
    const secondReceiver = jest.fn(() => {
      if (cycling) first.send()
      return 'second'
    })
    first.connect(firstReceiver)
    second.connect(secondReceiver)
    return {
      firstReceiver,
      secondReceiver,
      stop(): void {
        cycling = false
      },
    }
  }

  test('the default limit is 100 nested sends', () => {
    expect(Signal.maxSendDepth).toBe(100)
    expect(nestSends(100)).toBe(100)
    expect(() => nestSends(101)).toThrow(SendDepthError)
  })

  test('A sends B sends A … throws a SendDepthError naming the cycle, not a stack overflow', () => {
    const saved = new NamedSignal('order.saved')
    const changed = new NamedSignal('stock.changed')
    const { firstReceiver, secondReceiver } = cycleOf(saved, changed)

    const error = thrownBy(() => saved.send())
    expect(error).toBeInstanceOf(SendDepthError)
    expect(error).toBeInstanceOf(Error)
    expect(error).not.toBeInstanceOf(RangeError)
    const depthError = error as SendDepthError
    expect(depthError.name).toBe('SendDepthError')
    expect(depthError.limit).toBe(100)
    expect(depthError.cycle).toEqual(['order.saved', 'stock.changed', 'order.saved'])
    expect(depthError.chain).toHaveLength(Signal.maxSendDepth + 1)
    depthError.chain.forEach((name, index) =>
      expect(name).toBe(index % 2 === 0 ? 'order.saved' : 'stock.changed'),
    )
    expect(depthError.message).toMatch(/order\.saved.*stock\.changed.*order\.saved/)
    expect(depthError.message).not.toMatch(/Maximum call stack/)
    // The innermost send (the 101st) throws before its receivers run.
    expect(firstReceiver).toHaveBeenCalledTimes(50)
    expect(secondReceiver).toHaveBeenCalledTimes(50)
  })

  test('emit() in a cycle throws a SendDepthError too', () => {
    const ping = new NamedSignal('ping')
    const pong = new NamedSignal('pong')
    ping.connect(() => pong.emit())
    pong.connect(() => ping.emit())
    const error = thrownBy(() => pong.emit())
    expect(error).toBeInstanceOf(SendDepthError)
    expect((error as SendDepthError).cycle).toEqual(['pong', 'ping', 'pong'])
  })

  test('a cycle of three signals is reported with all three names', () => {
    const a = new NamedSignal('cycle.a')
    const b = new NamedSignal('cycle.b')
    const c = new NamedSignal('cycle.c')
    a.connect(() => b.send())
    b.connect(() => c.send())
    c.connect(() => a.send())
    const error = thrownBy(() => a.send()) as SendDepthError
    expect(error).toBeInstanceOf(SendDepthError)
    expect(error.cycle).toHaveLength(4)
    expect(error.cycle[0]).toBe(error.cycle[3])
    expect([...error.cycle.slice(0, 3)].sort()).toEqual(['cycle.a', 'cycle.b', 'cycle.c'])
    expect(error.chain.slice(0, 3)).toEqual(['cycle.a', 'cycle.b', 'cycle.c'])
    expect(error.chain[error.chain.length - 1]).toBe(error.cycle[3])
    for (const name of ['cycle.a', 'cycle.b', 'cycle.c']) expect(error.message).toContain(name)
  })

  test('self-recursion of an unnamed Signal reports "(unnamed Signal)"', () => {
    const loop = new Signal('documented but unnamed')
    loop.connect(() => loop.send())
    const error = thrownBy(() => loop.send()) as SendDepthError
    expect(error).toBeInstanceOf(SendDepthError)
    expect(error.cycle).toEqual(['(unnamed Signal)', '(unnamed Signal)'])
    expect(error.chain).toHaveLength(101)
    expect(error.chain.every((label) => label === '(unnamed Signal)')).toBe(true)
    expect(error.message).toContain('(unnamed Signal)')
  })

  test('Signal.maxSendDepth is configurable: with 5, five nested sends work and six throw', () => {
    Signal.maxSendDepth = 5
    expect(Signal.maxSendDepth).toBe(5)
    expect(nestSends(5)).toBe(5)
    const error = thrownBy(() => nestSends(6)) as SendDepthError
    expect(error).toBeInstanceOf(SendDepthError)
    expect(error.limit).toBe(5)
    expect(error.chain).toHaveLength(6)
    expect(error.message).toContain('5')
    expect(nestSends(5)).toBe(5)
  })

  test('a lowered limit applies to cycles, with a chain of limit + 1', () => {
    Signal.maxSendDepth = 5
    const a = new NamedSignal('a')
    const b = new NamedSignal('b')
    const { firstReceiver, secondReceiver } = cycleOf(a, b)
    const error = thrownBy(() => a.send()) as SendDepthError
    expect(error).toBeInstanceOf(SendDepthError)
    expect(error.limit).toBe(5)
    expect(error.chain).toEqual(['a', 'b', 'a', 'b', 'a', 'b'])
    expect(error.cycle).toEqual(['b', 'a', 'b'])
    expect(firstReceiver).toHaveBeenCalledTimes(3)
    expect(secondReceiver).toHaveBeenCalledTimes(2)
  })

  test('a raised limit allows deeper legitimate nesting', () => {
    Signal.maxSendDepth = 300
    expect(nestSends(300)).toBe(300)
    expect(() => nestSends(301)).toThrow(SendDepthError)
  })

  test('every signal involved works again after a SendDepthError', () => {
    const a = new NamedSignal('a')
    const b = new NamedSignal('b')
    const { firstReceiver, secondReceiver, stop } = cycleOf(a, b)
    const first = thrownBy(() => a.send()) as SendDepthError
    const second = thrownBy(() => b.send()) as SendDepthError
    expect(first).toBeInstanceOf(SendDepthError)
    expect(second).toBeInstanceOf(SendDepthError)
    expect(first.chain).toHaveLength(101)
    expect(second.chain).toHaveLength(101)
    expect(second.chain[0]).toBe('b')
    expect(second.cycle).toEqual(['b', 'a', 'b'])

    stop()
    firstReceiver.mockClear()
    secondReceiver.mockClear()
    expect(a.isMuted).toBe(false)
    expect(b.isMuted).toBe(false)
    expect(a.receiverCount).toBe(1)
    expect(b.receiverCount).toBe(1)
    expect(a.send()).toEqual([[firstReceiver, 'first']])
    expect(b.emit()).toBe(true)
    expect(b.sendRobust()).toEqual([[secondReceiver, { status: 'fulfilled', value: 'second' }]])
    expect(firstReceiver).toHaveBeenCalledTimes(1)
    expect(secondReceiver).toHaveBeenCalledTimes(2)
    expect(nestSends(Signal.maxSendDepth)).toBe(100)
  })

  test('sendRobust() inside a cycle reports the SendDepthError as an outcome and stays usable', () => {
    const a = new NamedSignal('robust.a')
    const b = new NamedSignal('robust.b')
    a.connect(() => b.sendRobust())
    b.connect(() => a.sendRobust())
    const outcomes = a.sendRobust()
    expect(outcomes).toHaveLength(1)
    expect(outcomes[0]?.[1].status).toBe('fulfilled')
    expect(nestSends(Signal.maxSendDepth)).toBe(100)
  })
})
