// Bridge transports over Redis with ioredis: pub/sub (lowest latency, at-most-once) and Streams
// (XADD/XREAD, at-least-once with catch-up). Both buffer outgoing messages, boundedly, while Redis
// is unreachable, and reconnect by themselves.

import { Redis, type RedisOptions } from 'ioredis'
import type { Envelope } from './envelope'
import type { BridgeTransport, TransportLink } from './transport'
// Pure leaves, bundled into this entry (no state): the one validation template of the package.
import { describeValue } from '../shared/describe'
import { assertOptionsObject, invalidArgument } from '../shared/validate'

/**
 * How a Redis transport connects: a `redis://` URL, ioredis options, or an ioredis client to copy
 * (the transport makes its own connections with `client.duplicate()` and never closes yours).
 *
 * @example
 * ```ts
 * import type { RedisConnection } from 'signalry/redis'
 *
 * const byUrl: RedisConnection = 'redis://127.0.0.1:6379'
 * const byOptions: RedisConnection = { host: '127.0.0.1', port: 6379 }
 * console.log(typeof byUrl, typeof byOptions) // Prints: string object
 * ```
 */
export type RedisConnection = string | RedisOptions | Redis

/**
 * The options of {@link redisPubSub}.
 *
 * @example
 * ```ts
 * import type { RedisPubSubOptions } from 'signalry/redis'
 *
 * const options: RedisPubSubOptions = { channel: 'shop:signals', maxBuffered: 50_000 }
 * console.log(options.channel) // Prints: shop:signals
 * ```
 */
export interface RedisPubSubOptions {
  /** The Redis channel; every node of one application uses the same. Default `'signalry'`. */
  channel?: string
  /** Most outgoing messages held while Redis is unreachable; more are reported as `'buffer-overflow'`. Default 10 000. */
  maxBuffered?: number
  /** How long `close()` waits for buffered messages to be written, in milliseconds. Default 2 000. */
  closeTimeoutMs?: number
}

/**
 * The options of {@link redisStreams}.
 *
 * @example
 * ```ts
 * import type { RedisStreamsOptions } from 'signalry/redis'
 *
 * const options: RedisStreamsOptions = { stream: 'shop:signals', maxLength: 1_000_000, from: 'latest' }
 * console.log(options.maxLength) // Prints: 1000000
 * ```
 */
export interface RedisStreamsOptions {
  /** The stream key; every node of one application uses the same. Default `'signalry'`. */
  stream?: string
  /** Approximate retention: `XADD ... MAXLEN ~ maxLength`. Default 100 000 entries. */
  maxLength?: number
  /** Where a new node starts reading: `'latest'` (only what is added after it opened) or `'beginning'`. Default `'latest'`. */
  from?: 'latest' | 'beginning'
  /** Most outgoing messages held while Redis is unreachable; more are reported as `'buffer-overflow'`. Default 10 000. */
  maxBuffered?: number
  /** Entries read per `XREAD`. Default 500. */
  batchSize?: number
  /** How long one `XREAD BLOCK` waits, in milliseconds. Default 2 000. */
  blockMs?: number
  /** How long `close()` waits for buffered messages to be written, in milliseconds. Default 2 000. */
  closeTimeoutMs?: number
}

/** Most messages written in one round trip. */
const MAX_BATCH = 2048

/**
 * Outgoing messages, written in order by one batch at a time. While Redis is down, the batch in
 * flight waits inside ioredis (which retries it after reconnecting) and new messages wait here; the
 * total is bounded.
 */
class OutgoingQueue {
  readonly #messages: string[] = []
  #head = 0
  #inFlight = 0
  #flushing = false
  #drained: Array<() => void> = []

  constructor(
    readonly max: number,
    readonly write: (batch: string[]) => Promise<void>,
    readonly link: () => TransportLink | undefined,
  ) {}

  get size(): number {
    return this.#messages.length - this.#head
  }

  push(message: string): void {
    if (this.size >= this.max) {
      this.link()?.report(
        'buffer-overflow',
        `${this.max} messages are already waiting for Redis (maxBuffered); this one was not published`,
      )
      return
    }
    this.#messages.push(message)
    if (!this.#flushing) {
      this.#flushing = true
      queueMicrotask(() => void this.#flush())
    }
  }

  async #flush(): Promise<void> {
    while (this.size > 0) {
      const batch = this.#messages.slice(this.#head, this.#head + MAX_BATCH)
      this.#inFlight = batch.length
      try {
        await this.write(batch)
      } catch (error) {
        // Only errors Redis answered (not connection loss: ioredis retries those) get here.
        this.link()?.report('publish-failed', `Redis refused ${batch.length} message(s): ${String((error as Error)?.message ?? error)}`, error)
      }
      this.#head += batch.length
      this.#inFlight = 0
      if (this.#head > 4096 && this.#head * 2 > this.#messages.length) {
        this.#messages.splice(0, this.#head)
        this.#head = 0
      }
    }
    this.#flushing = false
    for (const resolve of this.#drained.splice(0)) resolve()
  }

  /** Resolves when everything pushed so far is written, or after `timeoutMs`; returns how many were left. */
  async drain(timeoutMs: number): Promise<number> {
    if (this.size === 0 && !this.#flushing) return 0
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([
      new Promise<void>((resolve) => this.#drained.push(resolve)),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs)
      }),
    ])
    clearTimeout(timer)
    return this.size
  }

  get inFlight(): number {
    return this.#inFlight
  }
}

function connect(connection: RedisConnection, role: string): Redis {
  const common: RedisOptions = {
    // Retry commands across reconnects without limit: the transport bounds what waits itself.
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(50 * times, 1000),
    connectionName: `signalry-${role}`,
    lazyConnect: false,
  }
  if (connection instanceof Redis) return connection.duplicate(common)
  if (typeof connection === 'string') return new Redis(connection, common)
  if (typeof connection === 'object' && connection !== null) return new Redis({ ...connection, ...common })
  throw new TypeError(`expected a redis:// URL, ioredis options or an ioredis client as connection, got ${describeValue(connection)}`)
}

/** Reports each outage once: the first error after the connection was ready. */
function watchErrors(client: Redis, role: string, link: () => TransportLink | undefined): void {
  let reported = false
  client.on('ready', () => {
    reported = false
  })
  client.on('error', (error: Error) => {
    if (reported) return
    reported = true
    link()?.report('transport-error', `the Redis ${role} connection failed: ${error.message}; reconnecting`, error)
  })
}

function assertName(method: string, option: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw invalidArgument(method, `a non-empty string as option "${option}"`, value)
  }
  return value
}

function positive(method: string, option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw invalidArgument(method, `a positive integer as option "${option}"`, value)
  }
  return value
}

async function closeClient(client: Redis): Promise<void> {
  try {
    if (client.status === 'ready') await client.quit()
  } catch {
    // Closing anyway.
  }
  client.disconnect()
}

/**
 * A bridge transport over Redis pub/sub (`PUBLISH` / `SUBSCRIBE` on one channel): the lowest latency,
 * at-most-once.
 *
 * @remarks
 * Redis does not keep published messages: a node that is not subscribed when a message is published
 * (not started yet, restarting, or disconnected while Redis or the network is down) never gets it,
 * and nothing reports the loss. Use {@link redisStreams} when every send must arrive. While this
 * node cannot reach Redis, its own outgoing messages wait in a buffer of `maxBuffered` (overflow is
 * reported as `'buffer-overflow'`) and are published after it reconnects; it re-subscribes by itself.
 * Uses two connections (one publishes, one subscribes).
 *
 * @param connection - A `redis://` URL, ioredis options or an ioredis client (duplicated).
 * @param options - See {@link RedisPubSubOptions}.
 * @returns A transport for `bridge()` (from `signalry/bridge`).
 * @throws TypeError for a bad connection or option.
 *
 * @example
 * ```ts
 * import { redisPubSub } from 'signalry/redis'
 *
 * // bridge(defaultNamespace, redisPubSub('redis://127.0.0.1:6379', { channel: 'shop' }))
 * const transport = redisPubSub({ host: '127.0.0.1', port: 6379, lazyConnect: true }, { channel: 'shop' })
 * console.log(transport.messages) // Prints: text
 * ```
 */
export function redisPubSub(connection: RedisConnection, options: RedisPubSubOptions = {}): BridgeTransport {
  const method = 'redisPubSub'
  assertOptionsObject(method, options, ['channel', 'maxBuffered', 'closeTimeoutMs'])
  const channel = assertName(method, 'channel', options.channel ?? 'signalry')
  const maxBuffered = positive(method, 'maxBuffered', options.maxBuffered, 10_000)
  const closeTimeoutMs = positive(method, 'closeTimeoutMs', options.closeTimeoutMs, 2_000)
  checkConnection(method, connection)
  let link: TransportLink | undefined
  let publisher: Redis | undefined
  let subscriber: Redis | undefined
  const queue = new OutgoingQueue(
    maxBuffered,
    async (batch) => {
      const pipeline = (publisher as Redis).pipeline()
      for (const message of batch) pipeline.publish(channel, message)
      const results = await pipeline.exec()
      const failed = results?.find(([error]) => error !== null)
      if (failed) throw failed[0]
    },
    () => link,
  )
  return {
    messages: 'text',
    async open(opened: TransportLink): Promise<void> {
      if (link !== undefined) throw new Error('this redisPubSub() transport is already open; make one transport per bridge')
      link = opened
      publisher = connect(connection, 'publisher')
      subscriber = connect(connection, 'subscriber')
      watchErrors(publisher, 'publisher', () => link)
      watchErrors(subscriber, 'subscriber', () => link)
      subscriber.on('message', (from: string, message: string) => {
        if (from === channel) opened.receive(message)
      })
      await subscriber.subscribe(channel)
    },
    publish(message: string | Envelope): void {
      if (publisher === undefined) throw new Error('the transport is not open')
      queue.push(message as string)
    },
    async close(): Promise<void> {
      if (publisher === undefined || subscriber === undefined) return
      const left = await queue.drain(closeTimeoutMs)
      if (left > 0) link?.report('publish-failed', `${left} message(s) were still waiting for Redis when the bridge closed; they were not published`)
      await Promise.all([closeClient(subscriber), closeClient(publisher)])
    },
  }
}

/**
 * A bridge transport over a Redis Stream (`XADD` / `XREAD`): at-least-once on the wire, exactly once
 * per local receiver.
 *
 * @remarks
 * - Each send is appended with `XADD <stream> MAXLEN ~ <maxLength> * m <message>` (bounded retention).
 * - Each node reads with `XREAD BLOCK` from the last entry id it has seen; after a reconnect (of the
 *   node, or of Redis) it catches up from there, so nothing added in between is missed — as long as
 *   it is still retained by `maxLength` and Redis persisted it (run Redis with `appendonly yes` for
 *   restarts).
 * - An `XADD` whose reply was lost to a disconnect is retried, which can store it twice; the bridge
 *   drops the repeat by its envelope id, so each receiver runs once per send, in order per sender.
 * - While Redis is unreachable, outgoing messages wait in a buffer of `maxBuffered` (overflow is
 *   reported as `'buffer-overflow'`) and are appended in order after reconnecting.
 * - Stream entries that are not one field `m` are dropped and reported (`'not-an-envelope'`).
 *
 * Uses two connections (one writes, one blocks reading).
 *
 * @param connection - A `redis://` URL, ioredis options or an ioredis client (duplicated).
 * @param options - See {@link RedisStreamsOptions}.
 * @returns A transport for `bridge()` (from `signalry/bridge`).
 * @throws TypeError for a bad connection or option.
 *
 * @example
 * ```ts
 * import { redisStreams } from 'signalry/redis'
 *
 * // bridge(defaultNamespace, redisStreams('redis://127.0.0.1:6379', { stream: 'shop' }))
 * const transport = redisStreams({ host: '127.0.0.1', port: 6379, lazyConnect: true }, { stream: 'shop', maxLength: 10_000 })
 * console.log(transport.messages) // Prints: text
 * ```
 */
export function redisStreams(connection: RedisConnection, options: RedisStreamsOptions = {}): BridgeTransport {
  const method = 'redisStreams'
  assertOptionsObject(method, options, ['stream', 'maxLength', 'from', 'maxBuffered', 'batchSize', 'blockMs', 'closeTimeoutMs'])
  const stream = assertName(method, 'stream', options.stream ?? 'signalry')
  const maxLength = positive(method, 'maxLength', options.maxLength, 100_000)
  const maxBuffered = positive(method, 'maxBuffered', options.maxBuffered, 10_000)
  const batchSize = positive(method, 'batchSize', options.batchSize, 500)
  const blockMs = positive(method, 'blockMs', options.blockMs, 2_000)
  const closeTimeoutMs = positive(method, 'closeTimeoutMs', options.closeTimeoutMs, 2_000)
  const from = options.from ?? 'latest'
  if (from !== 'latest' && from !== 'beginning') {
    throw invalidArgument(method, `'latest' or 'beginning' as option "from"`, from)
  }
  checkConnection(method, connection)
  let link: TransportLink | undefined
  let writer: Redis | undefined
  let reader: Redis | undefined
  let closing = false
  let reading: Promise<void> | undefined
  const queue = new OutgoingQueue(
    maxBuffered,
    async (batch) => {
      const pipeline = (writer as Redis).pipeline()
      for (const message of batch) pipeline.xadd(stream, 'MAXLEN', '~', maxLength, '*', 'm', message)
      const results = await pipeline.exec()
      const failed = results?.find(([error]) => error !== null)
      if (failed) throw failed[0]
    },
    () => link,
  )

  async function readLoop(client: Redis, opened: TransportLink, startId: string): Promise<void> {
    let lastId = startId
    while (!closing) {
      let result: Array<[string, Array<[string, string[]]>]> | null
      try {
        result = (await client.xread('COUNT', batchSize, 'BLOCK', blockMs, 'STREAMS', stream, lastId)) as typeof result
      } catch (error) {
        if (closing) return
        opened.report('transport-error', `XREAD on stream "${stream}" failed: ${(error as Error).message}; retrying`, error)
        await new Promise((resolve) => setTimeout(resolve, 200))
        continue
      }
      if (result === null) continue
      for (const [, entries] of result) {
        for (const [id, fields] of entries) {
          lastId = id
          if (closing) return
          if (fields.length === 2 && fields[0] === 'm') opened.receive(fields[1])
          else opened.report('not-an-envelope', `stream entry ${id} has fields ${JSON.stringify(fields.filter((_, i) => i % 2 === 0).slice(0, 10))}, expected only "m"`)
        }
      }
    }
  }

  return {
    messages: 'text',
    async open(opened: TransportLink): Promise<void> {
      if (link !== undefined) throw new Error('this redisStreams() transport is already open; make one transport per bridge')
      link = opened
      writer = connect(connection, 'stream-writer')
      reader = connect(connection, 'stream-reader')
      watchErrors(writer, 'stream writer', () => link)
      watchErrors(reader, 'stream reader', () => link)
      let startId = '0-0'
      if (from === 'latest') {
        const last = (await reader.xrevrange(stream, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>
        startId = last[0]?.[0] ?? '0-0'
      }
      reading = readLoop(reader, opened, startId)
    },
    publish(message: string | Envelope): void {
      if (writer === undefined) throw new Error('the transport is not open')
      queue.push(message as string)
    },
    async close(): Promise<void> {
      if (writer === undefined || reader === undefined) return
      const left = await queue.drain(closeTimeoutMs)
      if (left > 0) link?.report('publish-failed', `${left} message(s) were still waiting for Redis when the bridge closed; they were not appended`)
      closing = true
      reader.disconnect()
      await reading
      await closeClient(writer)
    },
  }
}

function checkConnection(method: string, connection: unknown): void {
  if (typeof connection === 'string') {
    if (!/^rediss?:\/\//.test(connection)) throw invalidArgument(method, 'a redis:// or rediss:// URL as connection', connection)
    return
  }
  if (typeof connection !== 'object' || connection === null) {
    throw invalidArgument(method, 'a redis:// URL, ioredis options or an ioredis client as connection', connection)
  }
}
