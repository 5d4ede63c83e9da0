// The OpenTelemetry recipe of docs/diagnostics.md with the real SDK, across two Node processes and a
// real redis-server: the span of the re-send in the receiving process belongs to the sending
// process's trace, and its parent is the span of the send there — over pub/sub and over Streams.
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
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

function run(...args: string[]): { child: ChildProcess; line(): Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  })
  const lines: string[] = []
  const waiting: Array<(line: string) => void> = []
  let buffered = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      const line = buffered.slice(0, end)
      buffered = buffered.slice(end + 1)
      const next = waiting.shift()
      if (next) next(line)
      else lines.push(line)
    }
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  return {
    child,
    line: () => {
      const ready = lines.shift()
      if (ready !== undefined) return Promise.resolve(ready)
      return new Promise((resolve, reject) => {
        waiting.push(resolve)
        void exited.then((code) =>
          reject(new Error(`the process exited (${code}) before printing; stderr:\n${stderr}`)),
        )
      })
    },
  }
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
        receiver.child.kill()
        sender?.child.kill()
      }
    },
    30_000,
  )
})
