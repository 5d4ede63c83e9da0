// Two separate Node processes share named signals through a real Redis, over pub/sub and over
// Streams: sends arrive in order with their senders mapped, a sender-filtered receiver in the other
// process fires only for its sender, local-only sends stay local, and replies flow back.
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { type RedisServer, startRedis } from '../helpers/redisServer'
import { describeWith } from '../helpers/services'

const root = join(__dirname, '..', '..')
const fixture = join(__dirname, '..', 'fixtures', 'bridgeNode.ts')
const COUNT = 50

describeWith('redis-server', 'with a real redis-server', () => {
  // body not re-indented, so that git sees the move as a rename
  let redis: RedisServer

  beforeAll(async () => {
    redis = await startRedis()
  }, 20_000)

  afterAll(async () => {
    await redis?.stop()
  })

  interface Running {
    readonly child: ChildProcess
    /** Resolves with each stdout line as it comes. */
    line(): Promise<string>
    exited: Promise<number | null>
    stderr(): string
  }

  function run(...args: string[]): Running {
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
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
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
      exited,
      stderr: () => stderr,
    }
  }

  test.each([
    ['pub/sub', 'pubsub'],
    ['Streams', 'streams'],
  ])(
    'two processes exchange sends over Redis %s; a sender-filtered receiver fires only for its sender',
    async (_name, mode) => {
      const key = `two-processes-${mode}`
      const receiver = run('receiver', mode, redis.url, key, String(COUNT))
      let sender: Running | undefined
      try {
        expect(await receiver.line()).toBe('ready')
        sender = run('sender', mode, redis.url, key, String(COUNT))
        const senderResult = JSON.parse(await sender.line()) as {
          confirmations: Array<[string, number]>
          stats: { published: number }
        }
        const receiverResult = JSON.parse(await receiver.line()) as {
          any: Array<[string, number]>
          northOnly: number[]
          stats: { delivered: number; dropped: number }
        }
        const numbers = Array.from({ length: COUNT }, (_, i) => i + 1)
        const shopOf = (n: number) => (n % 2 === 1 ? 'north' : 'south')
        // Every bridged send arrived once, in order, with its sender mapped; no local-only send did.
        expect(receiverResult.any).toEqual(numbers.map((n) => [shopOf(n), n]))
        expect(receiverResult.northOnly).toEqual(numbers.filter((n) => n % 2 === 1))
        expect(receiverResult.stats.dropped).toBe(0)
        // The receiver's confirmations (sent by its receiver, during the bridge's re-send) came back.
        expect(senderResult.confirmations).toEqual(numbers.map((n) => [shopOf(n), n]))
        expect(senderResult.stats.published).toBe(COUNT + 1) // the orders and run.done
        expect(await receiver.exited).toBe(0)
        expect(await sender.exited).toBe(0)
        expect(receiver.stderr() + sender.stderr()).not.toContain('bridge error')
      } finally {
        receiver.child.kill()
        sender?.child.kill()
      }
    },
    40_000,
  )
})
