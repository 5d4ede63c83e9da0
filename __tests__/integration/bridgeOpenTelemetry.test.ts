// The OpenTelemetry recipe of docs/diagnostics.md with the real SDK, across two Node processes and a
// real redis-server: the span of the re-send in the receiving process belongs to the sending
// process's trace, and its parent is the span of the send there — over pub/sub and over Streams.
import { join } from 'node:path'
import { type NodeProcess, runFixture } from '../helpers/nodeProcess'
import { type RedisServer, startRedis } from '../helpers/redisServer'
import { describeWith } from '../helpers/services'

const root = join(__dirname, '..', '..')
const fixture = join(__dirname, '..', 'fixtures', 'otelNode.ts')

interface SpanRecord {
  readonly name: string
  readonly traceId: string
  readonly spanId: string
  readonly parentSpanId?: string
}

function run(...args: string[]): NodeProcess {
  return runFixture(fixture, args, root)
}

describeWith('redis-server', 'OpenTelemetry across processes with a real redis-server', () => {
  let redis: RedisServer
  beforeAll(async () => {
    redis = await startRedis()
  }, 20_000)
  afterAll(async () => {
    await redis?.stop()
  })

  test.each([
    ['pub/sub', 'pubsub'],
    ['Streams', 'streams'],
  ])(
    'over %s, the span of the re-send in process B has the trace of process A and the send span there as its parent',
    async (_name, mode) => {
      const key = `otel-${mode}`
      const receiver = run('receiver', mode, redis.url, key)
      let sender: ReturnType<typeof run> | undefined
      try {
        expect(await receiver.line()).toBe('ready')
        sender = run('sender', mode, redis.url, key)
        const sent = JSON.parse(await sender.line()) as SpanRecord[]
        const received = JSON.parse(await receiver.line()) as SpanRecord[]
        const send = sent.find((span) => span.name === 'otel.order.placed send')
        const resend = received.find((span) => span.name === 'otel.order.placed sendRobust')
        expect(send).toBeDefined()
        expect(send?.parentSpanId).toBeUndefined()
        expect(resend).toMatchObject({ traceId: send?.traceId, parentSpanId: send?.spanId })
      } finally {
        receiver.process.kill()
        sender?.process.kill()
      }
    },
    30_000,
  )
})
