// The bridge's rules, on an in-memory transport (and a real BroadcastChannel where it matters):
// what is published, what is re-sent, no echo, no loops, nested sends, senders, errors, closing.
import { NamedSignal, Namespace, Signal, signal } from 'signalry'
import { Bridge, bridge, type BridgeError, type BridgeTransport, jsonCodec } from 'signalry/bridge'
import { broadcastChannel } from 'signalry/broadcast-channel'
import { bridgedNode, MemoryHub } from '../helpers/memoryTransport'

const node = bridgedNode

afterEach(() => jest.restoreAllMocks())

test('a local send of a bridged signal is published once, and re-sent on the other node', () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a')
  const b = node(hub, 'b')
  const got: unknown[] = []
  b.ns.signal('order.placed').connect((sender, payload) => got.push([sender, payload]))
  a.ns.signal('order.placed').send('shop', { id: 1 })
  expect(hub.published).toHaveLength(1)
  expect(JSON.parse(hub.published[0] as string)).toEqual({
    v: 1,
    origin: 'a',
    id: expect.any(String),
    signal: 'order.placed',
    senderKey: 'shop',
    payload: { id: 1 },
  })
  expect(got).toEqual([['shop', { id: 1 }]])
})

test('two bridged nodes sending in both directions make exactly one local call per send per node', () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a')
  const b = node(hub, 'b')
  const calls = { a: [] as unknown[], b: [] as unknown[] }
  a.ns.signal('chat').connect((_, text) => calls.a.push(text))
  b.ns.signal('chat').connect((_, text) => calls.b.push(text))
  a.ns.signal('chat').send(undefined, 'from a 1')
  b.ns.signal('chat').send(undefined, 'from b 1')
  a.ns.signal('chat').send(undefined, 'from a 2')
  expect(calls.a).toEqual(['from a 1', 'from b 1', 'from a 2'])
  expect(calls.b).toEqual(['from a 1', 'from b 1', 'from a 2'])
  // Three sends, three messages: nothing bounced back and forth.
  expect(hub.published).toHaveLength(3)
  // The hub delivers every message to its own publisher too; those echoes are dropped.
  expect(a.link.stats.echoes).toBe(2)
  expect(b.link.stats.echoes).toBe(1)
  expect(a.errors).toEqual([])
  expect(b.errors).toEqual([])
})

test('a receiver that sends a bridged signal in reaction to a remote send is published', () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a')
  const b = node(hub, 'b')
  const confirmations: unknown[] = []
  b.ns.signal<{ id: number }>('order.placed').connect((_, order) => {
    b.ns.signal('order.confirmed').send(undefined, { id: order.id })
  })
  a.ns.signal('order.confirmed').connect((_, payload) => confirmations.push(payload))
  a.ns.signal('order.placed').send(undefined, { id: 5 })
  expect(confirmations).toEqual([{ id: 5 }])
  expect(hub.published.map((m) => JSON.parse(m as string).signal)).toEqual([
    'order.placed',
    'order.confirmed',
  ])
})

test('a receiver that re-sends the same signal during a remote send is published too', () => {
  const hub = new MemoryHub()
  hub.held = [] // deliver later, as real transports do
  const a = node(hub, 'a')
  const b = node(hub, 'b')
  const seenByA: unknown[] = []
  b.ns.signal<number>('count').connect((_, n) => {
    if (n < 3) b.ns.signal<number>('count').send(undefined, n + 1)
  })
  a.ns.signal<number>('count').connect((_, n) => seenByA.push(n))
  a.ns.signal<number>('count').send(undefined, 1)
  while (hub.held.length > 0) hub.flush()
  // b re-sends 2 (published), a gets 2; a does not react; b's nested 3 is published as well.
  expect(seenByA).toEqual([1, 2, 3])
})

test('a muted signal does not leave the next local send unpublished', () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a')
  const b = node(hub, 'b')
  const seenByA: unknown[] = []
  const tick = b.ns.signal<number>('tick')
  a.ns.signal('tick').connect((_, n) => seenByA.push(n))
  tick.muted(() => a.ns.signal('tick').send(undefined, 1)) // b is muted: its relay does not run
  tick.send(undefined, 2)
  expect(seenByA).toEqual([1, 2])
})

test('the relay is an ordinary, visible receiver that runs first', () => {
  const hub = new MemoryHub()
  const ns = new Namespace()
  const order: string[] = []
  const saved = ns.signal('saved')
  saved.connect(() => order.push('app'), { priority: 1000 })
  const link = bridge(ns, hub.transport(), { nodeId: 'a' })
  saved.connect(() => {
    order.push('app after')
    expect(hub.published).toHaveLength(1)
  })
  expect(saved.receiverCount).toBe(3)
  const results = saved.send('me')
  expect(results).toHaveLength(3)
  expect(results[0]?.[1]).toBeUndefined()
  expect(order).toEqual(['app', 'app after'])
  void link.close()
  expect(saved.receiverCount).toBe(2)
})

test('sends whose sender has no key stay local; sends without a sender are published with key null', () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a')
  const b = node(hub, 'b')
  const got: unknown[] = []
  b.ns.signal('ping').connect((sender, payload) => got.push([sender, payload]))
  a.ns.signal('ping').send({ local: true }, 'object sender: default senderKey gives none')
  a.ns.signal('ping').send(42, 'number sender: none either')
  a.ns.signal('ping').send(undefined, 'no sender')
  a.ns.signal('ping').send('web', 'string sender')
  expect(got).toEqual([
    [undefined, 'no sender'],
    ['web', 'string sender'],
  ])
  expect(JSON.parse(hub.published[0] as string).senderKey).toBeNull()
})

test('senderKey and senderFromKey map senders across nodes, so sender-filtered receivers work', () => {
  const hub = new MemoryHub()
  const shopsA = { north: { shop: 'north' }, south: { shop: 'south' } }
  const shopsB = { north: { shop: 'north (b)' }, south: { shop: 'south (b)' } }
  const keyOf = (sender: unknown) => (sender as { shop?: string } | undefined)?.shop?.split(' ')[0]
  const a = node(hub, 'a', { senderKey: keyOf })
  const b = node(hub, 'b', { senderKey: keyOf, senderFromKey: (key) => shopsB[key as 'north' | 'south'] })
  const northOnly: unknown[] = []
  const all: unknown[] = []
  b.ns.signal('sale').connect((_, n) => northOnly.push(n), { sender: shopsB.north })
  b.ns.signal('sale').connect((sender, n) => all.push([sender, n]))
  a.ns.signal('sale').send(shopsA.north, 1)
  a.ns.signal('sale').send(shopsA.south, 2)
  a.ns.signal('sale').send(shopsA.north, 3)
  expect(northOnly).toEqual([1, 3])
  expect(all).toEqual([
    [shopsB.north, 1],
    [shopsB.south, 2],
    [shopsB.north, 3],
  ])
})

test('include chooses the bridged signals by name; symbol-named signals are never bridged', () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a', { include: (name) => name.startsWith('user.') })
  a.ns.signal('user.created')
  a.ns.signal('cache.flushed')
  a.ns.signal(Symbol('private'))
  expect(a.link.signalNames).toEqual(['user.created'])
  a.ns.signal('cache.flushed').send(undefined, 1)
  a.ns.signal('user.created').send(undefined, 2)
  expect(hub.published).toHaveLength(1)
})

test('signals created in the namespace after the bridge started are bridged too', () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a')
  const b = node(hub, 'b')
  const got: unknown[] = []
  b.ns.signal('later').connect((_, p) => got.push(p))
  expect(a.link.signalNames).toEqual([])
  a.ns.signal('later').send(undefined, 'made after bridge()')
  expect(a.link.signalNames).toEqual(['later'])
  expect(got).toEqual(['made after bridge()'])
})

test('a list of named signals bridges exactly those', () => {
  const hub = new MemoryHub()
  const ns = new Namespace()
  const listed = ns.signal('listed')
  const link = bridge([listed], hub.transport(), { nodeId: 'a' })
  ns.signal('not-listed').send(undefined, 1)
  listed.send(undefined, 2)
  expect(link.signalNames).toEqual(['listed'])
  expect(hub.published.map((m) => JSON.parse(m as string).payload)).toEqual([2])
  void link.close()
})

test('a message for a signal this node does not bridge is dropped and reported as unknown-signal', () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a')
  const b = node(hub, 'b', { include: (name) => name !== 'secret' })
  const got: unknown[] = []
  b.ns.signal('secret').connect((_, p) => got.push(p))
  a.ns.signal('secret').send(undefined, 'x')
  a.ns.signal('nobody.has.this').send(undefined, 'y')
  expect(got).toEqual([])
  expect(b.errors.map((e) => [e.reason, e.direction, e.signal])).toEqual([
    ['unknown-signal', 'incoming', 'secret'],
    ['unknown-signal', 'incoming', 'nobody.has.this'],
  ])
})

test('a send without payload arrives with payload undefined (the field is left out of the JSON)', () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a')
  const b = node(hub, 'b')
  const got: unknown[] = []
  b.ns.signal('bare').connect((...args) => got.push(args))
  a.ns.signal('bare').send()
  expect(got).toEqual([[undefined, undefined]])
  expect(JSON.parse(hub.published[0] as string)).not.toHaveProperty('payload')
  expect(b.errors).toEqual([])
})

test('with the JSON codec, every message is exactly JSON.stringify of its envelope, whatever the payload, name and sender key', () => {
  const hub = new MemoryHub()
  const a = node(hub, 'node "a" ✓', {
    senderKey: (sender) => (typeof sender === 'string' ? sender : undefined),
  })
  const keyed = { toJSON: (key: string) => `toJSON called with "${key}"` }
  const payloads: unknown[] = [
    { id: 1, nested: [1, { deep: 'yes' }], gone: undefined },
    undefined,
    null,
    'text with "quotes", \\ and é 😀',
    42,
    Number.NaN,
    [1, undefined, () => {}],
    new Date(0),
    keyed,
    () => 'a function is left out, as undefined',
  ]
  const name = 'odd "name"\n'
  for (const payload of payloads) a.ns.signal(name).send('sender "key"', payload)
  a.ns.signal(name).send(undefined, { without: 'sender' })
  expect(hub.published).toHaveLength(payloads.length + 1)
  hub.published.forEach((message, i) => {
    const { id } = JSON.parse(message as string) as { id: string }
    const senderKey = i < payloads.length ? 'sender "key"' : null
    const payload = i < payloads.length ? payloads[i] : { without: 'sender' }
    expect(message).toBe(JSON.stringify({ v: 1, origin: 'node "a" ✓', id, signal: name, senderKey, payload }))
  })
  expect(JSON.parse(hub.published[8] as string).payload).toBe('toJSON called with "payload"')
  expect(a.errors).toEqual([])
})

test('ids are remembered per node: the same id from two nodes is two messages, and the window counts both', () => {
  const hub = new MemoryHub()
  const b = node(hub, 'b', { dedupeWindow: 2 })
  const got: unknown[] = []
  b.ns.signal('s').connect((_, p) => got.push(p))
  const message = (origin: string, id: string) =>
    jsonCodec.encode({ v: 1, origin, id, signal: 's', senderKey: null, payload: `${origin}${id}` })
  for (const [origin, id] of [
    ['a', '1'],
    ['c', '1'],
    ['a', '1'],
    ['c', '1'],
    ['c', '2'],
    ['c', '1'],
    ['a', '1'],
  ] as const)
    hub.deliver(message(origin, id))
  // a1 and c1 fill the window (their repeats are dropped); c2 pushes a1 out, so a1 is new again at the end.
  expect(got).toEqual(['a1', 'c1', 'c2', 'a1'])
  expect(b.link.stats.duplicates).toBe(3)
})

test('a receiver that throws during a re-send is reported once the re-send settled; the other receivers still run', async () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a')
  const b = node(hub, 'b')
  const ran: string[] = []
  b.ns.signal('job').connect(function failing() {
    throw new Error('disk full')
  })
  b.ns.signal('job').connect(() => ran.push('second'))
  expect(() => a.ns.signal('job').send()).not.toThrow()
  expect(ran).toEqual(['second'])
  await new Promise((resolve) => setTimeout(resolve, 0))
  expect(b.errors).toEqual([
    expect.objectContaining({
      reason: 'receiver-failed',
      signal: 'job',
      detail: expect.stringContaining('failing failed'),
    }),
  ])
})

test('a payload the codec cannot encode is not published and is reported; the local send still works', () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a')
  const local: unknown[] = []
  a.ns.signal('big').connect((_, p) => local.push(p))
  a.ns.signal('big').send(undefined, { n: 1n })
  expect(local).toHaveLength(1)
  expect(hub.published).toEqual([])
  expect(a.errors.map((e) => [e.reason, e.direction])).toEqual([['encode-failed', 'outgoing']])
})

test('a payload whose toJSON cannot even be looked up is reported as encode-failed; the local send still works', () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a')
  const local: unknown[] = []
  a.ns.signal('odd').connect((_, p) => local.push(p))
  const payload = Object.defineProperty({}, 'toJSON', {
    get() {
      throw new Error('no toJSON here')
    },
  })
  expect(() => a.ns.signal('odd').emit(undefined, payload)).not.toThrow()
  expect(local).toEqual([payload])
  expect(hub.published).toEqual([])
  expect(a.errors.map((e) => [e.reason, e.detail])).toEqual([
    ['encode-failed', 'the payload could not be encoded: no toJSON here'],
  ])
})

test('a message larger than maxMessageBytes is not published, and reported', () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a', { maxMessageBytes: 200 })
  a.ns.signal('note').send(undefined, 'é'.repeat(100)) // 200 bytes of payload alone
  a.ns.signal('note').send(undefined, 'short')
  expect(hub.published).toHaveLength(1)
  expect(a.errors.map((e) => e.reason)).toEqual(['oversize'])
})

test('a senderKey that throws or returns a non-string is reported and nothing is published', () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a', {
    senderKey: (sender) => {
      if (sender === 'boom') throw new Error('no key for boom')
      return sender === 'number' ? (7 as unknown as string) : 'ok'
    },
  })
  a.ns.signal('s').send('boom')
  a.ns.signal('s').send('number')
  expect(hub.published).toEqual([])
  expect(a.errors.map((e) => e.reason)).toEqual(['sender-key-failed', 'sender-key-failed'])
})

test('a senderFromKey that throws drops the message with sender-unmapped', () => {
  const hub = new MemoryHub()
  node(hub, 'a').ns.signal('s')
  const b = node(hub, 'b', {
    senderFromKey: (key) => {
      throw new Error(`unknown user ${key}`)
    },
  })
  const got: unknown[] = []
  b.ns.signal('s').connect(() => got.push(1))
  hub.deliver(jsonCodec.encode({ v: 1, origin: 'a', id: 'a:x', signal: 's', senderKey: 'u9', payload: null }))
  expect(got).toEqual([])
  expect(b.errors.map((e) => e.reason)).toEqual(['sender-unmapped'])
})

test('a message delivered twice is re-sent once (duplicates are dropped by id)', () => {
  const hub = new MemoryHub()
  hub.held = []
  const a = node(hub, 'a')
  const b = node(hub, 'b')
  const got: unknown[] = []
  b.ns.signal('s').connect((_, p) => got.push(p))
  a.ns.signal('s').send(undefined, 1)
  const [message] = hub.held
  hub.flush()
  hub.deliver(message)
  hub.deliver(message)
  expect(got).toEqual([1])
  expect(b.link.stats.duplicates).toBe(2)
})

test('the duplicate window is bounded: an id older than dedupeWindow messages is not remembered', () => {
  const hub = new MemoryHub()
  const b = node(hub, 'b', { dedupeWindow: 2 })
  const got: unknown[] = []
  b.ns.signal('s').connect((_, p) => got.push(p))
  const message = (id: string) =>
    jsonCodec.encode({ v: 1, origin: 'a', id, signal: 's', senderKey: null, payload: id })
  for (const id of ['1', '2', '1', '3', '1']) hub.deliver(message(id))
  // '1' is a duplicate while it is among the last two ids, and new again once '2' and '3' pushed it out.
  expect(got).toEqual(['1', '2', '3', '1'])
})

test('with nothing connected to errors, the first report of each reason goes to console.warn', () => {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => {})
  const hub = new MemoryHub()
  bridge(new Namespace(), hub.transport(), { nodeId: 'quiet' })
  hub.deliver('not json')
  hub.deliver('still not json')
  hub.deliver('[]')
  expect(warn).toHaveBeenCalledTimes(2)
  expect(String(warn.mock.calls[0]?.[0])).toContain('decode-failed')
  expect(String(warn.mock.calls[1]?.[0])).toContain('not-an-envelope')
})

test('closing disconnects the relays, stops receiving and closes the transport; close() is idempotent', async () => {
  const hub = new MemoryHub()
  const a = node(hub, 'a')
  const b = node(hub, 'b')
  const got: unknown[] = []
  b.ns.signal('s').connect((_, p) => got.push(p))
  const closing = b.link.close()
  expect(b.link.close()).toBe(closing)
  await closing
  expect(b.link.closed).toBe(true)
  a.ns.signal('s').send(undefined, 1)
  expect(got).toEqual([]) // b receives nothing
  b.ns.signal('s').send(undefined, 2)
  expect(hub.published).toHaveLength(1) // and publishes nothing
  b.ns.signal('created.after.close')
  expect(b.link.signalNames).toEqual(['s'])
})

test('using disposes the bridge', () => {
  const hub = new MemoryHub()
  const ns = new Namespace()
  const sig = ns.signal('s')
  {
    using link = bridge(ns, hub.transport())
    expect(link).toBeInstanceOf(Bridge)
    expect(sig.receiverCount).toBe(1)
  }
  expect(sig.receiverCount).toBe(0)
})

test('a transport whose open() fails rejects ready and reports transport-error', async () => {
  const failing: BridgeTransport = {
    messages: 'text',
    open: () => Promise.reject(new Error('no route to host')),
    publish: () => {},
    close: () => {},
  }
  const link = bridge(new Namespace(), failing)
  const errors: BridgeError[] = []
  link.errors.connect((_, e) => errors.push(e))
  await expect(link.ready).rejects.toThrow('no route to host')
  expect(errors.map((e) => [e.reason, e.direction])).toEqual([['transport-error', 'transport']])
})

test('a transport whose publish() throws is reported as publish-failed, and the local send is unaffected', () => {
  const ns = new Namespace()
  const link = bridge(ns, {
    messages: 'text',
    open: () => {},
    publish: () => {
      throw new Error('socket closed')
    },
    close: () => {},
  })
  const errors: BridgeError[] = []
  link.errors.connect((_, e) => errors.push(e))
  const local: unknown[] = []
  ns.signal('s').connect(() => local.push(1))
  expect(() => ns.signal('s').send()).not.toThrow()
  expect(local).toEqual([1])
  expect(errors.map((e) => [e.reason, e.detail])).toEqual([
    ['publish-failed', 'the transport refused the message: socket closed'],
  ])
})

describe('bad arguments throw a TypeError that says what was wrong, and connect nothing', () => {
  const hub = new MemoryHub()
  test.each([
    [
      'a source that is not a namespace or list',
      () => bridge(42 as never, hub.transport()),
      /Namespace or a list of named signals/,
    ],
    [
      'an unnamed signal in the list',
      () => bridge([new Signal()] as never, hub.transport()),
      /named signals in its source list/,
    ],
    [
      'a symbol-named signal in the list',
      () => bridge([new NamedSignal(Symbol('s'))], hub.transport()),
      /string names/,
    ],
    [
      'two signals with one name',
      () => bridge([new NamedSignal('x'), new NamedSignal('x')], hub.transport()),
      /two different signals named "x"/,
    ],
    [
      'a transport without publish',
      () => bridge(new Namespace(), { messages: 'text', open() {}, close() {} } as never),
      /as transport/,
    ],
    [
      'an unknown option',
      () => bridge(new Namespace(), hub.transport(), { nodeID: 'x' } as never),
      /unknown option "nodeID"/,
    ],
    ['an empty nodeId', () => bridge(new Namespace(), hub.transport(), { nodeId: '' }), /option "nodeId"/],
    [
      'a non-function include',
      () => bridge(new Namespace(), hub.transport(), { include: 'user.*' as never }),
      /function as option "include"/,
    ],
    [
      'a bad maxMessageBytes',
      () => bridge(new Namespace(), hub.transport(), { maxMessageBytes: 0 }),
      /positive integer as option "maxMessageBytes"/,
    ],
    [
      'a codec without decode',
      () => bridge(new Namespace(), hub.transport(), { codec: { encode: String } as never }),
      /option "codec"/,
    ],
  ])('%s', (_what, call, message) => {
    const before = signal('bridge-test.untouched').receiverCount
    expect(call).toThrow(TypeError)
    expect(call).toThrow(message)
    expect(signal('bridge-test.untouched').receiverCount).toBe(before)
  })
})

/** Resolves with the first `[sender, payload]` that `listen` hands its callback, or rejects after `ms`. */
function firstOf(
  listen: (callback: (sender: unknown, payload: unknown) => void) => void,
  ms = 5000,
): Promise<[unknown, unknown]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing was sent within ${ms} ms`)), ms)
    listen((sender, payload) => {
      clearTimeout(timer)
      resolve([sender, payload])
    })
  })
}

test('over a real BroadcastChannel, payloads are structured clones (Dates and Maps survive)', async () => {
  const here = new Namespace()
  const there = new Namespace()
  const channel = `bridge-test-${process.pid}`
  const a = bridge(here, broadcastChannel(channel), { nodeId: 'here' })
  const b = bridge(there, broadcastChannel(channel), { nodeId: 'there' })
  const errors: BridgeError[] = []
  b.errors.connect((_, e) => errors.push(e))
  try {
    const received = firstOf((callback) => there.signal('stamp').connect(callback, { once: true }))
    here.signal('stamp').send('clock', { at: new Date(0), tags: new Map([['k', 'v']]) })
    const [sender, payload] = (await received) as [unknown, { at: Date; tags: Map<string, string> }]
    expect(sender).toBe('clock')
    // Clones may come from another realm (jest's sandbox), so compare by tag and value.
    expect(Object.prototype.toString.call(payload.at)).toBe('[object Date]')
    expect(payload.at.getTime()).toBe(0)
    expect(payload.tags.get('k')).toBe('v')
    expect(errors).toEqual([])
  } finally {
    await Promise.all([a.close(), b.close()])
  }
})

test('over a BroadcastChannel, a payload that cannot be cloned is reported as encode-failed', async () => {
  const ns = new Namespace()
  const link = bridge(ns, broadcastChannel(`bridge-clone-${process.pid}`))
  const errors: BridgeError[] = []
  link.errors.connect((_, e) => errors.push(e))
  ns.signal('fn').send(undefined, { callback: () => 1 })
  await link.close()
  expect(errors.map((e) => [e.reason, e.direction])).toEqual([['encode-failed', 'outgoing']])
})
