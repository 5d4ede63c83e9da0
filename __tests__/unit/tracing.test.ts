// The TracingChannel `signalry:send` around every send, and `signalry:receiver-error` for the receiver
// errors signalry catches and gives to nobody.
import { AsyncLocalStorage } from 'node:async_hooks'
import { execFileSync } from 'node:child_process'
import diagnostics from 'node:diagnostics_channel'
import { join } from 'node:path'
import {
  disconnectOwner,
  NamedSignal,
  type ReceiverErrorDiagnostic,
  type SendDiagnostic,
  type SendTraceContext,
  Signal,
  signal,
} from 'signalry'

type EventName = 'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error'
const EVENTS: EventName[] = ['start', 'end', 'asyncStart', 'asyncEnd', 'error']
const sends = diagnostics.tracingChannel<unknown, SendTraceContext>('signalry:send')

/** Every event of the tracing channel while `body` runs, as [event, a copy of the context then]. */
async function traced(body: () => unknown): Promise<Array<[EventName, SendTraceContext]>> {
  const events: Array<[EventName, SendTraceContext]> = []
  const handlers = Object.fromEntries(
    EVENTS.map((event) => [event, (context: SendTraceContext) => events.push([event, { ...context }])]),
  ) as unknown as Parameters<typeof sends.subscribe>[0]
  sends.subscribe(handlers)
  try {
    await body()
  } finally {
    sends.unsubscribe(handlers)
  }
  return events
}

function receiverErrors(): { readonly published: ReceiverErrorDiagnostic[]; stop(): void } {
  const published: ReceiverErrorDiagnostic[] = []
  const onError = (message: unknown) => published.push(message as ReceiverErrorDiagnostic)
  diagnostics.subscribe('signalry:receiver-error', onError)
  return { published, stop: () => diagnostics.unsubscribe('signalry:receiver-error', onError) }
}

const sequence = (events: Array<[EventName, SendTraceContext]>) =>
  events.map(([event, { method }]) => `${event} ${method}`)

describe('the tracing channel signalry:send', () => {
  test('send: start before the receivers run, end after them with the results', async () => {
    const saved = signal<{ id: number }, string>('tracing.saved')
    const order: string[] = []
    const audit = (_: string, { id }: { id: number }) => order.push(`receiver ${id}`)
    saved.connect(audit)
    saved.connect(() => 'other', { sender: 'invoices' })
    const events = await traced(() => {
      order.push('before')
      saved.send('orders', { id: 1 })
    })
    expect(events).toEqual([
      ['start', { signal: saved, name: 'tracing.saved', sender: 'orders', method: 'send', receiverCount: 1 }],
      [
        'end',
        {
          signal: saved,
          name: 'tracing.saved',
          sender: 'orders',
          method: 'send',
          receiverCount: 1,
          result: [[audit, 2]],
        },
      ],
    ])
    expect(order).toEqual(['before', 'receiver 1'])
  })

  test('send with a throwing receiver: start, error, end, each with the error, and the send still throws', async () => {
    const failing = signal('tracing.failing')
    const boom = new Error('boom')
    failing.connect(() => {
      throw boom
    })
    const events = await traced(() => {
      expect(() => failing.send('me')).toThrow(boom)
    })
    expect(sequence(events)).toEqual(['start send', 'error send', 'end send'])
    expect(events[1]?.[1].error).toBe(boom)
    expect(events[2]?.[1]).toEqual({
      signal: failing,
      name: 'tracing.failing',
      sender: 'me',
      method: 'send',
      receiverCount: 1,
      error: boom,
    })
  })

  test('emit: the result is whether a receiver ran; a signal with no receivers is traced with a count of 0', async () => {
    const tick = new NamedSignal<number>('tracing.tick')
    const events = await traced(() => {
      tick.emit(undefined, 1)
      tick.connect(() => {})
      tick.emit(undefined, 2)
    })
    expect(events.map(([event, { receiverCount, result }]) => [event, receiverCount, result])).toEqual([
      ['start', 0, undefined],
      ['end', 0, false],
      ['start', 1, undefined],
      ['end', 1, true],
    ])
  })

  test('sendRobust: end carries the outcomes, and each receiver error is published on signalry:receiver-error', async () => {
    const check = signal<void, string>('tracing.check')
    const cause = new Error('disk full')
    const diskCheck = () => {
      throw cause
    }
    const okCheck = () => 'ok'
    check.connect(diskCheck)
    check.connect(okCheck)
    const errors = receiverErrors()
    let events: Array<[EventName, SendTraceContext]>
    try {
      events = await traced(() => check.sendRobust('nightly'))
    } finally {
      errors.stop()
    }
    expect(sequence(events)).toEqual(['start sendRobust', 'end sendRobust'])
    expect(events[1]?.[1].result).toEqual([
      [diskCheck, { status: 'rejected', reason: cause }],
      [okCheck, { status: 'fulfilled', value: 'ok' }],
    ])
    expect(errors.published).toEqual([
      {
        signal: check,
        name: 'tracing.check',
        sender: 'nightly',
        receiver: diskCheck,
        error: cause,
        source: 'sendRobust',
      },
    ])
  })

  test.each(['serial', 'concurrent'] as const)(
    'sendAsync (%s) with a rejecting receiver: start, end, then error, asyncStart, asyncEnd with the error',
    async (concurrency) => {
      const uploaded = signal<string>(`tracing.uploaded.${concurrency}`)
      const rejected = new Error('virus found')
      const order: string[] = []
      uploaded.connect(async () => {
        order.push('scan called')
        await Promise.resolve()
        throw rejected
      })
      const events = await traced(async () => {
        const sent = uploaded.sendAsync(undefined, 'a.png', { concurrency })
        order.push('sendAsync returned')
        await expect(sent).rejects.toBe(rejected)
      })
      expect(sequence(events)).toEqual([
        'start sendAsync',
        'end sendAsync',
        'error sendAsync',
        'asyncStart sendAsync',
        'asyncEnd sendAsync',
      ])
      expect(events.slice(2).every(([, context]) => context.error === rejected)).toBe(true)
      expect(order).toEqual(['scan called', 'sendAsync returned'])
    },
  )

  test('sendAsync that fulfils: asyncStart and asyncEnd carry the awaited results', async () => {
    const uploaded = signal<string>('tracing.stored')
    const store = async (_: unknown, file: string) => `stored ${file}`
    uploaded.connect(store)
    const events = await traced(() => uploaded.sendAsync(undefined, 'cat.png'))
    expect(sequence(events)).toEqual([
      'start sendAsync',
      'end sendAsync',
      'asyncStart sendAsync',
      'asyncEnd sendAsync',
    ])
    expect(events[1]?.[1].result).toBeUndefined()
    expect(events[3]?.[1].result).toEqual([[store, 'stored cat.png']])
  })

  test.each(['serial', 'concurrent'] as const)(
    'sendAsyncRobust (%s): each rejection and throw is published, and asyncEnd carries the outcomes',
    async (concurrency) => {
      const deploy = signal(`tracing.deploy.${concurrency}`)
      const down = new Error('cdn down')
      const thrown = new Error('sync throw')
      const cdn = async () => {
        throw down
      }
      const sync = () => {
        throw thrown
      }
      const db = async () => 'migrated'
      deploy.connect(cdn)
      deploy.connect(sync)
      deploy.connect(db)
      const errors = receiverErrors()
      let events: Array<[EventName, SendTraceContext]>
      try {
        events = await traced(() => deploy.sendAsyncRobust(undefined, undefined, { concurrency }))
      } finally {
        errors.stop()
      }
      expect(sequence(events)).toEqual([
        'start sendAsyncRobust',
        'end sendAsyncRobust',
        'asyncStart sendAsyncRobust',
        'asyncEnd sendAsyncRobust',
      ])
      expect(events[3]?.[1].result).toEqual([
        [cdn, { status: 'rejected', reason: down }],
        [sync, { status: 'rejected', reason: thrown }],
        [db, { status: 'fulfilled', value: 'migrated' }],
      ])
      expect(errors.published.map(({ receiver, error, source }) => [receiver, error, source])).toEqual([
        [cdn, down, 'sendAsyncRobust'],
        [sync, thrown, 'sendAsyncRobust'],
      ])
    },
  )

  test('nested sends are traced inside the outer one, and its receivers run inside the stores bound to start', async () => {
    const outer = signal('tracing.outer')
    const inner = signal('tracing.inner')
    const store = new AsyncLocalStorage<string>()
    sends.start.bindStore(store, (context) => String((context as SendTraceContext).name))
    const seen: Array<string | undefined> = []
    inner.connect(() => seen.push(store.getStore()))
    outer.connect(() => {
      seen.push(store.getStore())
      inner.send()
      seen.push(store.getStore())
    })
    let events: Array<[EventName, SendTraceContext]>
    try {
      events = await traced(() => outer.send())
    } finally {
      sends.start.unbindStore(store)
    }
    expect(events.map(([event, { name }]) => `${event} ${String(name)}`)).toEqual([
      'start tracing.outer',
      'start tracing.inner',
      'end tracing.inner',
      'end tracing.outer',
    ])
    expect(seen).toEqual(['tracing.outer', 'tracing.inner', 'tracing.outer'])
    expect(store.getStore()).toBeUndefined()
  })

  test('an async receiver continues inside the store its send was started in', async () => {
    const job = signal('tracing.job')
    const store = new AsyncLocalStorage<string>()
    sends.start.bindStore(store, () => 'in job')
    let afterAwait: string | undefined
    job.connect(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1))
      afterAwait = store.getStore()
    })
    try {
      await traced(() => job.sendAsync())
    } finally {
      sends.start.unbindStore(store)
    }
    expect(afterAwait).toBe('in job')
  })

  test('a muted signal is not traced (it calls nothing); signalry:send still reports it with 0 receivers', async () => {
    const quiet = signal('tracing.quiet')
    quiet.connect(() => {})
    const plain: SendDiagnostic[] = []
    const onSend = (message: unknown) => plain.push(message as SendDiagnostic)
    diagnostics.subscribe('signalry:send', onSend)
    let events: Array<[EventName, SendTraceContext]>
    try {
      events = await traced(async () => {
        await quiet.muted(async () => {
          quiet.send()
          quiet.emit()
          quiet.sendRobust()
          await quiet.sendAsync()
          await quiet.sendAsyncRobust()
        })
      })
    } finally {
      diagnostics.unsubscribe('signalry:send', onSend)
    }
    expect(events).toEqual([])
    expect(plain.map(({ receiverCount }) => receiverCount)).toEqual([0, 0, 0, 0, 0])
  })

  test('an unnamed signal is traced with name undefined', async () => {
    const plain = new Signal()
    plain.connect(() => 1)
    const events = await traced(() => plain.send())
    expect(events[0]?.[1]).toEqual({
      signal: plain,
      name: undefined,
      sender: undefined,
      method: 'send',
      receiverCount: 1,
    })
  })

  test('a send made by a subscriber while it is given an event is not traced (it would recurse)', async () => {
    const metrics = signal<string>('tracing.metrics')
    const counted: string[] = []
    metrics.connect((_, what) => counted.push(what))
    const work = signal('tracing.work')
    const onStart = (context: unknown) =>
      metrics.send(undefined, `started ${String((context as SendTraceContext).name)}`)
    sends.start.subscribe(onStart)
    let events: Array<[EventName, SendTraceContext]>
    try {
      events = await traced(() => work.send())
    } finally {
      sends.start.unsubscribe(onStart)
    }
    expect(counted).toEqual(['started tracing.work'])
    expect(events.map(([event, { name }]) => `${event} ${String(name)}`)).toEqual([
      'start tracing.work',
      'end tracing.work',
    ])
  })

  test('nothing is published once every subscriber is gone', async () => {
    const late = signal('tracing.late')
    const events = await traced(() => {})
    const errors = receiverErrors()
    errors.stop()
    late.connect(() => {
      throw new Error('x')
    })
    late.sendRobust()
    expect(events).toEqual([])
    expect(errors.published).toEqual([])
  })
})

describe('receiver errors published from disconnect and finalizer paths', () => {
  test('when several connections end at once, the first receiverDisconnected error is thrown and the others published', () => {
    const changed = signal('tracing.changed')
    const owner = {}
    const first = () => 1
    const second = () => 2
    changed.connect(first, { owner })
    changed.connect(second, { owner })
    const failures = [new Error('report 1 failed'), new Error('report 2 failed')]
    let reports = 0
    changed.receiverDisconnected.connect(() => {
      throw failures[reports++]
    })
    const errors = receiverErrors()
    try {
      expect(() => disconnectOwner(owner)).toThrow(failures[0])
    } finally {
      errors.stop()
    }
    expect(errors.published).toHaveLength(1)
    expect(errors.published[0]).toMatchObject({
      signal: changed,
      name: 'tracing.changed',
      error: failures[1],
      source: 'disconnect',
    })
    expect([first, second]).toContain(errors.published[0]?.receiver)
  })

  test('an error of a receiverDisconnected receiver run by a finalizer is published with the collected connection', () => {
    // A child process: the error also surfaces as an uncaught one there, as documented.
    const script = `
      const diagnostics = require('node:diagnostics_channel')
      const { signal } = require(${JSON.stringify(join(__dirname, '..', '..', 'dist', 'index.cjs'))})
      const published = []
      diagnostics.subscribe('signalry:receiver-error', (m) => published.push(m.source + ' ' + m.name + ' ' + m.error.message))
      process.on('uncaughtException', (error) => published.push('uncaught ' + error.message))
      const weakly = signal('tracing.weakly')
      weakly.receiverDisconnected.connect((_, { reason }) => { throw new Error('report of ' + reason + ' failed') })
      ;(() => { weakly.connect(() => 1, { weak: true }) })()
      const pass = (n) => setImmediate(() => {
        global.gc()
        if (published.length < 2 && n < 50) pass(n + 1)
        else setImmediate(() => console.log(JSON.stringify(published)))
      })
      pass(0)
    `
    const output = execFileSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' })
    expect(JSON.parse(output)).toEqual([
      'finalizer tracing.weakly report of collected failed',
      'uncaught report of collected failed',
    ])
  })
})

// A send with nobody subscribed reads one flag that the channels' subscription methods keep (see
// src/shared/channels.ts): every way of subscribing must reach it, also after sends nobody observed.
// Each case runs in a fresh process, where no earlier test has subscribed.
describe('subscribing after sends that nobody observed', () => {
  const root = join(__dirname, '..', '..')
  const fresh = (body: string): unknown => {
    const script = `
      const { createRequire } = await import('node:module')
      const { AsyncLocalStorage } = await import('node:async_hooks')
      const diagnostics = await import('node:diagnostics_channel')
      const esm = await import(${JSON.stringify(join(root, 'dist', 'index.js'))})
      const sends = diagnostics.tracingChannel('signalry:send')
      ${body}
    `
    return JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
    )
  }

  test('a subscriber to one event of the tracing channel sees the next send, and none after it leaves', () => {
    const ends = fresh(`
      const paid = esm.signal('late.paid')
      paid.connect(() => 'ok')
      paid.emit() // nobody subscribed yet
      const ends = []
      const onEnd = (context) => ends.push(context.method)
      diagnostics.subscribe('tracing:signalry:send:end', onEnd)
      paid.emit()
      paid.send()
      diagnostics.unsubscribe('tracing:signalry:send:end', onEnd)
      paid.emit()
      console.log(JSON.stringify(ends))
    `)
    expect(ends).toEqual(['emit', 'send'])
  })

  test('a store bound to start alone is entered by the next send, and not after it is unbound', () => {
    const seen = fresh(`
      const opened = esm.signal('late.opened')
      const store = new AsyncLocalStorage()
      const seen = []
      opened.connect(() => seen.push(store.getStore() ?? 'none'))
      opened.emit()
      sends.start.bindStore(store, () => 'bound')
      opened.emit()
      sends.start.unbindStore(store)
      opened.emit()
      console.log(JSON.stringify(seen))
    `)
    expect(seen).toEqual(['none', 'bound', 'none'])
  })

  test('a subscriber to the error event alone is given the error of the next send', () => {
    const errors = fresh(`
      const failed = esm.signal('late.failed')
      failed.connect(() => { throw new Error('no disk') })
      const attempt = () => { try { failed.emit() } catch {} }
      attempt()
      const errors = []
      const handlers = { error: (context) => errors.push(context.error.message) }
      sends.subscribe(handlers)
      attempt()
      sends.unsubscribe(handlers)
      attempt()
      console.log(JSON.stringify(errors))
    `)
    expect(errors).toEqual(['no disk'])
  })

  test('the ESM and the CommonJS build loaded together both publish to a subscriber that came after their sends', () => {
    const seen = fresh(`
      const cjs = createRequire(import.meta.url)(${JSON.stringify(join(root, 'dist', 'index.cjs'))})
      esm.signal('copies.esm').emit()
      cjs.signal('copies.cjs').emit()
      const seen = []
      const onSend = ({ name }) => seen.push(name)
      diagnostics.subscribe('signalry:send', onSend)
      esm.signal('copies.esm').emit()
      cjs.signal('copies.cjs').emit()
      diagnostics.unsubscribe('signalry:send', onSend)
      esm.signal('copies.esm').emit()
      cjs.signal('copies.cjs').emit()
      console.log(JSON.stringify(seen))
    `)
    expect(seen).toEqual(['copies.esm', 'copies.cjs'])
  })
})
