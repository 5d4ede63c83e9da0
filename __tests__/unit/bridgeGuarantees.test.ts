// What the bridge guarantees whatever the receivers and the other writers on the wire do (issue 15,
// observed defects 4, 5, 7, 8 and 10), on the in-memory transport: remote sends run async receivers
// too, ids cannot be predicted, echo suppression recognises the very send it makes, reports reach
// async receivers, and bridge() leaves nothing connected when it throws.
import { NamedSignal, Namespace, signal } from 'signalry'
import { bridge, jsonCodec } from 'signalry/bridge'
import { bridgedNode, MemoryHub } from '../helpers/memoryTransport'

const node = bridgedNode

/** Lets pending promise callbacks and timers of this turn run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10))

afterEach(() => jest.restoreAllMocks())

test('a remote send runs every receiver, the async ones included, each called in message order', async () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a')
  const b = node(hub, 'b')
  const calls: string[] = []
  b.ns.signal<number>('job').connect((_, n) => void calls.push(`sync ${n}`))
  b.ns.signal<number>('job').connect(async (_, n) => {
    await Promise.resolve()
    calls.push(`async ${n}`)
  })
  a.ns.signal<number>('job').send(undefined, 1)
  a.ns.signal<number>('job').send(undefined, 2)
  await settle()
  // Every receiver is called at once, in order, for each message; async ones are then awaited.
  expect(calls).toEqual(['sync 1', 'sync 2', 'async 1', 'async 2'])
  expect(b.link.stats.delivered).toBe(2)
  expect(b.errors).toEqual([])
})

test('a receiver that rejects during a remote send is reported as receiver-failed, never as an unhandled rejection', async () => {
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => unhandled.push(reason)
  process.on('unhandledRejection', onUnhandled)
  try {
    const hub = new MemoryHub()
    const a = node(hub, 'a')
    const b = node(hub, 'b')
    const after: number[] = []
    b.ns.signal<number>('job').connect(async () => {
      throw new Error('disk full')
    })
    b.ns.signal<number>('job').connect((_, n) => void after.push(n))
    // A plain function that returns a rejected promise counts the same.
    b.ns.signal<number>('mail').connect(() => Promise.reject(new Error('smtp down')))
    b.ns.signal<number>('mail').connect((_, n) => void after.push(n))
    a.ns.signal<number>('job').send(undefined, 7)
    a.ns.signal<number>('mail').send(undefined, 8)
    await settle()
    expect(after).toEqual([7, 8])
    const reports = [...b.errors].sort((x, y) => String(x.signal).localeCompare(String(y.signal)))
    expect(reports.map((error) => [error.reason, error.direction, error.signal])).toEqual([
      ['receiver-failed', 'incoming', 'job'],
      ['receiver-failed', 'incoming', 'mail'],
    ])
    expect(reports[0]?.detail).toContain('disk full')
    expect(reports[1]?.detail).toContain('smtp down')
    expect(unhandled).toEqual([])
  } finally {
    process.off('unhandledRejection', onUnhandled)
  }
})

test('message ids cannot be predicted: ids pre-published from the ones seen do not suppress the next sends', async () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a')
  const b = node(hub, 'b')
  const got: number[] = []
  b.ns.signal<number>('pay').connect((_, n) => void got.push(n))
  for (let n = 0; n < 3; n++) a.ns.signal<number>('pay').send(undefined, n)
  const seen = hub.published.map((message) => (JSON.parse(message as string) as { id: string }).id)
  // The attacker increments every number in the last id it saw, in base 10 and base 36, and
  // pre-publishes those ids as node a with a harmless payload.
  const last = seen.at(-1) as string
  const guesses = new Set<string>()
  for (let step = 1; step <= 50; step++) {
    for (const radix of [10, 36]) {
      const pattern = radix === 10 ? /\d+/g : /[0-9a-z]+/g
      guesses.add(last.replace(pattern, (run) => (Number.parseInt(run, radix) + step).toString(radix)))
    }
  }
  for (const id of guesses)
    hub.deliver(jsonCodec.encode({ v: 1, origin: 'a', id, signal: 'noise', senderKey: null, payload: null }))
  for (let n = 3; n < 20; n++) a.ns.signal<number>('pay').send(undefined, n)
  await settle()
  expect(got).toEqual(Array.from({ length: 20 }, (_, n) => n))
})

test('every message id carries at least 96 random bits (16 base64url characters that never repeat)', () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a')
  for (let n = 0; n < 2000; n++) a.ns.signal<number>('pay').send(undefined, n)
  const tails = hub.published.map((message) => {
    const { id } = JSON.parse(message as string) as { id: string }
    expect(id).toMatch(/[A-Za-z0-9_-]{16}$/)
    return id.slice(-16)
  })
  expect(new Set(tails).size).toBe(2000)
})

test('messages that are dropped anyway take no dedupe slot: flooding them does not evict a delivered id', async () => {
  const hub = new MemoryHub()
  const b = node(hub, 'b', { dedupeWindow: 3 })
  const got: unknown[] = []
  b.ns.signal('s').connect((_, payload) => void got.push(payload))
  const message = (id: string, name = 's') =>
    jsonCodec.encode({ v: 1, origin: 'peer', id, signal: name, senderKey: null, payload: id })
  hub.deliver(message('genuine'))
  for (let n = 0; n < 10; n++) hub.deliver(message(`flood-${n}`, 'no.such.signal'))
  hub.deliver(message('genuine'))
  await settle()
  expect(got).toEqual(['genuine'])
  expect(b.link.stats.duplicates).toBe(1)
})

test('duplicates are counted in stats and reported once per burst', async () => {
  const hub = new MemoryHub()
  const b = node(hub, 'b')
  b.ns.signal('s').connect(() => {})
  const message = (id: string) =>
    jsonCodec.encode({ v: 1, origin: 'peer', id, signal: 's', senderKey: null, payload: 1 })
  hub.deliver(message('one'))
  for (let n = 0; n < 5; n++) hub.deliver(message('one'))
  await settle()
  hub.deliver(message('two'))
  hub.deliver(message('two'))
  await settle()
  expect(b.link.stats.duplicates).toBe(6)
  const reports = b.errors.filter((error) => error.reason === 'duplicate')
  expect(reports.map((error) => error.detail.match(/^\d+/)?.[0])).toEqual(['5', '1'])
  expect(reports.every((error) => error.direction === 'incoming')).toBe(true)
})

test('echo suppression skips exactly the re-send the bridge makes, whatever the receivers before its relay do', async () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a')
  const nsB = new Namespace()
  // Connected before the bridge, at the relay's own priority: it runs before the relay.
  let reacted = false
  nsB.signal<string>('chat').connect(
    (_, text) => {
      if (reacted) return
      reacted = true
      nsB.signal<string>('chat').send(undefined, `b saw ${text}`)
    },
    { priority: Number.MAX_VALUE },
  )
  const b = node(hub, 'b', {}, nsB)
  const seenByA: string[] = []
  a.ns.signal<string>('chat').connect((_, text) => void seenByA.push(text))
  a.ns.signal<string>('chat').send(undefined, 'hello')
  await settle()
  const wire = hub.published.map(
    (message) => JSON.parse(message as string) as { origin: string; payload: string },
  )
  // b published its own reaction, and did not publish a's message back.
  expect(wire.map((envelope) => [envelope.origin, envelope.payload])).toEqual([
    ['a', 'hello'],
    ['b', 'b saw hello'],
  ])
  expect(seenByA.sort()).toEqual(['b saw hello', 'hello'])
  expect(b.errors).toEqual([])
})

test('reports reach async receivers of bridge.errors', async () => {
  const hub = new MemoryHub()
  const link = bridge(new Namespace(), hub.transport(), { nodeId: 'quiet' })
  const reports: string[] = []
  link.errors.connect(async (_, error) => {
    await Promise.resolve()
    reports.push(error.reason)
  })
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => {})
  hub.deliver('not json')
  await settle()
  expect(reports).toEqual(['decode-failed'])
  expect(warn).not.toHaveBeenCalled()
})

test('a report no receiver takes (all filtered to another sender) goes to console.warn', async () => {
  const hub = new MemoryHub()
  const link = bridge(new Namespace(), hub.transport(), { nodeId: 'quiet' })
  const other = bridge(new Namespace(), new MemoryHub().transport(), { nodeId: 'other' })
  const reports: string[] = []
  link.errors.connect((_, error) => void reports.push(error.reason), { sender: other })
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => {})
  hub.deliver('not json')
  await settle()
  expect(reports).toEqual([])
  expect(warn).toHaveBeenCalledTimes(1)
  expect(String(warn.mock.calls[0]?.[0])).toContain('decode-failed')
  await Promise.all([link.close(), other.close()])
})

test('bridge() is atomic: when two listed signals share a name, nothing stays connected', () => {
  const first = new NamedSignal('dup.name')
  const second = new NamedSignal('dup.name')
  const other = new NamedSignal('other.name')
  expect(() => bridge([first, other, second], new MemoryHub().transport())).toThrow(
    /two different signals named "dup.name"/,
  )
  expect(first.receiverCount).toBe(0)
  expect(other.receiverCount).toBe(0)
  expect(second.receiverCount).toBe(0)
})

test('bridge() is atomic: when include throws for a later name, nothing stays connected', () => {
  const ns = new Namespace()
  const early = ns.signal('early')
  ns.signal('late')
  const include = (name: string) => {
    if (name === 'late') throw new Error('include failed')
    return true
  }
  expect(() => bridge(ns, new MemoryHub().transport(), { include })).toThrow('include failed')
  expect(early.receiverCount).toBe(0)
  expect(ns.signal('late').receiverCount).toBe(0)
  // Nor is the namespace watched: a signal created now is not bridged by anyone.
  expect(ns.signal('created.later').receiverCount).toBe(0)
  expect(signal('bridge-guarantees.untouched').receiverCount).toBe(0)
})

describe('where the runtime has no global Web Crypto (Node 18 unflagged)', () => {
  const globalCrypto = Object.getOwnPropertyDescriptor(globalThis, 'crypto')
  beforeEach(() => Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true }))
  afterEach(() => {
    if (globalCrypto !== undefined) Object.defineProperty(globalThis, 'crypto', globalCrypto)
  })

  test("the bridge draws its ids from the transport's randomBytes, and they still differ", () => {
    const hub = new MemoryHub()
    let draws = 0
    const withRandom = (transport: ReturnType<MemoryHub['transport']>) =>
      Object.assign(transport, {
        randomBytes(bytes: Uint8Array) {
          draws++
          globalCrypto?.value.getRandomValues(bytes)
        },
      })
    const ids: string[] = []
    const source = new Namespace()
    const a = bridge(source, withRandom(hub.transport()), { nodeId: 'a' })
    const b = bridge(new Namespace(), withRandom(hub.transport()), { nodeId: 'b' })
    const tap = hub.transport()
    void tap.open({
      nodeId: 'tap',
      stableId: true,
      receive: (m) => void ids.push(JSON.parse(m as string).id),
      delivered: async () => {},
      report: () => {},
    })
    // 100 ids take 1 600 random characters: more than the 1 024 one draw serves, so the pool refills.
    for (let i = 0; i < 100; i++) source.signal('x').send()
    expect(draws).toBeGreaterThan(0)
    expect(ids).toHaveLength(100)
    expect(new Set(ids).size).toBe(100)
    a.close()
    b.close()
    void tap.close()
  })

  test('without a transport randomBytes, bridge() refuses with a TypeError naming both ways out', () => {
    expect(() => bridge(new Namespace(), new MemoryHub().transport())).toThrow(
      /needs crypto\.getRandomValues.*--experimental-global-webcrypto.*randomBytes\(bytes\)/,
    )
  })
})

test('the Redis transports bring their own random bytes (node:crypto) for runtimes without Web Crypto', async () => {
  const { redisPubSub, redisStreams } = await import('signalry/redis')
  for (const transport of [redisPubSub({ lazyConnect: true }), redisStreams({ lazyConnect: true })]) {
    const bytes = new Uint8Array(32)
    transport.randomBytes?.(bytes)
    expect(bytes.some((byte) => byte !== 0)).toBe(true)
  }
})

test('a remote send to a signal with a native async receiver is published once on signalry:send, as the one send it is', async () => {
  const { subscribe, unsubscribe } = await import('node:diagnostics_channel')
  const hub = new MemoryHub()
  const a = node(hub, 'a')
  const b = node(hub, 'b')
  const job = b.ns.signal<number>('job')
  job.connect(async () => {})
  const published: number[] = []
  const listen = (message: unknown) => {
    const { signal, receiverCount } = message as { signal: unknown; receiverCount: number }
    if (signal === job) published.push(receiverCount)
  }
  subscribe('signalry:send', listen)
  try {
    a.ns.signal<number>('job').send(undefined, 1)
    a.ns.signal<number>('job').send(undefined, 2)
    await settle()
  } finally {
    unsubscribe('signalry:send', listen)
  }
  // Two sends, two publications; each counts the async receiver and the bridge's own receiver.
  expect(published).toEqual([2, 2])
})
