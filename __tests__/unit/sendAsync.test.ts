// sendAsync and sendAsyncRobust: order, serial vs concurrent, errors, snapshots across awaits,
// muting, once, the nested-send stack, options. Timing is shown with deferreds, never with timers.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { ANY, AsyncReceiverError, SendDepthError, Signal, signal } from 'signalry'
import { deferred, settle } from '../helpers/deferred'
import { collectedWithin } from '../helpers/garbageCollection'
import { thrownBy } from '../helpers/thrown'

const sendDepth = (): number =>
  (globalThis as unknown as Record<symbol, { depth: number }>)[Symbol.for('signalry.processState@1')]!.depth

const statuses = (outcomes: Array<[unknown, PromiseSettledResult<unknown>]>) =>
  outcomes.map(([, outcome]) => outcome.status)

describe('results', () => {
  test('sendAsync resolves to [receiver, awaited result] in call order, sync and async receivers mixed', async () => {
    const sig = new Signal<number>()
    const double = sig.connect(async (_, n) => n * 2)
    const plusOne = sig.connect((_, n) => n + 1)
    const first = sig.connect(async (_, n) => `first ${n}`, { priority: 5 })
    const thenable = sig.connect(() => ({
      then: (resolve: (value: string) => void) => resolve('from a thenable'),
    }))
    for (const concurrency of ['serial', 'concurrent'] as const) {
      expect(await sig.sendAsync(undefined, 3, { concurrency })).toEqual([
        [first, 'first 3'],
        [double, 6],
        [plusOne, 4],
        [thenable, 'from a thenable'],
      ])
    }
  })

  test('sendAsync with no receiver, or for a sender nobody listens to, resolves to []', async () => {
    const sig = new Signal<void, string>()
    await expect(sig.sendAsync('x')).resolves.toEqual([])
    sig.connect(async () => 1, { sender: 'a' })
    await expect(sig.sendAsync('b')).resolves.toEqual([])
    await expect(sig.sendAsyncRobust('b')).resolves.toEqual([])
  })

  test('sendAsync calls receivers for the sender and for ANY, a receiver connected for both once', async () => {
    const sig = new Signal<void, string>()
    const calls: string[] = []
    const both = async (sender: string) => calls.push(`both ${sender}`)
    sig.connect(both)
    sig.connect(both, { sender: 'a' })
    sig.connect(async () => calls.push('only b'), { sender: 'b' })
    await sig.sendAsync('a')
    await sig.sendAsync('a', undefined, { concurrency: 'concurrent' })
    await sig.sendAsyncRobust('a')
    expect(calls).toEqual(['both a', 'both a', 'both a'])
  })

  test('sendAsync passes the sender and the payload to every receiver', async () => {
    const sig = new Signal<{ id: number }, object>()
    const sender = {}
    const seen: unknown[] = []
    sig.connect(async (s, p) => seen.push([s, p]))
    await sig.sendAsync(sender, { id: 1 })
    expect(seen).toEqual([[sender, { id: 1 }]])
    expect((seen[0] as unknown[])[0]).toBe(sender)
  })
})

describe('serial (the default)', () => {
  test('the next receiver is called only after the previous result has settled', async () => {
    const sig = new Signal()
    const log: string[] = []
    const a = deferred<string>()
    const b = deferred<string>()
    sig.connect(() => {
      log.push('a called')
      return a.promise
    })
    sig.connect(() => {
      log.push('b called')
      return b.promise
    })
    const sending = sig.sendAsync()
    await settle()
    expect(log).toEqual(['a called'])
    a.resolve('A')
    await settle()
    expect(log).toEqual(['a called', 'b called'])
    b.resolve('B')
    expect((await sending).map(([, result]) => result)).toEqual(['A', 'B'])
  })

  test('the first receiver is called before sendAsync returns', () => {
    const sig = new Signal()
    let called = false
    sig.connect(async () => {
      called = true
    })
    void sig.sendAsync()
    expect(called).toBe(true)
  })

  test('the first rejection rejects the send and no later receiver is called', async () => {
    const sig = new Signal()
    const later = jest.fn()
    const failure = new Error('first failure')
    sig.connect(async () => 1)
    sig.connect(async () => {
      throw failure
    })
    sig.connect(later)
    await expect(sig.sendAsync()).rejects.toBe(failure)
    expect(later).not.toHaveBeenCalled()
  })

  test('a receiver that throws synchronously rejects the send instead of throwing from sendAsync', async () => {
    const sig = new Signal()
    const later = jest.fn()
    sig.connect(() => {
      throw new RangeError('sync failure')
    })
    sig.connect(later)
    let sending: Promise<unknown> | undefined
    expect(() => {
      sending = sig.sendAsync()
    }).not.toThrow()
    await expect(sending).rejects.toThrow('sync failure')
    expect(later).not.toHaveBeenCalled()
  })
})

describe('concurrent', () => {
  test('every receiver is called, in order, before any result is awaited', async () => {
    const sig = new Signal()
    const log: string[] = []
    const a = deferred<string>()
    const b = deferred<string>()
    sig.connect(() => {
      log.push('a called')
      return a.promise
    })
    sig.connect(() => {
      log.push('b called')
      return b.promise
    })
    const sending = sig.sendAsync(undefined, undefined, { concurrency: 'concurrent' })
    expect(log).toEqual(['a called', 'b called'])
    b.resolve('B') // settling in the reverse order does not change the order of the results
    await settle()
    a.resolve('A')
    expect((await sending).map(([, result]) => result)).toEqual(['A', 'B'])
  })

  test('a rejection rejects the send with the earliest failing receiver in call order, once all have settled', async () => {
    const sig = new Signal()
    const early = deferred()
    const late = deferred()
    const slow = deferred<string>()
    const earlyError = new Error('early in call order')
    sig.connect(() => early.promise)
    sig.connect(() => late.promise)
    sig.connect(() => slow.promise)
    let settled = false
    const sending = sig.sendAsync(undefined, undefined, { concurrency: 'concurrent' }).finally(() => {
      settled = true
    })
    late.reject(new Error('rejected first'))
    early.reject(earlyError)
    await settle()
    expect(settled).toBe(false) // a receiver is still running
    slow.resolve('done')
    await expect(sending).rejects.toBe(earlyError)
  })

  test('a receiver that throws synchronously counts as a rejection; the later receivers are still called', async () => {
    const sig = new Signal()
    const later = jest.fn(async () => 'ran')
    const failure = new TypeError('sync')
    sig.connect(() => {
      throw failure
    })
    sig.connect(later)
    await expect(sig.sendAsync(undefined, undefined, { concurrency: 'concurrent' })).rejects.toBe(failure)
    expect(later).toHaveBeenCalledTimes(1)
  })

  test('no rejection is left unhandled when several receivers reject (checked in a process of its own)', () => {
    // jest reports unhandled rejections its own way, so the fixture listens for
    // 'unhandledRejection' in a plain Node process and prints what it saw.
    const output = execFileSync(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '..', 'fixtures', 'concurrent-rejections.ts')],
      {
        cwd: join(__dirname, '..', '..'),
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '' },
      },
    )
    // 'control' shows that the listener does see a rejection nobody handles.
    expect(JSON.parse(output)).toEqual({ failure: 'first', unhandled: ['control'] })
  })
})

describe('sendAsyncRobust', () => {
  for (const concurrency of ['serial', 'concurrent'] as const) {
    test(`${concurrency}: every receiver runs and each outcome is reported like Promise.allSettled`, async () => {
      const sig = new Signal()
      const failure = new Error('rejected')
      const thrown = new Error('thrown')
      const ok = sig.connect(async () => 'ok')
      const rejects = sig.connect(async () => {
        throw failure
      })
      const throws = sig.connect(() => {
        throw thrown
      })
      const sync = sig.connect(() => 42)
      expect(await sig.sendAsyncRobust(undefined, undefined, { concurrency })).toEqual([
        [ok, { status: 'fulfilled', value: 'ok' }],
        [rejects, { status: 'rejected', reason: failure }],
        [throws, { status: 'rejected', reason: thrown }],
        [sync, { status: 'fulfilled', value: 42 }],
      ])
    })
  }

  test('serial robust awaits each receiver before calling the next; concurrent calls all first', async () => {
    for (const concurrency of ['serial', 'concurrent'] as const) {
      const sig = new Signal()
      const log: string[] = []
      const a = deferred()
      sig.connect(() => {
        log.push('a')
        return a.promise
      })
      sig.connect(() => {
        log.push('b')
      })
      const sending = sig.sendAsyncRobust(undefined, undefined, { concurrency })
      await settle()
      expect(log).toEqual(concurrency === 'serial' ? ['a'] : ['a', 'b'])
      a.reject(new Error('a failed'))
      expect(statuses(await sending)).toEqual(['rejected', 'fulfilled'])
      expect(log).toEqual(['a', 'b'])
    }
  })

  test("a failing receiverDisconnected receiver of a once connection is that receiver's outcome", async () => {
    const sig = new Signal()
    const failure = new Error('meta failed')
    sig.receiverDisconnected.connect(() => {
      throw failure
    })
    const once = sig.connect(async () => 'never', { once: true })
    const after = sig.connect(async () => 'after')
    expect(await sig.sendAsyncRobust()).toEqual([
      [once, { status: 'rejected', reason: failure }],
      [after, { status: 'fulfilled', value: 'after' }],
    ])
  })
})

describe('snapshots across awaits', () => {
  for (const concurrency of ['serial', 'concurrent'] as const) {
    test(`${concurrency}: a receiver connected during the send is not called by it`, async () => {
      const sig = new Signal()
      const latecomer = jest.fn()
      sig.connect(async () => {
        sig.connect(latecomer)
      })
      sig.connect(async () => {
        await Promise.resolve()
      })
      await sig.sendAsync(undefined, undefined, { concurrency })
      expect(latecomer).not.toHaveBeenCalled()
      await sig.sendAsync(undefined, undefined, { concurrency })
      expect(latecomer).toHaveBeenCalledTimes(1)
    })
  }

  test.each(['sendAsync', 'sendAsyncRobust'] as const)(
    'serial %s: a receiver disconnected while an earlier one is awaited is not called',
    async (method) => {
      const sig = new Signal()
      const gate = deferred()
      const second = jest.fn()
      sig.connect(() => gate.promise)
      sig.connect(second)
      const sending = sig[method]()
      sig.disconnect(second)
      gate.resolve()
      expect(await sending).toHaveLength(1)
      expect(second).not.toHaveBeenCalled()
    },
  )

  test('concurrent: a receiver disconnected by an earlier one during the calls is not called', async () => {
    const sig = new Signal()
    const later = jest.fn()
    sig.connect(async () => {
      sig.disconnect(later)
    })
    sig.connect(later)
    expect(await sig.sendAsync(undefined, undefined, { concurrency: 'concurrent' })).toHaveLength(1)
    expect(later).not.toHaveBeenCalled()
  })

  test('a weakly held receiver collected while an earlier receiver is awaited is not called', async () => {
    const sig = new Signal()
    const gate = deferred()
    let calls = 0
    sig.connect(() => gate.promise)
    const ref = ((): WeakRef<object> => {
      const weakly = (): void => {
        calls++
      }
      sig.connect(weakly, { weak: true })
      return new WeakRef(weakly)
    })()
    const sending = sig.sendAsync()
    expect(await collectedWithin(ref)).toBe(true)
    gate.resolve()
    expect(await sending).toHaveLength(1)
    expect(calls).toBe(0)
    expect(sig.receiverCount).toBe(1)
  })

  test('a once receiver runs at most once when two async sends overlap', async () => {
    const sig = new Signal()
    const gate = deferred()
    const once = jest.fn(async () => 'once')
    sig.connect(() => gate.promise)
    sig.connect(once, { once: true })
    const first = sig.sendAsync()
    const second = sig.sendAsync()
    gate.resolve()
    const results = await Promise.all([first, second])
    expect(once).toHaveBeenCalledTimes(1)
    expect(results.map((result) => result.length).sort()).toEqual([1, 2])
    expect(sig.receiverCount).toBe(1)
  })

  test('muting is checked when the send starts', async () => {
    const sig = new Signal()
    const gate = deferred()
    const second = jest.fn()
    sig.connect(() => gate.promise)
    sig.connect(second)
    const muted = sig.muted(() => sig.sendAsync())
    expect(await muted).toEqual([]) // muted at the start: calls nothing
    expect(second).not.toHaveBeenCalled()
    const sending = sig.sendAsync()
    const quiet = sig.muted()
    gate.resolve()
    expect(await sending).toHaveLength(2) // muted after the start: the send goes on
    expect(second).toHaveBeenCalledTimes(1)
    quiet[Symbol.dispose]()
  })
})

describe('the nested-send stack', () => {
  test("a receiver's synchronous part runs inside the send; nothing stays on the stack across awaits", async () => {
    const sig = new Signal()
    const depths: number[] = []
    const gate = deferred()
    sig.connect(async () => {
      depths.push(sendDepth())
      await gate.promise
      depths.push(sendDepth())
    })
    sig.connect(() => {
      depths.push(sendDepth())
    })
    const sending = sig.sendAsync()
    expect(sendDepth()).toBe(0)
    gate.resolve()
    await sending
    expect(depths).toEqual([1, 0, 1])
  })

  for (const concurrency of ['serial', 'concurrent'] as const) {
    test(`${concurrency}: throwing and rejecting receivers leave the stack empty`, async () => {
      const sig = new Signal()
      sig.connect(() => {
        throw new Error('sync')
      })
      sig.connect(async () => {
        throw new Error('async')
      })
      await expect(sig.sendAsync(undefined, undefined, { concurrency })).rejects.toThrow('sync')
      expect(sendDepth()).toBe(0)
      await sig.sendAsyncRobust(undefined, undefined, { concurrency })
      expect(sendDepth()).toBe(0)
      sig.connect(() => sig.send()) // the synchronous receivers still work
      expect(() => new Signal().send()).not.toThrow()
    })
  }

  test('a receiver that sends synchronously counts as a nested send: a cycle ends with SendDepthError', async () => {
    const ping = signal('async.ping')
    const pong = signal('async.pong')
    ping.connect(() => pong.send())
    pong.connect(() => ping.send())
    const error = await ping.sendAsync().catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(SendDepthError)
    expect((error as SendDepthError).cycle).toEqual(['async.ping', 'async.pong', 'async.ping'])
    expect(sendDepth()).toBe(0)
  })

  test('sendAsyncRobust rejects with SendDepthError before calling anyone when sent too deep', async () => {
    const outer = new Signal()
    const inner = new Signal()
    const receiver = jest.fn()
    inner.connect(receiver)
    let robust: Promise<unknown> | undefined
    outer.connect(() => {
      robust = inner.sendAsyncRobust()
    })
    const limit = Signal.maxSendDepth
    Signal.maxSendDepth = 1
    try {
      outer.send()
    } finally {
      Signal.maxSendDepth = limit
    }
    await expect(robust).rejects.toBeInstanceOf(SendDepthError)
    expect(receiver).not.toHaveBeenCalled()
    expect(sendDepth()).toBe(0)
  })
})

describe('async receivers and send', () => {
  test('send, emit and sendRobust refuse an async receiver and point at sendAsync / sendAsyncRobust', async () => {
    const sig = signal('async.refused')
    sig.connect(async function store() {
      return 'stored'
    })
    for (const method of ['send', 'emit'] as const) {
      const error = thrownBy(() => sig[method]()) as AsyncReceiverError
      expect(error).toBeInstanceOf(AsyncReceiverError)
      expect(error.message).toBe(
        `${method}() cannot call the async receiver store of signal "async.refused": ${method}() calls receivers ` +
          'synchronously and would drop its promise. Use sendAsync() to await async receivers, or connect a synchronous function.',
      )
    }
    expect((thrownBy(() => sig.sendRobust()) as Error).message).toContain(
      'Use sendAsyncRobust() to await async receivers',
    )
    // sendAsync does not refuse it
    expect((await sig.sendAsync()).map(([, result]) => result)).toEqual(['stored'])
    expect(statuses(await sig.sendAsyncRobust())).toEqual(['fulfilled'])
  })
})

describe('bad input', () => {
  test('unknown options reject with a TypeError naming them; nothing is called', async () => {
    const sig = new Signal()
    const receiver = jest.fn()
    sig.connect(receiver)
    await expect(sig.sendAsync(undefined, undefined, { concurency: 'serial' } as never)).rejects.toThrow(
      new TypeError('sendAsync() got an unknown option "concurency"; the options are "concurrency"'),
    )
    await expect(sig.sendAsyncRobust(undefined, undefined, { parallel: true } as never)).rejects.toThrow(
      new TypeError('sendAsyncRobust() got an unknown option "parallel"; the options are "concurrency"'),
    )
    expect(receiver).not.toHaveBeenCalled()
  })

  test('a concurrency other than serial or concurrent rejects with a TypeError', async () => {
    const sig = new Signal()
    const receiver = jest.fn()
    sig.connect(receiver)
    await expect(sig.sendAsync(undefined, undefined, { concurrency: 'parallel' } as never)).rejects.toThrow(
      new TypeError(
        `sendAsync() expects 'serial' or 'concurrent' as option "concurrency", got string "parallel"`,
      ),
    )
    await expect(sig.sendAsync(undefined, undefined, null as never)).rejects.toThrow(
      new TypeError('sendAsync() expects an options object, got null'),
    )
    await expect(sig.sendAsync(undefined, undefined, 'concurrent' as never)).rejects.toThrow(TypeError)
    expect(receiver).not.toHaveBeenCalled()
  })

  test('too many arguments reject with a TypeError', async () => {
    const sig = new Signal()
    const send = sig.sendAsync as (...args: unknown[]) => Promise<unknown>
    await expect(send.call(sig, 1, 2, {}, 4)).rejects.toThrow(
      'sendAsync() takes a sender and a payload and options, got 4 arguments; pass several values in one payload object',
    )
  })

  test('sendAsync never throws synchronously', () => {
    const sig = new Signal()
    sig.connect(() => {
      throw new Error('x')
    })
    const attempts = [
      () => sig.sendAsync(undefined, undefined, { nope: 1 } as never),
      () => sig.sendAsync(),
      () => sig.sendAsyncRobust(undefined, undefined, 3 as never),
    ]
    for (const attempt of attempts) {
      let promise: Promise<unknown> | undefined
      expect(() => {
        promise = attempt()
      }).not.toThrow()
      expect(promise).toBeInstanceOf(Promise)
      promise?.catch(() => {})
    }
  })

  test('ANY as sender reaches only the ANY receivers', async () => {
    const sig = new Signal<void, string>()
    sig.connect(async () => 'any')
    sig.connect(async () => 'a', { sender: 'a' })
    expect((await sig.sendAsync(ANY)).map(([, result]) => result)).toEqual(['any'])
  })
})

describe('types', () => {
  test("sendAsync takes the arguments of send, then options; the results are typed like send's", async () => {
    const saved = new Signal<{ id: number }, string>()
    saved.connect(async (table, { id }) => `${table} ${id}`)
    const results: Array<[unknown, unknown]> = await saved.sendAsync(
      'users',
      { id: 1 },
      { concurrency: 'serial' },
    )
    expect(results).toHaveLength(1)
    const robust = await saved.sendAsyncRobust('users', { id: 1 })
    expect(robust[0]?.[1].status).toBe('fulfilled')
    // @ts-expect-error the payload is required for this signal
    await saved.sendAsync('users').catch(() => {})
    // @ts-expect-error a wrong payload type
    await saved.sendAsync('users', { id: 'x' }).catch(() => {})
    // @ts-expect-error an unknown concurrency
    await saved.sendAsync('users', { id: 1 }, { concurrency: 'parallel' }).catch(() => {})
    const plain = new Signal()
    await plain.sendAsync()
    await plain.sendAsync(undefined, undefined, { concurrency: 'concurrent' })
  })

  test('events() and next() yield [sender, payload] typed from the signal', async () => {
    const saved = new Signal<{ id: number }, string>()
    const events = saved.events({ sender: 'users' })
    const waiting = saved.next()
    saved.send('users', { id: 2 })
    const [table, { id }] = await waiting
    const first = await events.next()
    if (first.done !== true) {
      const [sender, payload]: [string, { id: number }] = first.value
      expect([sender, payload.id]).toEqual(['users', 2])
    }
    expect([table, id]).toEqual(['users', 2])
    // @ts-expect-error an unknown overflow policy
    expect(() => saved.events({ overflow: 'drop-all' })).toThrow(TypeError)
    await events.return()
  })
})
