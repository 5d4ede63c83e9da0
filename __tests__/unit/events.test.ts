// events(): an async iterator of sends with a bounded buffer; next(): the next matching send.
import { getEventListeners } from 'node:events'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import vm from 'node:vm'
import { type DisconnectReason, EventsOverflowError, Signal, signal } from 'signalry'
import { settle } from '../helpers/deferred'
import { thrownBy } from '../helpers/thrown'

async function collect<T>(iterator: AsyncIterator<T>, count: number): Promise<T[]> {
  const values: T[] = []
  for (let i = 0; i < count; i++) {
    const result = await iterator.next()
    if (result.done === true) break
    values.push(result.value)
  }
  return values
}

describe('events()', () => {
  test('connects when called: sends made before the loop starts are buffered and yielded in order', async () => {
    const sig = new Signal<number, string>()
    const events = sig.events()
    expect(sig.receiverCount).toBe(1)
    sig.send('a', 1)
    sig.send('b', 2)
    expect(await collect(events, 2)).toEqual([
      ['a', 1],
      ['b', 2],
    ])
    await events.return()
  })

  test('a waiting next() gets the send directly; several waiting next() calls get sends in order', async () => {
    const sig = new Signal<number>()
    const events = sig.events()
    const first = events.next()
    const second = events.next()
    sig.send(undefined, 1)
    sig.send(undefined, 2)
    expect(await first).toEqual({ done: false, value: [undefined, 1] })
    expect(await second).toEqual({ done: false, value: [undefined, 2] })
    await events.return()
  })

  test("with a sender, only that sender's sends are yielded", async () => {
    const sig = new Signal<number, object>()
    const mine = {}
    const events = sig.events({ sender: mine })
    sig.send({}, 1)
    sig.send(mine, 2)
    expect(await collect(events, 1)).toEqual([[mine, 2]])
    await events.return()
  })

  test('muted sends are not buffered', async () => {
    const sig = new Signal<number>()
    const events = sig.events()
    sig.muted(() => sig.send(undefined, 1))
    sig.send(undefined, 2)
    expect(await collect(events, 1)).toEqual([[undefined, 2]])
    await events.return()
  })

  test('works with sendAsync, and does not stop send() from working', async () => {
    const sig = new Signal<string>()
    const events = sig.events()
    expect(sig.send(undefined, 'sync')).toHaveLength(1)
    await sig.sendAsync(undefined, 'async')
    expect(await collect(events, 2)).toEqual([
      [undefined, 'sync'],
      [undefined, 'async'],
    ])
    await events.return()
  })

  test('break out of for await disconnects: receiverCount is as before and later sends are not kept', async () => {
    const sig = new Signal<number>()
    sig.connect(() => {})
    const before = sig.receiverCount
    const seen: number[] = []
    const events = sig.events()
    sig.send(undefined, 1)
    sig.send(undefined, 2)
    for await (const [, n] of events) {
      seen.push(n)
      break
    }
    expect(seen).toEqual([1])
    expect(sig.receiverCount).toBe(before)
    sig.send(undefined, 3)
    expect(await events.next()).toEqual({ done: true, value: undefined })
  })

  test('return() disconnects at once, before its promise settles, and ends waiting next() calls', async () => {
    const sig = new Signal<number>()
    const before = sig.receiverCount
    const events = sig.events()
    const waiting = events.next()
    const returned = events.return()
    expect(sig.receiverCount).toBe(before)
    expect(await waiting).toEqual({ done: true, value: undefined })
    expect(await returned).toEqual({ done: true, value: undefined })
    expect(await events.next()).toEqual({ done: true, value: undefined })
  })

  test('await using disconnects at the end of the block', async () => {
    const sig = new Signal<number>()
    const before = sig.receiverCount
    {
      await using events = sig.events()
      expect(sig.receiverCount).toBe(before + 1)
      sig.send(undefined, 1)
      expect(await collect(events, 1)).toEqual([[undefined, 1]])
    }
    expect(sig.receiverCount).toBe(before)
  })

  test('Symbol.asyncDispose disconnects at once', () => {
    const sig = new Signal()
    const events = sig.events()
    void events[Symbol.asyncDispose]()
    expect(sig.receiverCount).toBe(0)
  })

  test('the iterator is its own async iterator', () => {
    const events = new Signal().events()
    expect(events[Symbol.asyncIterator]()).toBe(events)
    void events.return?.()
  })

  test('ending reports the connection as scope-ended; aborting as aborted', async () => {
    const sig = new Signal()
    const reasons: DisconnectReason[] = []
    sig.receiverDisconnected.connect((_, { reason }) => reasons.push(reason))
    await sig.events().return()
    const controller = new AbortController()
    sig.events({ signal: controller.signal })
    controller.abort()
    expect(reasons).toEqual(['scope-ended', 'aborted'])
  })

  describe('overflow', () => {
    test('by default the buffer holds 1024 sends, and overflow ends the iteration with an EventsOverflowError', async () => {
      const sig = signal<number>('events.overflow')
      const events = sig.events()
      for (let n = 1; n <= 1024; n++) sig.send(undefined, n)
      expect(sig.receiverCount).toBe(1)
      expect(() => sig.send(undefined, 1025)).not.toThrow() // the sender is never thrown at
      expect(sig.receiverCount).toBe(0) // disconnected at once
      const error = await events.next().catch((reason: unknown) => reason)
      expect(error).toBeInstanceOf(EventsOverflowError)
      expect((error as EventsOverflowError).bufferSize).toBe(1024)
      expect((error as Error).message).toBe(
        'events() of signal "events.overflow" received a send while its buffer of 1024 was full: the consumer fell ' +
          'behind, so the iteration ended and its buffered sends were dropped. Consume faster, raise bufferSize, or ' +
          "pass overflow: 'drop-oldest' or 'drop-newest' if losing sends is acceptable.",
      )
      expect(await events.next()).toEqual({ done: true, value: undefined })
    })

    test("'error' with a for await loop: the loop throws the EventsOverflowError", async () => {
      const sig = new Signal<number>()
      const events = sig.events({ bufferSize: 2, overflow: 'error' })
      for (let n = 1; n <= 3; n++) sig.send(undefined, n)
      const seen: number[] = []
      await expect(
        (async () => {
          for await (const [, n] of events) seen.push(n)
        })(),
      ).rejects.toBeInstanceOf(EventsOverflowError)
      expect(seen).toEqual([])
    })

    test("'drop-oldest' keeps the newest sends", async () => {
      const sig = new Signal<number>()
      const events = sig.events({ bufferSize: 3, overflow: 'drop-oldest' })
      for (let n = 1; n <= 5; n++) sig.send(undefined, n)
      expect(sig.receiverCount).toBe(1)
      expect((await collect(events, 3)).map(([, n]) => n)).toEqual([3, 4, 5])
      sig.send(undefined, 6)
      expect((await collect(events, 1)).map(([, n]) => n)).toEqual([6])
      await events.return()
    })

    test("'drop-newest' keeps the oldest sends", async () => {
      const sig = new Signal<number>()
      const events = sig.events({ bufferSize: 3, overflow: 'drop-newest' })
      for (let n = 1; n <= 5; n++) sig.send(undefined, n)
      expect((await collect(events, 3)).map(([, n]) => n)).toEqual([1, 2, 3])
      sig.send(undefined, 6)
      expect((await collect(events, 1)).map(([, n]) => n)).toEqual([6])
      await events.return()
    })

    test('a buffer that is read keeps going past its size', async () => {
      const sig = new Signal<number>()
      const events = sig.events({ bufferSize: 2 })
      const seen: number[] = []
      for (let n = 1; n <= 10; n++) {
        sig.send(undefined, n)
        seen.push(((await events.next()).value as [unknown, number])[1])
      }
      expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
      await events.return()
    })
  })

  describe('abort', () => {
    test('aborting disconnects at once; a waiting next() rejects with the reason, then the iterator is done', async () => {
      const sig = new Signal<number>()
      const controller = new AbortController()
      const events = sig.events({ signal: controller.signal })
      const waiting = events.next()
      const reason = new Error('stop listening')
      controller.abort(reason)
      expect(sig.receiverCount).toBe(0)
      await expect(waiting).rejects.toBe(reason)
      expect(await events.next()).toEqual({ done: true, value: undefined })
    })

    test('after an abort the buffered sends are dropped and the next next() rejects with the reason', async () => {
      const sig = new Signal<number>()
      const controller = new AbortController()
      const events = sig.events({ signal: controller.signal })
      sig.send(undefined, 1)
      controller.abort()
      await expect(events.next()).rejects.toBe(controller.signal.reason)
      expect(await events.next()).toEqual({ done: true, value: undefined })
    })

    test('an already aborted signal connects nothing; the first next() rejects with its reason', async () => {
      const sig = new Signal<number>()
      const connected = jest.fn()
      sig.receiverConnected.connect(connected)
      const events = sig.events({ signal: AbortSignal.abort('too late') })
      expect(sig.receiverCount).toBe(0)
      expect(connected).not.toHaveBeenCalled()
      await expect(events.next()).rejects.toBe('too late')
      expect(await events.next()).toEqual({ done: true, value: undefined })
    })

    test('an open iterator puts one listener on its AbortSignal, as Node\u2019s on() does', async () => {
      const sig = new Signal()
      const controller = new AbortController()
      const iterators = [sig.events({ signal: controller.signal }), sig.events({ signal: controller.signal })]
      const waiting = iterators[0]?.next()
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(2)
      controller.abort()
      await expect(waiting).rejects.toBeDefined()
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
      expect(sig.receiverCount).toBe(0)
    })

    test('ending the iteration stops listening to the abort signal', async () => {
      const sig = new Signal()
      const controller = new AbortController()
      const events = sig.events({ signal: controller.signal })
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1)
      await events.return()
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
    })
  })

  describe('bad input', () => {
    test.each([
      [{ bufferSize: 0 }, 'events() expects a positive integer as option "bufferSize", got number 0'],
      [{ bufferSize: 1.5 }, 'events() expects a positive integer as option "bufferSize", got number 1.5'],
      [
        { bufferSize: Infinity },
        'events() expects a positive integer as option "bufferSize", got number Infinity',
      ],
      [{ bufferSize: '8' }, 'events() expects a positive integer as option "bufferSize", got string "8"'],
      [
        { overflow: 'drop' },
        `events() expects 'error', 'drop-oldest' or 'drop-newest' as option "overflow", got string "drop"`,
      ],
      [{ signal: {} }, 'events() expects an AbortSignal as option "signal", got an object'],
      [
        { buffer: 4 },
        'events() got an unknown option "buffer"; the options are "sender", "bufferSize", "overflow", "signal"',
      ],
      [null, 'events() expects an options object, got null'],
    ])('events(%p) throws a TypeError and connects nothing', (options, message) => {
      const sig = new Signal()
      const error = thrownBy(() => sig.events(options as never))
      expect(error).toBeInstanceOf(TypeError)
      expect((error as Error).message).toBe(message)
      expect(sig.receiverCount).toBe(0)
    })
  })

  test('where the runtime has no Symbol.asyncDispose, the iterator is disposable through Symbol.for("Symbol.asyncDispose")', async () => {
    // A fresh realm has no Symbol.asyncDispose; registered symbols are shared between realms, so the
    // built CJS code is evaluated there and inspected here.
    const context = vm.createContext({ module: { exports: {} } })
    expect(vm.runInContext('typeof Symbol.asyncDispose', context)).toBe('undefined')
    const dist = readFileSync(join(__dirname, '..', '..', 'dist', 'index.cjs'), 'utf8')
    vm.runInContext(`(function (module, exports) {${dist}\n})(module, module.exports)`, context)
    const api = (context['module'] as { exports: typeof import('signalry') }).exports
    const sig = new api.Signal()
    const events = sig.events() as unknown as Record<symbol, () => Promise<void>>
    expect(sig.receiverCount).toBe(1)
    await events[Symbol.for('Symbol.asyncDispose')]?.()
    expect(sig.receiverCount).toBe(0)
  })
})

describe('next()', () => {
  test('resolves with [sender, payload] of the next send and disconnects', async () => {
    const sig = new Signal<{ id: number }, string>()
    const before = sig.receiverCount
    const waiting = sig.next()
    expect(sig.receiverCount).toBe(before + 1)
    sig.send('orders', { id: 1 })
    sig.send('orders', { id: 2 })
    expect(sig.receiverCount).toBe(before)
    expect(await waiting).toEqual(['orders', { id: 1 }])
  })

  test('with a sender, waits for a send with that sender', async () => {
    const sig = new Signal<number, string>()
    const waiting = sig.next({ sender: 'b' })
    sig.send('a', 1)
    sig.send('b', 2)
    expect(await waiting).toEqual(['b', 2])
  })

  test('two next() calls both resolve with the same next send', async () => {
    const sig = new Signal<number>()
    const one = sig.next()
    const two = sig.next()
    sig.send(undefined, 7)
    expect(await Promise.all([one, two])).toEqual([
      [undefined, 7],
      [undefined, 7],
    ])
  })

  test('aborting rejects with the abort reason and disconnects', async () => {
    const sig = new Signal()
    const controller = new AbortController()
    const waiting = sig.next({ signal: controller.signal })
    const reason = new Error('gave up')
    controller.abort(reason)
    expect(sig.receiverCount).toBe(0)
    await expect(waiting).rejects.toBe(reason)
  })

  test('an already aborted signal rejects at once and connects nothing', async () => {
    const sig = new Signal()
    const connected = jest.fn()
    sig.receiverConnected.connect(connected)
    const signalAborted = AbortSignal.abort(new Error('already'))
    const waiting = sig.next({ signal: signalAborted })
    expect(sig.receiverCount).toBe(0)
    expect(connected).not.toHaveBeenCalled()
    await expect(waiting).rejects.toBe(signalAborted.reason)
  })

  test('a waiting call puts one listener on its AbortSignal, as Node\u2019s once() does; aborting reports it as aborted', async () => {
    const sig = new Signal()
    const reasons: DisconnectReason[] = []
    sig.receiverDisconnected.connect((_, { reason }) => reasons.push(reason))
    const controller = new AbortController()
    const waits = [
      sig.next({ signal: controller.signal }),
      sig.next({ signal: controller.signal }),
      sig.next({ signal: controller.signal }),
    ]
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(3)
    controller.abort(new Error('gave up'))
    for (const waiting of waits) await expect(waiting).rejects.toThrow('gave up')
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
    expect(reasons).toEqual(['aborted', 'aborted', 'aborted'])
  })

  test('once resolved, it stops listening to the abort signal', async () => {
    const sig = new Signal()
    const controller = new AbortController()
    const waiting = sig.next({ signal: controller.signal })
    sig.send()
    await waiting
    await settle()
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
    controller.abort() // nothing left to reject
  })

  test('bad options reject with a TypeError and connect nothing', async () => {
    const sig = new Signal()
    await expect(sig.next({ bufferSize: 1 } as never)).rejects.toThrow(
      new TypeError('next() got an unknown option "bufferSize"; the options are "sender", "signal"'),
    )
    await expect(sig.next({ signal: 'x' } as never)).rejects.toThrow(
      new TypeError('next() expects an AbortSignal as option "signal", got string "x"'),
    )
    expect(sig.receiverCount).toBe(0)
  })

  test('a muted send does not resolve it', async () => {
    const sig = new Signal<number>()
    const waiting = sig.next()
    sig.muted(() => sig.send(undefined, 1))
    sig.send(undefined, 2)
    expect(await waiting).toEqual([undefined, 2])
  })
})
