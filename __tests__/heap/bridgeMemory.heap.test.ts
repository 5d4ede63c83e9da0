// A published message leaves the sender's memory as soon as Redis has it (issue 15, observed
// defect 6): after a burst of 4 000 sends of 20 kB, once Redis holds them all, the heap is back
// within 5 MB of where it was before the burst — with the bridge still open.
import { Redis } from 'ioredis'
import { Namespace } from 'signalry'
import { bridge } from 'signalry/bridge'
import { redisPubSub, redisStreams } from 'signalry/redis'
import { collectGarbage, collectGarbageNow } from '../helpers/garbageCollection'
import { startRedis } from '../helpers/redisServer'
import { describeWith } from '../helpers/services'

describeWith('redis-server', 'with a real redis-server', () => {
  // body not indented: one block around the whole file

  const BURST = 4_000
  const PAYLOAD = 'x'.repeat(20_000)
  const WARM_UP = 20

  async function heapAfterCollection(): Promise<number> {
    await collectGarbage()
    collectGarbageNow()
    return process.memoryUsage().heapUsed
  }

  async function until(
    check: () => boolean | Promise<boolean>,
    what: () => string | Promise<string>,
    ms = 30_000,
  ): Promise<void> {
    const deadline = Date.now() + ms
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${await what()}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  test.each(['Streams', 'pub/sub'] as const)(
    'over Redis %s, a burst of 4 000 sends of 20 kB is released once Redis has it (heap back within 5 MB)',
    async (mode) => {
      const redis = await startRedis()
      const raw = new Redis(redis.url)
      const listener = new Redis(redis.url)
      let link: ReturnType<typeof bridge> | undefined
      try {
        // 4 000 × 20 kB is 80 MB for each subscriber (this test's listener and the bridge's own
        // reader). Redis cuts a pub/sub client whose output buffer stays above 8 MB for 60 s or
        // reaches 32 MB, which a loaded machine reaches; this test is about the sender's memory,
        // so the subscribers get no limit.
        await raw.config('SET', 'client-output-buffer-limit', 'pubsub 0 0 0')
        let heard = 0
        listener.on('message', () => heard++)
        await listener.subscribe('memory')
        const ns = new Namespace()
        const transport =
          mode === 'Streams'
            ? redisStreams(redis.url, { stream: 'memory', maxLength: 10_000 })
            : redisPubSub(redis.url, { channel: 'memory' })
        link = bridge(ns, transport, { nodeId: 'heavy' })
        await link.ready
        const big = ns.signal<string>('big')
        const stored = () =>
          mode === 'Streams' ? raw.xlen('memory').then((length) => length) : Promise.resolve(heard)
        // Warm up every path once, so that the baseline holds the code and pools it allocates.
        for (let i = 0; i < WARM_UP; i++) big.send(undefined, PAYLOAD)
        await until(
          async () => (await stored()) >= WARM_UP,
          async () => `the warm-up (has ${await stored()})`,
        )
        const before = await heapAfterCollection()
        for (let i = 0; i < BURST; i++) big.send(undefined, PAYLOAD)
        await until(
          async () => (await stored()) >= WARM_UP + BURST,
          async () => `Redis to hold the burst (has ${await stored()})`,
        )
        // The Streams reader reads the node's own messages back (and drops them as echoes): let it finish.
        if (mode === 'Streams') {
          const open = link
          await until(
            () => open.stats.echoes >= WARM_UP + BURST,
            () => `the echoes (has ${open.stats.echoes})`,
          )
        }
        const after = await heapAfterCollection()
        expect(link.stats.published).toBe(WARM_UP + BURST)
        expect((after - before) / 2 ** 20).toBeLessThan(5)
      } finally {
        // Closed whatever happened: an open bridge keeps reconnecting to the stopped server and
        // keeps jest from exiting.
        await link?.close()
        raw.disconnect()
        listener.disconnect()
        await redis.stop()
      }
    },
    60_000,
  )
})
