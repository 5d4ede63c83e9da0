// Bridge benchmark: throughput and one-way latency of signalry/bridge over Redis, against ioredis's
// own publish→subscribe (and XADD→XREAD) in the same run, on a redis-server this script starts.
// Run from the repository root: node --import tsx bench/bridge.ts   (npm run bench:bridge)
// Writes its table into bench/RESULTS.md between <!-- bridge:start --> and <!-- bridge:end -->.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { Namespace } from 'signalry'
import { bridge, type BridgeTransport } from 'signalry/bridge'
import { redisPubSub, redisStreams } from 'signalry/redis'
import { startRedis } from '../__tests__/helpers/redisServer'

const THROUGHPUT_MESSAGES = Number(process.env['BENCH_MESSAGES'] ?? 20_000)
const LATENCY_SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 2_000)
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3)
// The throughput run pushes every message at once; the bridge's outgoing buffer (default 10 000) must
// hold the backlog, as ioredis's own command queue (unbounded) does for the raw client.
const BUFFER = THROUGHPUT_MESSAGES + 1000

interface Order {
  id: number
  user: string
  total: number
  sentAt: number
}
const order = (id: number): Order => ({ id, user: 'ada', total: 12.5, sentAt: performance.now() })

/** One way of moving orders between two nodes in this process. */
interface Pipe {
  send(order: Order): void
  onReceive(handler: (order: Order) => void): void
  close(): Promise<void>
}

async function rawPubSub(url: string, channel: string): Promise<Pipe> {
  const publisher = new Redis(url)
  const subscriber = new Redis(url)
  let handler: (order: Order) => void = () => {}
  subscriber.on('message', (_channel: string, message: string) => handler(JSON.parse(message) as Order))
  await subscriber.subscribe(channel)
  return {
    send: (o) => void publisher.publish(channel, JSON.stringify(o)),
    onReceive: (h) => (handler = h),
    close: async () => {
      publisher.disconnect()
      subscriber.disconnect()
    },
  }
}

async function rawStreams(url: string, stream: string): Promise<Pipe> {
  const writer = new Redis(url)
  const reader = new Redis(url)
  let handler: (order: Order) => void = () => {}
  let closing = false
  let lastId = '$'
  const loop = (async () => {
    while (!closing) {
      const result = (await reader
        .xread('COUNT', 500, 'BLOCK', 1000, 'STREAMS', stream, lastId)
        .catch(() => null)) as Array<[string, Array<[string, string[]]>]> | null
      for (const [, entries] of result ?? []) {
        for (const [id, fields] of entries) {
          lastId = id
          handler(JSON.parse(fields[1] as string) as Order)
        }
      }
    }
  })()
  await new Promise((resolve) => setTimeout(resolve, 50)) // let the first XREAD block
  return {
    send: (o) => void writer.xadd(stream, 'MAXLEN', '~', 100_000, '*', 'm', JSON.stringify(o)),
    onReceive: (h) => (handler = h),
    close: async () => {
      closing = true
      reader.disconnect()
      await loop
      writer.disconnect()
    },
  }
}

async function bridged(transport: () => BridgeTransport): Promise<Pipe> {
  const here = new Namespace()
  const there = new Namespace()
  const a = bridge(here, transport(), { nodeId: 'bench-a' })
  const b = bridge(there, transport(), { nodeId: 'bench-b' })
  await Promise.all([a.ready, b.ready])
  const placed = here.signal<Order>('order.placed')
  let handler: (order: Order) => void = () => {}
  there.signal<Order>('order.placed').connect((_, o) => handler(o))
  return {
    send: (o) => void placed.emit(undefined, o),
    onReceive: (h) => (handler = h),
    close: async () => {
      await Promise.all([a.close(), b.close()])
    },
  }
}

/** Messages per second: send `count` orders as fast as possible, until the last is received. */
async function throughput(pipe: Pipe, count: number): Promise<number> {
  let received = 0
  const done = new Promise<void>((resolve) =>
    pipe.onReceive(() => {
      if (++received === count) resolve()
    }),
  )
  const start = performance.now()
  for (let i = 0; i < count; i++) {
    pipe.send(order(i))
    if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve))
  }
  await done
  return count / ((performance.now() - start) / 1000)
}

/** One-way latency in microseconds of `samples` orders sent one at a time. */
async function latency(pipe: Pipe, samples: number): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < samples; i++) {
    const arrived = new Promise<number>((resolve) =>
      pipe.onReceive((o) => resolve(performance.now() - o.sentAt)),
    )
    pipe.send(order(i))
    times.push((await arrived) * 1000)
  }
  return times.sort((x, y) => x - y)
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN
const median = (values: number[]): number =>
  [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? NaN

interface Row {
  name: string
  throughput: number
  p50: number
  p99: number
}

async function measure(name: string, make: () => Promise<Pipe>): Promise<Row> {
  process.stderr.write(`measuring ${name}\n`)
  const rates: number[] = []
  const p50s: number[] = []
  const p99s: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const pipe = await make()
    await throughput(pipe, 1000) // warm-up
    rates.push(await throughput(pipe, THROUGHPUT_MESSAGES))
    const times = await latency(pipe, LATENCY_SAMPLES)
    p50s.push(percentile(times, 50))
    p99s.push(percentile(times, 99))
    await pipe.close()
  }
  return { name, throughput: median(rates), p50: median(p50s), p99: median(p99s) }
}

const redis = await startRedis()
let rows: Row[]
try {
  const url = redis.url
  let n = 0
  const key = (kind: string) => `bench-${kind}-${n++}`
  // Interleave raw and bridged measurements so that machine noise hits both alike.
  const rawPub = await measure('ioredis publish → subscribe (raw)', () => rawPubSub(url, key('raw-pub')))
  const bridgePub = await measure('signalry/bridge over redisPubSub', () => {
    const channel = key('bridge-pub')
    return bridged(() => redisPubSub(url, { channel, maxBuffered: BUFFER }))
  })
  const rawStream = await measure('ioredis XADD → XREAD BLOCK (raw)', () =>
    rawStreams(url, key('raw-stream')),
  )
  // Nodes with a stable nodeId (as here) read through their own consumer group (XREADGROUP + XACK),
  // which is what makes them durable across a restart; `durable: false` reads with XREAD as the raw
  // client does.
  const bridgeStream = await measure('signalry/bridge over redisStreams (consumer group)', () => {
    const stream = key('bridge-stream')
    return bridged(() => redisStreams(url, { stream, maxBuffered: BUFFER }))
  })
  const bridgeStreamXread = await measure('signalry/bridge over redisStreams (durable: false)', () => {
    const stream = key('bridge-stream-xread')
    return bridged(() => redisStreams(url, { stream, maxBuffered: BUFFER, durable: false }))
  })
  rows = [rawPub, bridgePub, rawStream, bridgeStream, bridgeStreamXread]
} finally {
  await redis.stop()
}

const [rawPub, bridgePub, rawStream, bridgeStream, bridgeStreamXread] = rows as [Row, Row, Row, Row, Row]
const ratio = (a: Row, b: Row) => (a.throughput / b.throughput).toFixed(2)
const fmt = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits })
const table = [
  '| transport | messages/s | × raw | p50 latency (µs) | p99 latency (µs) |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...[
    [rawPub, rawPub],
    [bridgePub, rawPub],
    [rawStream, rawStream],
    [bridgeStream, rawStream],
    [bridgeStreamXread, rawStream],
  ].map(
    ([row, raw]) =>
      `| ${row!.name} | ${fmt(row!.throughput)} | ${ratio(row!, raw!)} | ${fmt(row!.p50)} | ${fmt(row!.p99)} |`,
  ),
].join('\n')

const redisVersion = (() => {
  try {
    const version = /v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1]
    return `redis-server ${version ?? ''}`.trim()
  } catch {
    return 'redis-server'
  }
})()
const now = new Date().toISOString().slice(0, 16).replace('T', ' ')
const section = `<!-- bridge:start -->
## Bridge: signalry/bridge over Redis against the raw ioredis client

Written by \`npm run bench:bridge\` (bench/bridge.ts) on ${now} UTC.

- Machine: ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; Node ${process.version}
- ${redisVersion} started by the benchmark on 127.0.0.1 (no persistence); ioredis ${ioredisVersion()}; both nodes in one process.
- Throughput: ${fmt(THROUGHPUT_MESSAGES)} messages sent as fast as possible, timed until the last one is received
  (median of ${ROUNDS} rounds). Latency: ${fmt(LATENCY_SAMPLES)} messages sent one at a time, send → remote receiver
  (one-way, same clock; median of the rounds' p50 and p99).
- The bridge's \`maxBuffered\` is raised to hold the whole burst (ioredis's own queue for the raw client is unbounded).
- Raw: the client publishes \`JSON.stringify(order)\` and the subscriber \`JSON.parse\`s it. Bridge: \`emit\` on a
  bridged named signal, received by a receiver of the same signal in another namespace (envelope, validation,
  duplicate check, re-send included). "× raw" is throughput relative to the raw client on the same transport.
  Figures are noisy on a shared machine: compare within this run.

${table}
<!-- bridge:end -->`

const resultsPath = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, 'RESULTS.md')
const existing = existsSync(resultsPath)
  ? readFileSync(resultsPath, 'utf8')
  : '# Benchmark results\n\nWritten by the benchmarks in this folder; each section is replaced by the run that writes it.\n'
const marked = /<!-- bridge:start -->[\s\S]*?<!-- bridge:end -->/
const updated = marked.test(existing)
  ? existing.replace(marked, () => section)
  : `${existing.trimEnd()}\n\n${section}\n`
writeFileSync(resultsPath, updated)

console.log(table)
console.log(
  `\nbridge/raw throughput: pub/sub ${ratio(bridgePub, rawPub)}×, Streams ${ratio(bridgeStream, rawStream)}× ` +
    `(consumer group), ${ratio(bridgeStreamXread, rawStream)}× (durable: false) (target ≥ 0.8×)`,
)
console.log(`written to ${resultsPath}`)

function ioredisVersion(): string {
  try {
    const path = join(process.cwd(), 'node_modules', 'ioredis', 'package.json')
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version
  } catch {
    return '5'
  }
}
