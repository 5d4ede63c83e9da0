// Two separate Node processes share named signals through a real Redis, over pub/sub and over
// Streams: sends arrive in order with their senders mapped, a sender-filtered receiver in the other
// process fires only for its sender, local-only sends stay local, and replies flow back.
import { join } from 'node:path'
import { type NodeProcess, runFixture } from '../helpers/nodeProcess'
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

  function run(...args: string[]): NodeProcess {
    return runFixture(fixture, args, root)
  }

  test.each([
    ['pub/sub', 'pubsub'],
    ['Streams', 'streams'],
  ])(
    'two processes exchange sends over Redis %s; a sender-filtered receiver fires only for its sender',
    async (_name, mode) => {
      const key = `two-processes-${mode}`
      const receiver = run('receiver', mode, redis.url, key, String(COUNT))
      let sender: NodeProcess | undefined
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
        receiver.process.kill()
        sender?.process.kill()
      }
    },
    40_000,
  )
})
