// Per-send metadata across the bridge: `inject(meta)` on publish writes short strings into the
// envelope's `meta` (version 2), `extract(meta, deliver)` on receipt runs the re-send inside the
// context it makes; nodes that send no meta keep writing version 1; bad meta is never trusted.
import { AsyncLocalStorage } from 'node:async_hooks'
import diagnostics from 'node:diagnostics_channel'
import { Namespace } from 'signalry'
import { bridge } from 'signalry/bridge'
import { bridgedNode, MemoryHub } from '../helpers/memoryTransport'

const node = bridgedNode

const lastMessage = (hub: MemoryHub) => JSON.parse(hub.published.at(-1) as string) as Record<string, unknown>

test("inject's entries travel in meta (version 2), and the re-send runs inside the context extract makes", () => {
  const hub = new MemoryHub()
  const trace = new AsyncLocalStorage<string>()
  const a = node(hub, 'a', { inject: (meta) => void (meta['traceparent'] = `00-${trace.getStore()}-01`) })
  const extracted: Array<Record<string, string>> = []
  const b = node(hub, 'b', {
    extract: (meta, deliver) => {
      extracted.push({ ...meta })
      trace.run(`remote ${meta['traceparent']}`, deliver)
    },
  })
  const seen: Array<string | undefined> = []
  b.ns.signal('order.placed').connect(() => seen.push(trace.getStore()))
  trace.run('abc', () => a.ns.signal('order.placed').send(undefined, { id: 1 }))
  expect(lastMessage(hub)).toEqual({
    v: 2,
    origin: 'a',
    id: expect.any(String),
    signal: 'order.placed',
    senderKey: null,
    payload: { id: 1 },
    meta: { traceparent: '00-abc-01' },
  })
  expect(extracted).toEqual([{ traceparent: '00-abc-01' }])
  expect(seen).toEqual(['remote 00-abc-01'])
  expect([...a.errors, ...b.errors]).toEqual([])
})

test('without inject, or when inject writes nothing, the message is version 1 without meta, and extract is not called', () => {
  const hub = new MemoryHub()
  const extract = jest.fn((_meta: Readonly<Record<string, string>>, deliver: () => void) => deliver())
  const a = node(hub, 'a')
  const quiet = node(hub, 'quiet', { inject: () => {} })
  const b = node(hub, 'b', { extract })
  const got: number[] = []
  b.ns.signal('n').connect((_, n) => got.push(n as number))
  a.ns.signal('n').send(undefined, 1)
  expect(lastMessage(hub)).not.toHaveProperty('meta')
  expect(lastMessage(hub)['v']).toBe(1)
  quiet.ns.signal('n').send(undefined, 2)
  expect(lastMessage(hub)['v']).toBe(1)
  expect(lastMessage(hub)).not.toHaveProperty('meta')
  expect(got).toEqual([1, 2])
  expect(extract).not.toHaveBeenCalled()
})

test('a node without extract re-sends a message with meta as any other', () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a', { inject: (meta) => void (meta['tenant'] = 'acme') })
  const b = node(hub, 'b')
  const got: unknown[] = []
  b.ns.signal('n').connect((_, payload) => got.push(payload))
  a.ns.signal('n').send(undefined, 'x')
  expect(got).toEqual(['x'])
  expect(b.errors).toEqual([])
})

test.each([
  [
    'throws',
    () => {
      throw new Error('no tracer')
    },
    'inject threw: no tracer',
  ],
  [
    'writes a value with a line break',
    (meta: Record<string, string>) => void (meta['traceparent'] = 'a\r\nb'),
    'printable ASCII',
  ],
  [
    'writes a number',
    (meta: Record<string, string>) => void ((meta as Record<string, unknown>)['n'] = 1),
    'must be a string',
  ],
  [
    'writes 17 entries',
    (meta: Record<string, string>) => {
      for (let i = 0; i < 17; i++) meta[`k${i}`] = 'v'
    },
    'at most 16 entries',
  ],
  [
    'writes 5 000 characters',
    (meta: Record<string, string>) => {
      for (let i = 0; i < 5; i++) meta[`k${i}`] = 'v'.repeat(1000)
    },
    'more than 4096',
  ],
])(
  'when inject %s, the send is published without meta and reported as inject-failed',
  (_what, inject, detail) => {
    const hub = new MemoryHub()
    const a = node(hub, 'a', { inject })
    const b = node(hub, 'b')
    const got: unknown[] = []
    b.ns.signal('n').connect((_, payload) => got.push(payload))
    a.ns.signal('n').send(undefined, 'still sent')
    expect(got).toEqual(['still sent'])
    expect(lastMessage(hub)).not.toHaveProperty('meta')
    expect(a.errors).toEqual([
      expect.objectContaining({
        reason: 'inject-failed',
        direction: 'outgoing',
        signal: 'n',
        detail: expect.stringContaining(detail),
      }),
    ])
  },
)

test('when extract throws before delivering, or never calls deliver, the message is still re-sent, once, and reported', () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a', { inject: (meta) => void (meta['traceparent'] = 'x') })
  const throwing = node(hub, 'throwing', {
    extract: () => {
      throw new Error('bad propagator')
    },
  })
  const forgetting = node(hub, 'forgetting', { extract: () => {} })
  const twice = node(hub, 'twice', {
    extract: (_meta, deliver) => {
      deliver()
      deliver()
    },
  })
  const got: string[] = []
  for (const [name, n] of [
    ['throwing', throwing],
    ['forgetting', forgetting],
    ['twice', twice],
  ] as const) {
    n.ns.signal('n').connect(() => got.push(name))
  }
  a.ns.signal('n').send()
  expect(got.sort()).toEqual(['forgetting', 'throwing', 'twice'])
  expect(throwing.errors).toEqual([
    expect.objectContaining({
      reason: 'extract-failed',
      direction: 'incoming',
      signal: 'n',
      detail: expect.stringContaining('bad propagator'),
    }),
  ])
  expect(forgetting.errors).toEqual([
    expect.objectContaining({
      reason: 'extract-failed',
      detail: expect.stringContaining('did not call deliver'),
    }),
  ])
  expect(twice.errors).toEqual([])
})

test('extract is given a frozen copy: it cannot change what it was sent', () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a', { inject: (meta) => void (meta['k'] = 'v') })
  let frozen: boolean | undefined
  const b = node(hub, 'b', {
    extract: (meta, deliver) => {
      frozen = Object.isFrozen(meta)
      deliver()
    },
  })
  b.ns.signal('n').connect(() => {})
  a.ns.signal('n').send()
  expect(frozen).toBe(true)
})

test('incoming meta over 4096 characters in all is dropped as wrong-type, whatever the message size limit', () => {
  const hub = new MemoryHub()
  const b = node(hub, 'b', { maxMessageBytes: 100_000 })
  const got: unknown[] = []
  b.ns.signal('n').connect((_, payload) => got.push(payload))
  const meta = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`k${i}`, 'v'.repeat(1000)]))
  hub.deliver(
    JSON.stringify({ v: 2, origin: 'evil', id: '1', signal: 'n', senderKey: null, payload: 1, meta }),
  )
  expect(got).toEqual([])
  expect(b.errors).toEqual([
    expect.objectContaining({ reason: 'wrong-type', detail: expect.stringContaining('more than 4096') }),
  ])
})

test('inject and extract must be functions', () => {
  const hub = new MemoryHub()
  expect(() => bridge(new Namespace(), hub.transport(), { inject: 'traceparent' as never })).toThrow(
    /a function as option "inject"/,
  )
  expect(() => bridge(new Namespace(), hub.transport(), { extract: {} as never })).toThrow(
    /a function as option "extract"/,
  )
})

test("a receiver error in the bridge's re-send is published on signalry:receiver-error, with the local signal and receiver", () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a')
  const b = node(hub, 'b')
  const failure = new Error('cannot ship')
  const ship = () => {
    throw failure
  }
  const placed = b.ns.signal('order.placed')
  placed.connect(ship)
  const published: unknown[] = []
  const onError = (message: unknown) => published.push(message)
  diagnostics.subscribe('signalry:receiver-error', onError)
  try {
    a.ns.signal('order.placed').send('shop', { id: 1 })
  } finally {
    diagnostics.unsubscribe('signalry:receiver-error', onError)
  }
  expect(published).toEqual([
    {
      signal: placed,
      name: 'order.placed',
      sender: 'shop',
      receiver: ship,
      error: failure,
      source: 'sendRobust',
    },
  ])
  expect(b.errors.map((error) => error.reason)).toEqual(['receiver-failed'])
})

test('a promise returned by a plain receiver of a re-send that rejects is published with source "bridge"', async () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a')
  const b = node(hub, 'b')
  const failure = new Error('later')
  const later = () => Promise.reject(failure)
  const placed = b.ns.signal('order.placed')
  placed.connect(later)
  const published: unknown[] = []
  const onError = (message: unknown) => published.push(message)
  diagnostics.subscribe('signalry:receiver-error', onError)
  try {
    a.ns.signal('order.placed').send(undefined, { id: 2 })
    await new Promise((resolve) => setImmediate(resolve))
  } finally {
    diagnostics.unsubscribe('signalry:receiver-error', onError)
  }
  expect(published).toEqual([
    {
      signal: placed,
      name: 'order.placed',
      sender: undefined,
      receiver: later,
      error: failure,
      source: 'bridge',
    },
  ])
})
