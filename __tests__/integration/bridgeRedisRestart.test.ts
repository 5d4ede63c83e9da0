// Redis Streams across a crash: redis-server (appendonly yes) is killed with SIGKILL in the middle of
// a stream of sends and started again. Every send is delivered exactly once to the remote receiver,
// in order per sender; sends made while Redis is down wait in a bounded buffer, and what does not
// fit is reported, never dropped silently.
import { Namespace } from 'signalry'
import { type Bridge, bridge, type BridgeError } from 'signalry/bridge'
import { redisStreams } from 'signalry/redis'
import { type RedisServer, startRedis } from '../helpers/redisServer'
import { describeWith } from '../helpers/services'

describeWith('redis-server', 'with a real redis-server', () => {
  // body not re-indented, so that git sees the move as a rename
  let redis: RedisServer
  const links: Bridge[] = []

  beforeAll(async () => {
    redis = await startRedis({ appendOnly: true })
  }, 20_000)

  afterAll(async () => {
    await Promise.all(links.map((link) => link.close()))
    await redis?.stop()
  }, 20_000)

  function open(stream: string, nodeId: string, maxBuffered?: number) {
    const ns = new Namespace()
    const link = bridge(
      ns,
      redisStreams(redis.url, { stream, closeTimeoutMs: 1000, ...(maxBuffered ? { maxBuffered } : {}) }),
      { nodeId },
    )
    links.push(link)
    const errors: BridgeError[] = []
    link.errors.connect((_, error) => errors.push(error))
    return { ns, link, errors }
  }

  async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  test('every one of 1 200 sends is delivered exactly once and in order per sender across a Redis crash and restart', async () => {
    const TOTAL = 1200
    const a = open('restart', 'node-a')
    const b = open('restart', 'node-b')
    await Promise.all([a.link.ready, b.link.ready])
    const received: Array<[string, number]> = []
    b.ns.signal<number>('tick').connect((sender, n) => received.push([sender as string, n]))
    const tick = a.ns.signal<number>('tick')

    let n = 0
    const sendSome = async (count: number) => {
      for (let i = 0; i < count; i++, n++) {
        tick.send(n % 3 === 0 ? 'beta' : 'alpha', n)
        if (i % 25 === 24) await pause(1)
      }
    }
    await sendSome(400)
    await redis.kill() // mid-stream: some XADDs are in flight, some not yet read
    await sendSome(400) // while Redis is down: buffered
    await pause(300)
    await redis.restart()
    await sendSome(TOTAL - 800)

    await until(() => received.length >= TOTAL, `${TOTAL} deliveries (got ${received.length})`)
    await pause(500) // give duplicates, if any, the chance to arrive
    expect(received).toHaveLength(TOTAL)
    for (const sender of ['alpha', 'beta']) {
      const numbers = received.filter(([from]) => from === sender).map(([, value]) => value)
      const expected = Array.from({ length: TOTAL }, (_, i) => i).filter(
        (i) => (i % 3 === 0 ? 'beta' : 'alpha') === sender,
      )
      expect(numbers).toEqual(expected)
    }
    // The outage was reported (once per connection); nothing else went wrong, apart from repeats of
    // writes whose replies the crash lost, dropped by id and reported as duplicates.
    expect(a.errors.filter((error) => error.reason === 'connection-lost')).toHaveLength(2)
    const benign = new Set(['connection-lost', 'duplicate'])
    expect([...a.errors, ...b.errors].filter((error) => !benign.has(error.reason))).toEqual([])
  }, 60_000)

  test('while Redis is down, sends beyond maxBuffered are reported as buffer-overflow; the buffered ones arrive after it is back', async () => {
    const a = open('overflow', 'small-a', 5)
    const b = open('overflow', 'small-b')
    await Promise.all([a.link.ready, b.link.ready])
    const received: number[] = []
    b.ns.signal<number>('job').connect((_, n) => received.push(n))
    await redis.kill()
    await pause(100)
    for (let n = 0; n < 8; n++) a.ns.signal<number>('job').send(undefined, n)
    expect(a.errors.filter((error) => error.reason === 'buffer-overflow')).toHaveLength(3)
    expect(a.errors.find((error) => error.reason === 'buffer-overflow')?.direction).toBe('outgoing')
    await redis.restart()
    await until(() => received.length >= 5, 'the 5 buffered sends')
    await pause(300)
    expect(received).toEqual([0, 1, 2, 3, 4])
  }, 40_000)
})
