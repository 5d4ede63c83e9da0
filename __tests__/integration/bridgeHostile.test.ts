// Malformed and hostile messages published raw on a real Redis channel and stream: each is dropped,
// reported with its reason, nothing is delivered for it, the process keeps running, and
// Object.prototype is unchanged. A valid message afterwards is still delivered.
import { Redis } from 'ioredis'
import { Namespace } from 'signalry'
import { type Bridge, bridge, type BridgeError, type BridgeErrorReason } from 'signalry/bridge'
import { redisPubSub, redisStreams } from 'signalry/redis'
import { type RedisServer, startRedis } from '../helpers/redisServer'
import { describeWith } from '../helpers/services'

const MAX_BYTES = 4096
const valid = {
  v: 1,
  origin: 'hostile-peer',
  id: 'x',
  signal: 'order.placed',
  senderKey: null,
  payload: { id: 1 },
}
const json = (value: unknown): string => JSON.stringify(value)
const without = (field: string) =>
  json(Object.fromEntries(Object.entries(valid).filter(([key]) => key !== field)))
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)

/** [what, raw message, the reason it must be reported with]. */
const hostile: Array<[string, string, BridgeErrorReason]> = [
  ['text that is not JSON', '{"v":1,', 'decode-failed'],
  ['an empty message', '', 'decode-failed'],
  ['JSON null', 'null', 'not-an-envelope'],
  ['a JSON number', '42', 'not-an-envelope'],
  ['a JSON string', '"order.placed"', 'not-an-envelope'],
  ['a JSON array', json([valid]), 'not-an-envelope'],
  ['version 3', json({ ...valid, v: 3 }), 'unsupported-version'],
  ['version 2 without meta', json({ ...valid, v: 2 }), 'missing-field'],
  ['meta in version 1', json({ ...valid, meta: { traceparent: 'x' } }), 'unknown-field'],
  ['meta that is a string', json({ ...valid, v: 2, meta: 'traceparent=x' }), 'wrong-type'],
  ['meta that is an array', json({ ...valid, v: 2, meta: ['x'] }), 'wrong-type'],
  ['a meta value that is a number', json({ ...valid, v: 2, meta: { traceparent: 7 } }), 'wrong-type'],
  [
    'a meta value that is an object',
    json({ ...valid, v: 2, meta: { traceparent: { deep: 'x' } } }),
    'wrong-type',
  ],
  [
    'a __proto__ key in meta',
    json({ ...valid, v: 2, meta: {} }).replace('"meta":{}', '"meta":{"__proto__":"x"}'),
    'forbidden-key',
  ],
  [
    '17 meta entries',
    json({ ...valid, v: 2, meta: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }),
    'wrong-type',
  ],
  ['a meta key with a space', json({ ...valid, v: 2, meta: { 'trace parent': 'x' } }), 'wrong-type'],
  ['an empty meta key', json({ ...valid, v: 2, meta: { '': 'x' } }), 'wrong-type'],
  [
    'a meta value with a line break',
    json({ ...valid, v: 2, meta: { traceparent: 'a\r\nset-cookie: x' } }),
    'wrong-type',
  ],
  [
    'a meta value of 2 000 characters',
    json({ ...valid, v: 2, meta: { tracestate: 'x'.repeat(2000) } }),
    'wrong-type',
  ],
  ['version as a string', json({ ...valid, v: '1' }), 'unsupported-version'],
  ['no origin', without('origin'), 'missing-field'],
  ['no id', without('id'), 'missing-field'],
  ['no signal', without('signal'), 'missing-field'],
  ['no senderKey', without('senderKey'), 'missing-field'],
  ['an extra field', json({ ...valid, admin: true }), 'unknown-field'],
  ['a numeric origin', json({ ...valid, origin: 7 }), 'wrong-type'],
  ['an empty id', json({ ...valid, id: '' }), 'wrong-type'],
  ['a signal name that is an object', json({ ...valid, signal: { name: 'order.placed' } }), 'wrong-type'],
  ['a numeric senderKey', json({ ...valid, senderKey: 5 }), 'wrong-type'],
  ['an origin of 1 000 characters', json({ ...valid, origin: 'o'.repeat(1000) }), 'wrong-type'],
  ['a __proto__ key at the top', `{"__proto__":{"polluted":true},${json(valid).slice(1)}`, 'forbidden-key'],
  [
    'a __proto__ key in the payload',
    json({ ...valid, payload: 0 }).replace('"payload":0', '"payload":{"a":{"__proto__":{"polluted":true}}}'),
    'forbidden-key',
  ],
  [
    'an escaped \\u005f_proto__ key',
    json({ ...valid, payload: 0 }).replace('"payload":0', '"payload":{"\\u005f_proto__":{"polluted":true}}'),
    'forbidden-key',
  ],
  [
    'a constructor.prototype payload',
    json({ ...valid, payload: { constructor: { prototype: { polluted: true } } } }),
    'forbidden-key',
  ],
  [
    'a prototype key deep in an array',
    json({ ...valid, payload: [[{ prototype: { polluted: true } }]] }),
    'forbidden-key',
  ],
  [
    'a payload nested 1 000 deep',
    json({ ...valid, payload: 0 }).replace('"payload":0', `"payload":${nested(1000)}`),
    'too-deep',
  ],
  [
    'a payload nested 100 deep',
    json({ ...valid, payload: 0 }).replace('"payload":0', `"payload":${nested(100)}`),
    'too-deep',
  ],
  ['a message larger than maxMessageBytes', json({ ...valid, payload: 'x'.repeat(MAX_BYTES) }), 'oversize'],
  ['an unknown signal name', json({ ...valid, signal: 'no.such.signal' }), 'unknown-signal'],
  ['the signal name "__proto__"', json({ ...valid, signal: '__proto__' }), 'unknown-signal'],
  ['the signal name "toString"', json({ ...valid, signal: 'toString' }), 'unknown-signal'],
]

test('there are at least 20 kinds of hostile messages, with distinct reasons', () => {
  expect(hostile.length).toBeGreaterThanOrEqual(20)
  expect(new Set(hostile.map(([, , reason]) => reason)).size).toBeGreaterThanOrEqual(10)
})

describeWith('redis-server', 'on a real redis-server', () => {
  // body not re-indented, so that git sees the move as a rename
  let redis: RedisServer
  let raw: Redis
  const links: Bridge[] = []

  beforeAll(async () => {
    redis = await startRedis()
    raw = new Redis(redis.url)
  }, 20_000)

  afterAll(async () => {
    await Promise.all(links.map((link) => link.close()))
    raw?.disconnect()
    await redis?.stop()
  })

  function errorsAndDeliveries(link: Bridge, ns: Namespace) {
    const errors: BridgeError[] = []
    const delivered: unknown[] = []
    links.push(link)
    link.errors.connect((_, error) => errors.push(error))
    ns.signal('order.placed').connect((_, payload) => delivered.push(payload))
    return { errors, delivered }
  }

  async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  describe.each([
    [
      'pub/sub',
      'hostile-channel',
      (url: string) => redisPubSub(url, { channel: 'hostile-channel' }),
      (message: string) => raw.publish('hostile-channel', message),
    ],
    [
      'Streams',
      'hostile-stream',
      (url: string) => redisStreams(url, { stream: 'hostile-stream' }),
      (message: string) => raw.xadd('hostile-stream', '*', 'm', message),
    ],
  ] as const)('over Redis %s', (_mode, _key, transport, publishRaw) => {
    test('every hostile message is dropped and reported with its reason; nothing is delivered; prototypes are untouched', async () => {
      const ns = new Namespace()
      ns.signal('order.placed')
      const link = bridge(ns, transport(redis.url), { nodeId: 'victim', maxMessageBytes: MAX_BYTES })
      const { errors, delivered } = errorsAndDeliveries(link, ns)
      await link.ready
      const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort()
      // Distinct ids, so that no message is dropped as a repeat of an earlier one.
      for (const [index, [, message]] of hostile.entries())
        await publishRaw(message.replace('"id":"x"', `"id":"x${index}"`))
      await until(() => errors.length >= hostile.length, `${hostile.length} reports (got ${errors.length})`)
      expect(errors.map((error) => error.reason)).toEqual(hostile.map(([, , reason]) => reason))
      expect(errors.every((error) => error.direction === 'incoming' && error.detail.length > 0)).toBe(true)
      expect(delivered).toEqual([])
      expect(link.stats.dropped).toBe(hostile.length)
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys)
      // Still working: a valid message from another node is delivered.
      await publishRaw(json({ ...valid, id: 'after' }))
      await until(() => delivered.length === 1, 'the valid message')
      expect(delivered).toEqual([{ id: 1 }])
      await link.close()
    }, 30_000)
  })

  test('a stream entry that is not one field "m" is dropped and reported as not-an-envelope', async () => {
    const ns = new Namespace()
    ns.signal('order.placed')
    const link = bridge(ns, redisStreams(redis.url, { stream: 'odd-fields' }), { nodeId: 'victim' })
    const { errors, delivered } = errorsAndDeliveries(link, ns)
    await link.ready
    await raw.xadd('odd-fields', '*', 'message', json(valid))
    await raw.xadd('odd-fields', '*', 'm', json(valid), 'extra', '1')
    await until(() => errors.length === 2, 'two reports')
    expect(errors.map((error) => error.reason)).toEqual(['not-an-envelope', 'not-an-envelope'])
    expect(delivered).toEqual([])
    await link.close()
  }, 20_000)
})
