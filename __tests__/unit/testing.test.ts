// signalry/testing: recorders, isolation, muting, resetting and leak checks, as tests use them.
import { Namespace, Signal } from 'signalry'
import {
  expectNoLeakedReceivers,
  isolate,
  LeakedReceiversError,
  leakBaseline,
  muteAll,
  mutedExcept,
  mutedFn,
  Recorder,
  record,
  resetSignals,
} from 'signalry/testing'
import { assertNotSent, assertSent, assertSentTimes, assertSentWith } from 'signalry/testing/node'
import { AssertionError } from 'node:assert'

describe('record()', () => {
  test('records sender and payload of every send, in order', () => {
    const saved = new Signal<number, string>()
    using calls = record(saved)
    saved.send('a', 1)
    saved.emit('b', 2)
    saved.sendRobust('c', 3)
    expect(calls).toBeInstanceOf(Recorder)
    expect(calls.calls).toEqual([
      { sender: 'a', payload: 1 },
      { sender: 'b', payload: 2 },
      { sender: 'c', payload: 3 },
    ])
    expect(calls.count).toBe(3)
    expect(calls.last).toEqual({ sender: 'c', payload: 3 })
  })

  test('with a sender, records only sends with that sender', () => {
    const saved = new Signal<number, object>()
    const orders = {}
    using calls = record(saved, { sender: orders })
    saved.send({}, 1)
    saved.send(orders, 2)
    expect(calls.calls).toEqual([{ sender: orders, payload: 2 }])
  })

  test('clear() forgets the calls and keeps recording', () => {
    const tick = new Signal<number>()
    using calls = record(tick)
    tick.send(undefined, 1)
    calls.clear()
    tick.send(undefined, 2)
    expect(calls.calls.map((call) => call.payload)).toEqual([2])
  })

  test('using and stop() disconnect it; the calls stay readable', () => {
    const tick = new Signal()
    let kept: Recorder | undefined
    {
      using calls = record(tick)
      tick.send()
      kept = calls
      expect(tick.receiverCount).toBe(1)
    }
    expect(tick.receiverCount).toBe(0)
    expect(kept.recording).toBe(false)
    tick.send()
    expect(kept.count).toBe(1)
    expect(kept.stop()).toBe(false)
  })

  test('a recorder stopped by an earlier receiver during a send does not record that send', () => {
    const tick = new Signal()
    let calls: Recorder | undefined
    tick.connect(() => calls?.stop())
    calls = record(tick)
    tick.send()
    expect(calls.count).toBe(0)
    expect(tick.receiverCount).toBe(1)
  })

  test('rejects what is not a signal, and unknown options', () => {
    expect(() => record({} as never)).toThrow(/record\(\) expects a signal, got an object/)
    expect(() => record(new Signal(), { senders: 1 } as never)).toThrow(/unknown option "senders"/)
  })
})

describe('Recorder.next()', () => {
  test('resolves with the next call, not an earlier one', async () => {
    const tick = new Signal<number>()
    using calls = record(tick)
    tick.send('x', 1)
    const next = calls.next()
    tick.send('y', 2)
    await expect(next).resolves.toEqual({ sender: 'y', payload: 2 })
  })

  test('rejects after the timeout with a message naming the signal', async () => {
    using calls = record(new Signal('Sent after an upload.'))
    await expect(calls.next({ timeout: 5 })).rejects.toThrow(
      'no send of Signal("Sent after an upload.") was recorded within 5 ms',
    )
  })

  test('rejects with the abort reason, at once for an already aborted signal', async () => {
    using calls = record(new Signal())
    const controller = new AbortController()
    const next = calls.next({ signal: controller.signal })
    controller.abort(new Error('test over'))
    await expect(next).rejects.toThrow('test over')
    await expect(calls.next({ signal: AbortSignal.abort(new Error('already')) })).rejects.toThrow('already')
  })

  test('rejects when the recorder stops first, and on a stopped recorder', async () => {
    const calls = record(new Signal())
    const next = calls.next()
    calls.stop()
    await expect(next).rejects.toThrow('the recorder was stopped before a call arrived')
    await expect(calls.next()).rejects.toThrow('stopped recorder')
  })

  test('rejects a bad timeout', async () => {
    using calls = record(new Signal())
    await expect(calls.next({ timeout: -1 })).rejects.toThrow(/timeout/)
  })
})

describe('isolate()', () => {
  test('silences the other receivers while the recorder still hears', () => {
    const paid = new Signal<number>()
    const others: number[] = []
    paid.connect((_, total) => others.push(total))
    using calls = record(paid)
    isolate(paid, calls, () => paid.send(undefined, 1))
    paid.send(undefined, 2)
    expect(others).toEqual([2])
    expect(calls.calls.map((call) => call.payload)).toEqual([1, 2])
  })

  test('lets a plain receiver function hear, and returns a Disposable without body', () => {
    const paid = new Signal()
    const heard: string[] = []
    const hearer = (): number => heard.push('hearer')
    paid.connect(() => heard.push('other'))
    paid.connect(hearer)
    {
      using _isolated = isolate(paid, hearer)
      paid.send()
    }
    paid.send()
    expect(heard).toEqual(['hearer', 'other', 'hearer'])
  })

  test('isolates every signal of a namespace, those created meanwhile too', () => {
    const shop = new Namespace()
    const heard: string[] = []
    shop.signal('paid').connect(() => heard.push('paid'))
    using paidCalls = record(shop.signal('paid'))
    isolate(shop, paidCalls, () => {
      shop.signal('refunded').connect(() => heard.push('refunded'))
      shop.signal('refunded').send()
      shop.signal('paid').send()
    })
    expect(heard).toEqual([])
    expect(paidCalls.count).toBe(1)
    shop.signal('refunded').send()
    expect(heard).toEqual(['refunded'])
  })

  test('restores the signal after a body that throws', () => {
    const paid = new Signal()
    using calls = record(paid)
    const boom = new Error('body failed')
    expect(() =>
      isolate(paid, calls, () => {
        throw boom
      }),
    ).toThrow(boom)
    expect(paid.isMuted).toBe(false)
  })

  test('restores the signal when an async body settles, not before', async () => {
    const paid = new Signal()
    using calls = record(paid)
    const done = isolate(paid, calls, async () => {
      await Promise.resolve()
      expect(paid.isMuted).toBe(true)
      throw new Error('late failure')
    })
    await expect(done).rejects.toThrow('late failure')
    expect(paid.isMuted).toBe(false)
  })

  test('nested isolations let each hearer through; leaving the inner keeps the outer', () => {
    const paid = new Signal()
    const heard: string[] = []
    const outer = (): number => heard.push('outer')
    const inner = (): number => heard.push('inner')
    paid.connect(() => heard.push('other'))
    paid.connect(outer)
    paid.connect(inner)
    isolate(paid, outer, () => {
      isolate(paid, inner, () => paid.send())
      paid.send()
    })
    expect(heard).toEqual(['outer', 'inner', 'outer'])
  })

  test('a plain muted() inside silences the hearer too', () => {
    const paid = new Signal()
    using calls = record(paid)
    isolate(paid, calls, () => paid.muted(() => paid.send()))
    expect(calls.count).toBe(0)
  })

  test('rejects a bad hearer, target or body and mutes nothing', () => {
    const paid = new Signal()
    expect(() => isolate(paid, 42 as never)).toThrow(/isolate\(\) expects a recorder or a receiver function/)
    expect(() => isolate(42 as never, () => {})).toThrow(/isolate\(\) expects a signal/)
    expect(() => isolate(paid, () => {}, 'body' as never)).toThrow(/isolate\(\) expects a function as body/)
    expect(paid.isMuted).toBe(false)
  })
})

describe('muteAll()', () => {
  test('mutes a list of signals for the body and unmutes them after', () => {
    const a = new Signal()
    const b = new Signal()
    const heard: string[] = []
    a.connect(() => heard.push('a'))
    b.connect(() => heard.push('b'))
    expect(
      muteAll([a, b], () => {
        a.send()
        b.send()
        return 'done'
      }),
    ).toBe('done')
    a.send()
    expect(heard).toEqual(['a'])
  })

  test('mutes a namespace until disposed', () => {
    const shop = new Namespace()
    using calls = record(shop.signal('paid'))
    const quiet = muteAll(shop)
    shop.signal('paid').send()
    quiet[Symbol.dispose]()
    shop.signal('paid').send()
    expect(calls.count).toBe(1)
  })

  test('rejects a list holding something else and leaves every signal unmuted', () => {
    const a = new Signal()
    expect(() => muteAll([a, {} as never])).toThrow(
      /muteAll\(\) expects signals only in the list, got an object/,
    )
    expect(a.isMuted).toBe(false)
  })
})

describe('resetSignals() and leak checks', () => {
  test('resetSignals disconnects every receiver of a namespace and says how many', () => {
    const shop = new Namespace()
    shop.signal('paid').connect(() => {})
    shop.signal('paid').connect(() => {}, { sender: 'checkout' })
    shop.signal('refunded').connect(() => {})
    expect(resetSignals(shop)).toBe(3)
    expect([...shop].map((signal) => signal.receiverCount)).toEqual([0, 0])
  })

  test('expectNoLeakedReceivers passes at the baseline and lists what was connected since', () => {
    const shop = new Namespace()
    shop.signal('paid').connect(function sendReceipt() {})
    const baseline = leakBaseline(shop)
    expectNoLeakedReceivers(baseline)
    shop.signal('paid').connect(function audit() {}, { sender: 'checkout' })
    shop.signal('refunded').connect(function forgotten() {})
    let error: unknown
    try {
      expectNoLeakedReceivers(baseline)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(LeakedReceiversError)
    expect((error as LeakedReceiversError).leaks).toEqual([
      'paid: audit (sender: string "checkout")',
      'refunded: forgotten',
    ])
    expect((error as Error).message).toContain('2 receivers are still connected')
    expect((error as Error).name).toBe('LeakedReceiversError')
    resetSignals(shop)
    expectNoLeakedReceivers(baseline) // fewer than the baseline is no leak
  })

  test('a recorder left running is reported by the signal it records', () => {
    const shop = new Namespace()
    const baseline = leakBaseline(shop)
    const calls = record(shop.signal('paid'))
    expect(baseline.leaks()).toEqual(['paid: record(signal "paid")'])
    calls.stop()
    expect(baseline.leaks()).toEqual([])
  })

  test('without a baseline, every connection of the default namespace counts', () => {
    const { signal } = require('signalry') as typeof import('signalry')
    resetSignals()
    expectNoLeakedReceivers()
    signal('testing.leak').connect(function leftOver() {})
    expect(() => expectNoLeakedReceivers()).toThrow(/testing\.leak: leftOver/)
    resetSignals()
  })

  test('reject what is not a namespace or a baseline', () => {
    expect(() => resetSignals({} as never)).toThrow(/resetSignals\(\) expects a Namespace/)
    expect(() => expectNoLeakedReceivers({} as never)).toThrow(/a baseline from leakBaseline\(\)/)
  })
})

describe('node:test assertions', () => {
  test('pass silently when the expectation holds', () => {
    const saved = new Signal<{ id: number }, string>()
    using calls = record(saved)
    assertNotSent(calls)
    saved.send('orders', { id: 7 })
    assertSent(calls)
    assertSentTimes(calls, 1)
    assertSentWith(calls, 'orders', { id: 7 })
  })

  test('throw an AssertionError with actual and expected for the diff', () => {
    const saved = new Signal<{ id: number }, string>('Sent after a save.')
    using calls = record(saved)
    expect(() => assertSent(calls)).toThrow(AssertionError)
    saved.send('orders', { id: 7 })
    let error: AssertionError | undefined
    try {
      assertSentWith(calls, 'orders', { id: 8 })
    } catch (caught) {
      error = caught as AssertionError
    }
    expect(error).toBeInstanceOf(AssertionError)
    expect(error?.actual).toEqual({ sender: 'orders', payload: { id: 7 } })
    expect(error?.expected).toEqual({ sender: 'orders', payload: { id: 8 } })
    expect(error?.message).toContain('Signal("Sent after a save.")')
    expect(() => assertSentTimes(calls, 2)).toThrow(/to have been sent 2 time\(s\), but it was sent 1/)
    expect(() => assertNotSent(calls)).toThrow(AssertionError)
    expect(() => assertSent({} as never)).toThrow(/expects a recorder/)
  })
})

describe('mutedExcept()', () => {
  test('only the receivers it names hear sends of every kind, for their own senders', async () => {
    const sig = new Signal<number, string>()
    const heard: string[] = []
    const chosen = (sender: string): number => heard.push(`chosen ${sender}`)
    sig.connect(() => heard.push('other'))
    sig.connect(chosen, { sender: 'a' })
    await mutedExcept(sig, [chosen], async () => {
      sig.send('a', 1)
      sig.emit('b', 2) // chosen is connected for 'a' only
      sig.sendRobust('a', 3)
      await sig.sendAsync('a', 4)
      expect(sig.isMuted).toBe(true)
    })
    sig.emit('a', 5)
    expect(heard).toEqual(['chosen a', 'chosen a', 'chosen a', 'other', 'chosen a'])
  })

  test('a plain muted() in force silences the named receivers too; leaving it restores them', () => {
    const sig = new Signal()
    const heard: string[] = []
    const chosen = (): number => heard.push('chosen')
    sig.connect(chosen)
    using _except = mutedExcept(sig, [chosen])
    sig.muted(() => sig.send())
    sig.send()
    expect(heard).toEqual(['chosen'])
  })

  test('rejects receivers that are not an array of functions, a bad body or signal, muting nothing', () => {
    const sig = new Signal()
    expect(() => mutedExcept(sig, [42] as never)).toThrow(
      /mutedExcept\(\) expects a function as receiver, got number 42/,
    )
    expect(() => mutedExcept(sig, (() => {}) as never)).toThrow(
      /mutedExcept\(\) expects an array of receivers/,
    )
    expect(() => mutedExcept(sig, [], 5 as never)).toThrow(
      /mutedExcept\(\) expects a function as body, got number 5/,
    )
    expect(() => mutedExcept({} as never, [])).toThrow(/mutedExcept\(\) expects a signal, got an object/)
    expect(sig.isMuted).toBe(false)
  })
})

describe('mutedFn()', () => {
  test('each call of the wrapped function runs muted, with its this, arguments and result', () => {
    const sig = new Signal<number>()
    const heard: number[] = []
    sig.connect((_, n) => heard.push(n))
    const importer = {
      factor: 10,
      run: mutedFn(sig, function (this: { factor: number }, n: number) {
        sig.send(undefined, n)
        return n * this.factor
      }),
    }
    expect(importer.run(2)).toBe(20)
    sig.send(undefined, 3)
    expect(heard).toEqual([3])
  })

  test('an async function stays muted until its promise settles, and a throw unmutes', async () => {
    const sig = new Signal()
    const waiting = mutedFn(sig, async () => {
      await Promise.resolve()
      return sig.isMuted
    })
    expect(await waiting()).toBe(true)
    const failing = mutedFn(sig, () => {
      throw new Error('import failed')
    })
    expect(() => failing()).toThrow('import failed')
    expect(sig.isMuted).toBe(false)
  })

  test('mutes every signal of a list or namespace during each call', () => {
    const a = new Signal()
    const b = new Signal()
    const heard: string[] = []
    a.connect(() => heard.push('a'))
    b.connect(() => heard.push('b'))
    mutedFn([a, b], () => {
      a.send()
      b.send()
    })()
    b.send()
    expect(heard).toEqual(['b'])
  })

  test('rejects what is not a function', () => {
    expect(() => mutedFn(new Signal(), 42 as never)).toThrow(
      /mutedFn\(\) expects a function to wrap, got number 42/,
    )
  })
})
