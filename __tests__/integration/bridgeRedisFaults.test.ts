// The Redis transports under the faults they exist for (issue 15, observed defects 1, 2, 3 and 9),
// against a real redis-server, through a TCP proxy where the path has to break: a connection cut
// in the middle of a pipelined batch loses nothing, close() is bounded in every state, ready
// rejects when the bridge is closed first, and every lost connection is reported once (pub/sub:
// with the count of what it lost).
import { Redis } from 'ioredis'
import { Namespace } from 'signalry'
import { type Bridge, bridge, type BridgeError, type BridgeTransport } from 'signalry/bridge'
import { redisPubSub, redisStreams } from 'signalry/redis'
import { type RedisServer, startRedis } from '../helpers/redisServer'
import { startTcpProxy, type TcpProxy } from '../helpers/tcpProxy'
import { describeWith } from '../helpers/services'

describeWith('redis-server', 'with a real redis-server and a TCP proxy', () => {
  // body not indented: one block around the whole file

  let redis: RedisServer
  const links: Bridge[] = []
  const proxies: TcpProxy[] = []
  let keys = 0

  beforeAll(async () => {
    redis = await startRedis()
  }, 20_000)

  afterEach(async () => {
    await Promise.all(links.splice(0).map((link) => link.close()))
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()))
  })

  afterAll(async () => {
    await redis?.stop()
  }, 20_000)

  type Mode = 'pub/sub' | 'Streams'
  const modes: Mode[] = ['pub/sub', 'Streams']

  function transport(mode: Mode, url: string, key: string, closeTimeoutMs = 500): BridgeTransport {
    return mode === 'Streams'
      ? redisStreams(url, { stream: key, closeTimeoutMs })
      : redisPubSub(url, { channel: key, closeTimeoutMs })
  }

  function open(mode: Mode, url: string, key: string, nodeId: string, closeTimeoutMs?: number) {
    const ns = new Namespace()
    const link = bridge(ns, transport(mode, url, key, closeTimeoutMs), { nodeId })
    links.push(link)
    const errors: BridgeError[] = []
    link.errors.connect((_, error) => void errors.push(error))
    return { ns, link, errors }
  }

  async function proxy(): Promise<TcpProxy> {
    const started = await startTcpProxy(redis.port)
    proxies.push(started)
    return started
  }

  async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
    const deadline = Date.now() + ms
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  /** How long `promise` takes to settle (either way), in ms; Infinity if not within `limit`. */
  async function settleTime(promise: Promise<unknown>, limit: number): Promise<number> {
    const start = performance.now()
    let timer: ReturnType<typeof setTimeout> | undefined
    const settled = await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), limit)
      }),
    ])
    clearTimeout(timer)
    return settled ? performance.now() - start : Number.POSITIVE_INFINITY
  }

  describe.each(modes)('over Redis %s', (mode) => {
    test.each([
      ['replies', 'to-client'],
      ['commands', 'to-server'],
    ] as const)(
      'no send is lost or reported refused when the connection drops in the middle of a pipelined batch (%s cut)',
      async (_what, direction) => {
        const key = `mid-batch-${keys++}`
        const cutter = await proxy()
        const a = open(mode, cutter.url, key, 'sender')
        const b = open(mode, redis.url, key, 'receiver')
        await Promise.all([a.link.ready, b.link.ready])
        const got: number[] = []
        b.ns.signal<number>('tick').connect((_, n) => void got.push(n))
        // Cut after roughly a tenth of the burst's replies (or commands) went through.
        cutter.cutAfter(
          direction === 'to-client' ? (mode === 'Streams' ? 10 * 22 : 10 * 4) : 10 * 120,
          direction,
        )
        for (let n = 0; n < 100; n++) a.ns.signal<number>('tick').send(undefined, n)
        await until(() => got.length >= 100, `100 deliveries (got ${got.length})`)
        await pause(200) // a duplicate, if any, would arrive now
        expect(got).toEqual(Array.from({ length: 100 }, (_, n) => n))
        expect(a.errors.filter((error) => error.reason === 'publish-failed')).toEqual([])
        expect(a.errors.map((error) => error.reason)).toContain('connection-lost')
      },
      30_000,
    )

    test('close() settles within closeTimeoutMs while Redis is stalled (SIGSTOP), and reports what was waiting', async () => {
      const key = `stalled-${keys++}`
      const a = open(mode, redis.url, key, 'stalled', 400)
      await a.link.ready
      redis.pause()
      try {
        for (let n = 0; n < 10; n++) a.ns.signal<number>('tick').send(undefined, n)
        await pause(50)
        const took = await settleTime(a.link.close(), 5_000)
        expect(took).toBeLessThan(400 + 250)
        const waiting = a.errors.find((error) => error.reason === 'publish-failed')
        expect(waiting?.detail).toMatch(/^10 message\(s\)/)
      } finally {
        redis.resume()
      }
    }, 20_000)

    test('close() settles within closeTimeoutMs while the connection is being re-established', async () => {
      const key = `reconnecting-${keys++}`
      const flaky = await proxy()
      const a = open(mode, flaky.url, key, 'reconnecting', 300)
      await a.link.ready
      flaky.refuse(true)
      flaky.reset()
      await until(
        () => a.errors.some((error) => error.reason === 'connection-lost'),
        'the lost connection report',
      )
      a.ns.signal('tick').send()
      const took = await settleTime(a.link.close(), 5_000)
      expect(took).toBeLessThan(300 + 250)
    }, 20_000)

    test('ready rejects, and close() settles at once, when the bridge is closed before Redis was ever reachable', async () => {
      const nowhere = await proxy()
      nowhere.refuse(true)
      const a = open(mode, nowhere.url, `never-${keys++}`, 'never', 300)
      await pause(100)
      const closing = a.link.close()
      await expect(a.link.ready).rejects.toThrow(/closed before its transport was ready/)
      expect(await settleTime(closing, 5_000)).toBeLessThan(300 + 250)
    }, 20_000)

    test('a connection the server closes and that reconnects at once is reported once as connection-lost', async () => {
      const key = `client-kill-${keys++}`
      const a = open(mode, redis.url, key, 'killed')
      const b = open(mode, redis.url, key, 'peer')
      await Promise.all([a.link.ready, b.link.ready])
      const admin = new Redis(redis.url)
      try {
        const reader = mode === 'Streams' ? 'signalry-stream-reader' : 'signalry-subscriber'
        const list = (await admin.client('LIST')) as string
        const id = list
          .split('\n')
          .find((line) => line.includes(`name=${reader}-killed`))
          ?.match(/id=(\d+)/)?.[1]
        expect(id).toBeDefined()
        await admin.client('KILL', 'ID', id as string)
        await until(() => a.errors.some((error) => error.reason === 'connection-lost'), 'the report')
        // It is back by itself: a send from the peer arrives.
        const got: number[] = []
        a.ns.signal<number>('after').connect((_, n) => void got.push(n))
        await until(() => {
          b.ns.signal<number>('after').send(undefined, 1)
          return got.length > 0
        }, 'a delivery after reconnecting')
        const lost = a.errors.filter((error) => error.reason === 'connection-lost')
        expect(lost).toHaveLength(1)
        expect(lost[0]?.direction).toBe('transport')
        if (mode === 'pub/sub') expect(lost[0]?.detail).toMatch(/may be missing/)
      } finally {
        admin.disconnect()
      }
    }, 20_000)
  })

  test('over pub/sub, messages published while a subscriber was cut off are reported lost with their count', async () => {
    const key = `gap-${keys++}`
    const cut = await proxy()
    const a = open('pub/sub', redis.url, key, 'publisher')
    const b = open('pub/sub', cut.url, key, 'cut-off')
    await Promise.all([a.link.ready, b.link.ready])
    const got: number[] = []
    b.ns.signal<number>('tick').connect((_, n) => void got.push(n))
    const tick = a.ns.signal<number>('tick')
    tick.send(undefined, 0)
    await until(() => got.length === 1, 'the first delivery')
    cut.refuse(true)
    cut.reset()
    for (let n = 1; n <= 20; n++) tick.send(undefined, n)
    await pause(100)
    cut.refuse(false)
    await until(
      () => b.errors.some((error) => error.reason === 'connection-lost'),
      'the lost connection report',
    )
    // Once it is subscribed again, the next message shows the gap (probes sent before that are lost too).
    let probes = 0
    await until(() => {
      probes++
      tick.send(undefined, 99)
      return got.includes(99)
    }, 'a delivery after reconnecting')
    await pause(200)
    const expectedLost = 20 + probes - got.filter((n) => n === 99).length
    const lost = b.errors.filter((error) => error.reason === 'messages-lost')
    expect(lost.reduce((sum, error) => sum + Number(error.detail.match(/^\d+/)?.[0]), 0)).toBe(expectedLost)
    expect(b.link.stats.lost).toBe(expectedLost)
    expect(got[0]).toBe(0)
    expect(got.filter((n) => n !== 0 && n !== 99)).toEqual([])
  }, 20_000)
})
