// Bridge transports over Redis with ioredis: pub/sub (lowest latency, at-most-once, losses counted)
// and Streams (XADD + XREADGROUP/XACK, at-least-once, durable for nodes with a stable id). Both keep
// each outgoing message until Redis confirmed it, re-send what a disconnect left unanswered,
// report every lost connection once, and close in bounded time.

import { randomFillSync } from 'node:crypto'
import { Redis, type RedisOptions } from 'ioredis'
import type { Envelope } from './envelope'
import type { BridgeTransport, TransportLink } from './transport'
// Pure leaves, bundled into this entry (no state): the one validation template of the package.
import { describeValue, messageOf } from '../shared/describe'
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
  /** The longest `close()` takes, in milliseconds: it waits this long for unconfirmed messages. Default 2 000. */
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
  /**
   * Approximate retention, `XADD ... MAXLEN ~ maxLength`: also how far back a node can catch up after
   * a restart or an outage. Default 100 000 entries.
   */
  maxLength?: number
  /**
   * Where a node starts reading the first time: `'latest'` (only what is added after it opened) or
   * `'beginning'`. A durable node (stable `nodeId`) resumes where it stopped afterwards. Default `'latest'`.
   */
  from?: 'latest' | 'beginning'
  /**
   * Whether a node with a stable `nodeId` reads through its own consumer group, acknowledging what
   * it delivered, so that it resumes after a restart. Default `true`; nodes with a random id never do.
   */
  durable?: boolean
  /** Most outgoing messages held while Redis is unreachable; more are reported as `'buffer-overflow'`. Default 10 000. */
  maxBuffered?: number
  /** Entries read per `XREAD` / `XREADGROUP`; also the most a crash can deliver twice. Default 500. */
  batchSize?: number
  /** How long one `XREAD BLOCK` waits, in milliseconds. Default 2 000. */
  blockMs?: number
  /** The longest `close()` takes, in milliseconds: it waits this long for unconfirmed messages. Default 2 000. */
  closeTimeoutMs?: number
}

/** Most messages written in one round trip. */
const MAX_BATCH = 2048

/** How long to wait before retrying when Redis answered but cannot take writes yet (LOADING ...). */
const RETRY_MS = 100

/**
 * Replies that mean "not now" rather than "never": the write is retried. LOADING is what a Redis
 * that restarts with an append-only file answers while it reads it back.
 */
const TRANSIENT_REPLY = /^(LOADING|BUSY|TRYAGAIN|MASTERDOWN|CLUSTERDOWN|READONLY)\b/

/** An error Redis answered (a command it refused), as opposed to a connection that failed. */
function isRefusal(error: unknown): boolean {
  return (
    (error as Error | undefined)?.name === 'ReplyError' && !TRANSIENT_REPLY.test((error as Error).message)
  )
}

/** Resolves after `ms`, or at once when `cancel` is aborted; holds no timer after that. */
function sleep(ms: number, cancel: AbortSignal): Promise<void> {
  if (cancel.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      cancel.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    cancel.addEventListener('abort', done)
  })
}

/** Resolves when `client` is ready (at once if it is), or when `cancel` is aborted. */
function whenReady(client: Redis, cancel: AbortSignal): Promise<void> {
  if (client.status === 'ready' || cancel.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const done = (): void => {
      client.off('ready', done)
      cancel.removeEventListener('abort', done)
      resolve()
    }
    client.on('ready', done)
    cancel.addEventListener('abort', done)
  })
}

/**
 * Outgoing messages, written in order, one pipelined batch at a time, and kept until Redis has
 * confirmed each: a command whose reply was lost to a disconnect (ioredis aborts a pipeline that was
 * cut part-way) is written again after reconnecting — the receivers drop the repeat by id — so
 * nothing is lost and the order per sender holds. A message leaves memory as soon as Redis has it.
 * Only commands Redis itself refused are dropped, and reported with their true count.
 */
class Writer {
  #messages: Array<string | undefined> = []
  #head = 0
  #running = false
  readonly #stop = new AbortController()
  #drained: Array<() => void> = []

  constructor(
    readonly client: Redis,
    readonly max: number,
    readonly append: (pipeline: ReturnType<Redis['pipeline']>, message: string) => void,
    readonly link: TransportLink,
    readonly what: string,
  ) {}

  /** Messages not yet confirmed by Redis (written or not). */
  get size(): number {
    return this.#messages.length - this.#head
  }

  push(message: string): void {
    if (this.size >= this.max) {
      this.link.report(
        'buffer-overflow',
        `${this.max} messages are already waiting for Redis (maxBuffered); this one was not ${this.what}`,
      )
      return
    }
    this.#messages.push(message)
    if (!this.#running && !this.#stop.signal.aborted) {
      this.#running = true
      queueMicrotask(() => void this.#run())
    }
  }

  async #run(): Promise<void> {
    const stop = this.#stop.signal
    while (this.size > 0 && !stop.aborted) {
      const count = Math.min(this.size, MAX_BATCH)
      const pipeline = this.client.pipeline()
      for (let i = 0; i < count; i++) this.append(pipeline, this.#messages[this.#head + i] as string)
      let results: Array<[Error | null, unknown]> | null = null
      try {
        results = await pipeline.exec()
      } catch {
        // The whole pipeline failed (closed connection): nothing is confirmed, all is written again.
      }
      if (stop.aborted) break
      let done = 0
      let refused = 0
      let refusal: unknown
      for (; done < count; done++) {
        const error = results?.[done]?.[0] ?? (results === null ? new Error('no reply') : null)
        if (error === null) continue
        if (!isRefusal(error)) break // no answer (connection lost) or "not now": written again
        refused++
        refusal ??= error
      }
      for (let i = 0; i < done; i++) this.#messages[this.#head + i] = undefined
      this.#head += done
      this.#compact()
      if (refused > 0) {
        this.link.report(
          'publish-failed',
          `Redis refused ${refused} message(s): ${messageOf(refusal)}`,
          refusal,
        )
      }
      if (done < count) {
        // Wait for the connection to come back (or, when it is up, a moment: Redis said "not now").
        if (this.client.status === 'ready') await sleep(RETRY_MS, stop)
        else await whenReady(this.client, stop)
      }
    }
    this.#running = false
    if (this.size === 0 || stop.aborted) for (const resolve of this.#drained.splice(0)) resolve()
  }

  #compact(): void {
    if (this.#head === this.#messages.length) {
      this.#messages = []
      this.#head = 0
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#messages.length) {
      this.#messages.splice(0, this.#head)
      this.#head = 0
    }
  }

  /** Resolves when every message pushed so far is confirmed, or when stopped. */
  drained(): Promise<void> {
    if (this.size === 0 || this.#stop.signal.aborted) return Promise.resolve()
    return new Promise((resolve) => this.#drained.push(resolve))
  }

  /** Stops writing; returns how many messages were not confirmed (and releases them). */
  stop(): number {
    const left = this.size
    this.#stop.abort()
    this.#messages = []
    this.#head = 0
    for (const resolve of this.#drained.splice(0)) resolve()
    return left
  }
}

function connect(connection: RedisConnection, role: string, nodeId: string): Redis {
  const common: RedisOptions = {
    // Retry commands across reconnects without limit: the transport bounds what waits itself.
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(50 * times, 1000),
    // Client names may not hold spaces; this one shows in CLIENT LIST, to tell the connections apart.
    connectionName: `signalry-${role}-${nodeId.replace(/[^\w.:-]/g, '_').slice(0, 64)}`,
    lazyConnect: false,
    // After disconnect(), a socket the peer does not close (a frozen server) is destroyed this soon.
    disconnectTimeout: 100,
  }
  if (connection instanceof Redis) return connection.duplicate(common)
  if (typeof connection === 'string') return new Redis(connection, common)
  if (typeof connection === 'object' && connection !== null) return new Redis({ ...connection, ...common })
  throw new TypeError(
    `expected a redis:// URL, ioredis options or an ioredis client as connection, got ${describeValue(connection)}`,
  )
}

/**
 * Reports each outage of a connection once: `'connection-lost'` when a ready connection closed
 * (an error, the server closing it, a failover), `'transport-error'` when it could not connect at all.
 */
function watchConnection(
  client: Redis,
  role: string,
  link: TransportLink,
  closing: AbortSignal,
  gap: string,
): void {
  let wasReady = false
  let reported = false
  const lost = (error?: Error): void => {
    if (closing.aborted || reported) return
    reported = true
    if (wasReady) {
      const why = error === undefined ? 'closed' : `failed (${error.message})`
      link.report('connection-lost', `the Redis ${role} connection ${why}; reconnecting${gap}`, error)
    } else {
      link.report(
        'transport-error',
        `the Redis ${role} connection failed: ${error?.message ?? 'closed'}; retrying`,
        error,
      )
    }
  }
  client.on('ready', () => {
    wasReady = true
    reported = false
  })
  client.on('error', (error: Error) => lost(error))
  client.on('close', () => {
    if (wasReady) lost()
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

/** Waits for `work`, but no later than `deadline` (a `performance.now()` time). */
async function until(work: Promise<unknown>, deadline: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  await Promise.race([
    work.then(
      () => {},
      () => {},
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - performance.now()))
    }),
  ])
  clearTimeout(timer)
}

function reportLeft(link: TransportLink, left: number, what: string): void {
  if (left === 0) return
  link.report(
    'publish-failed',
    `${left} message(s) were not confirmed by Redis when the bridge closed (closeTimeoutMs); they may not have been ${what}`,
  )
}

/**
 * A bridge transport over Redis pub/sub (`PUBLISH` / `SUBSCRIBE` on one channel): the lowest latency,
 * at-most-once, with every loss it can see reported.
 *
 * @remarks
 * - Redis does not keep published messages: a node that is not subscribed when a message is
 *   published (not started yet, restarting, or disconnected) never gets it. Each lost subscriber
 *   connection is reported once (`'connection-lost'`: messages published until it is back may be
 *   missing); once it is back, the next message of each other node shows how many of that node's
 *   messages never arrived, reported as `'messages-lost'` with the count. Use {@link redisStreams}
 *   when every send must arrive.
 * - Outgoing: each `PUBLISH` is kept until Redis confirmed it; one whose reply was lost to a
 *   disconnect is published again after reconnecting (receivers drop the repeat by id), so this
 *   node's own sends are not lost while Redis is down, in order. They wait in a buffer of
 *   `maxBuffered` (overflow is reported as `'buffer-overflow'`).
 * - `close()` settles within `closeTimeoutMs` (plus a few milliseconds) whatever the connection's
 *   state — up, reconnecting, frozen or never reached — reports the messages Redis had not confirmed
 *   by then, and releases both connections.
 *
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
  let writer: Writer | undefined
  const closing = new AbortController()
  return {
    messages: 'text',
    randomBytes,
    async open(opened: TransportLink): Promise<void> {
      if (link !== undefined)
        throw new Error('this redisPubSub() transport is already open; make one transport per bridge')
      link = opened
      publisher = connect(connection, 'publisher', opened.nodeId)
      subscriber = connect(connection, 'subscriber', opened.nodeId)
      writer = new Writer(
        publisher,
        maxBuffered,
        (pipeline, message) => pipeline.publish(channel, message),
        opened,
        'published',
      )
      watchConnection(publisher, 'publisher', opened, closing.signal, '')
      watchConnection(
        subscriber,
        'subscriber',
        opened,
        closing.signal,
        '; messages published until it is back may be missing (the count is reported when later ones arrive)',
      )
      subscriber.on('message', (from: string, message: string) => {
        if (from === channel && !closing.signal.aborted) opened.receive(message)
      })
      await subscriber.subscribe(channel)
    },
    publish(message: string | Envelope): void {
      if (writer === undefined) throw new Error('the transport is not open')
      if (closing.signal.aborted) throw new Error('the transport is closed')
      writer.push(message as string)
    },
    async close(): Promise<void> {
      if (link === undefined || closing.signal.aborted) return
      const deadline = performance.now() + closeTimeoutMs
      closing.abort()
      subscriber?.disconnect()
      await until((writer as Writer).drained(), deadline)
      const left = (writer as Writer).stop()
      publisher?.disconnect()
      reportLeft(link, left, 'published')
    },
  }
}

/**
 * A bridge transport over a Redis Stream: at-least-once, once per local receiver, in order per
 * sender; durable across a node's restart when the node has a stable `nodeId`.
 *
 * @remarks
 * - **Writing.** Each send is appended with `XADD <stream> MAXLEN ~ <maxLength> * m <message>`
 *   (bounded retention) and kept until Redis confirmed it. An `XADD` whose reply was lost to a
 *   disconnect is appended again after reconnecting, which can store it twice; receivers drop the
 *   repeat by envelope id, so each receiver runs once per send, in order per sender. While Redis is
 *   unreachable, sends wait in a buffer of `maxBuffered` (overflow is reported as `'buffer-overflow'`).
 * - **Reading, node with a stable `nodeId`** (given in the bridge's options) and `durable` (default):
 *   the node reads through its own consumer group `signalry:<nodeId>` (`XREADGROUP`) and
 *   acknowledges each batch (`XACK`) after its local delivery settled (async receivers included). A
 *   node that stops, crashes or is killed resumes where it stopped: on start (and after each
 *   reconnect) it first re-reads the entries it had been given but not acknowledged, then new ones.
 *   A message is delivered twice only when the node dies after its receivers ran and before the
 *   `XACK` of that batch (at most `batchSize` messages); within one run, the bridge drops repeats
 *   by id (it remembers the last `dedupeWindow` ids it delivered). The group is created at the end
 *   of the stream (`from: 'latest'`) or at its start (`'beginning'`) the first time, and kept: delete
 *   it (`XGROUP DESTROY <stream> signalry:<nodeId>`) when a node is retired.
 * - **Reading, node without a stable id** (or `durable: false`): `XREAD BLOCK` from the last entry id
 *   seen; after a reconnect it catches up from there; a new process starts at the end of the stream
 *   (`from: 'latest'`) or its start.
 * - **How far back.** A node can catch up on what the stream still holds: about the last
 *   `maxLength` entries (across a Redis restart, only what Redis persisted: run it with
 *   `appendonly yes`). Entries trimmed before a running node read them are reported as
 *   `'messages-lost'`; a node restarted after more was added cannot count what it missed.
 * - Each lost connection is reported once (`'connection-lost'`); reading resumes where it stopped.
 * - `close()` settles within `closeTimeoutMs` (plus a few milliseconds) in every state of the
 *   connections, acknowledges what was delivered if it can, reports the writes Redis had not
 *   confirmed, and releases both connections.
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
 * // bridge(defaultNamespace, redisStreams('redis://127.0.0.1:6379', { stream: 'shop' }), { nodeId: 'billing-1' })
 * const transport = redisStreams({ host: '127.0.0.1', port: 6379, lazyConnect: true }, { stream: 'shop', maxLength: 10_000 })
 * console.log(transport.messages) // Prints: text
 * ```
 */
export function redisStreams(
  connection: RedisConnection,
  options: RedisStreamsOptions = {},
): BridgeTransport {
  const method = 'redisStreams'
  assertOptionsObject(method, options, [
    'stream',
    'maxLength',
    'from',
    'durable',
    'maxBuffered',
    'batchSize',
    'blockMs',
    'closeTimeoutMs',
  ])
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
  const durableOption = options.durable ?? true
  if (typeof durableOption !== 'boolean')
    throw invalidArgument(method, 'a boolean as option "durable"', durableOption)
  checkConnection(method, connection)
  let link: TransportLink | undefined
  let writerClient: Redis | undefined
  let reader: Redis | undefined
  let writer: Writer | undefined
  /** The last acknowledgement sent: close() lets it finish (in time). */
  let acking: Promise<void> | undefined
  /** While a batch read is being delivered: close() waits for its acknowledgement too. */
  let delivering: Promise<void> | undefined
  const closing = new AbortController()

  type Entries = Array<[string, string[] | null]>
  type ReadReply = Array<[string, Entries]> | null

  /** Hands a batch to the bridge; returns the ids of its entries. */
  function deliver(opened: TransportLink, entries: Entries): string[] {
    const ids: string[] = []
    let trimmed = 0
    for (const [id, fields] of entries) {
      ids.push(id)
      if (fields === null || fields === undefined) trimmed++
      else if (fields.length === 2 && fields[0] === 'm') opened.receive(fields[1])
      else
        opened.report(
          'not-an-envelope',
          `stream entry ${id} has fields ${JSON.stringify(fields.filter((_, i) => i % 2 === 0).slice(0, 10))}, expected only "m"`,
        )
    }
    if (trimmed > 0) {
      opened.report(
        'messages-lost',
        `${trimmed} message(s) of stream "${stream}" were trimmed (maxLength) before this node read them`,
      )
    }
    return ids
  }

  /** A failed read: connection trouble is reported by the connection watch; anything else here. */
  async function readFailed(
    opened: TransportLink,
    client: Redis,
    command: string,
    error: unknown,
  ): Promise<void> {
    if ((error as Error | undefined)?.name === 'ReplyError') {
      opened.report(
        'transport-error',
        `${command} on stream "${stream}" failed: ${messageOf(error)}; retrying`,
        error,
      )
    }
    await sleep(RETRY_MS, closing.signal)
    await whenReady(client, closing.signal)
  }

  async function readLoop(client: Redis, opened: TransportLink, startId: string): Promise<void> {
    let lastId = startId
    while (!closing.signal.aborted) {
      let result: ReadReply
      try {
        result = (await client.xread(
          'COUNT',
          batchSize,
          'BLOCK',
          blockMs,
          'STREAMS',
          stream,
          lastId,
        )) as ReadReply
      } catch (error) {
        if (closing.signal.aborted) return
        await readFailed(opened, client, 'XREAD', error)
        continue
      }
      if (closing.signal.aborted) return
      const ids = deliver(opened, result?.[0]?.[1] ?? [])
      // Let go of the batch now: a suspended async function keeps what its variables still hold.
      result = null
      if (ids.length > 0) lastId = ids[ids.length - 1] as string
    }
  }

  /** Only a bug gets here; reading has stopped, and that must not go unnoticed. */
  function readingStopped(opened: TransportLink, error: unknown): void {
    opened.report('transport-error', `reading stream "${stream}" stopped: ${messageOf(error)}`, error)
  }

  async function createGroup(client: Redis, group: string, at: string): Promise<void> {
    try {
      await client.xgroup('CREATE', stream, group, at, 'MKSTREAM')
    } catch (error) {
      // BUSYGROUP: the group exists — this node ran before, and resumes where it stopped.
      if (!/^BUSYGROUP/.test(messageOf(error))) throw error
    }
  }

  async function groupLoop(client: Redis, opened: TransportLink, group: string): Promise<void> {
    const consumer = opened.nodeId
    // Entries this node was given but did not acknowledge (a crash, a reply lost to a disconnect)
    // are read first, on start and after every reconnect; then new ones ('>').
    let pendingFrom: string | undefined = '0'
    // Each closed connection starts a new epoch. A read in flight across a reconnect is sent again by
    // ioredis; its reply then skips the entries whose first reply was lost (they wait in this
    // consumer's pending list), so it is not delivered: reading starts over from the pending list.
    let epoch = 0
    client.on('close', () => {
      epoch++
      pendingFrom = '0'
    })
    while (!closing.signal.aborted) {
      let result: ReadReply
      const reading = pendingFrom
      const startedIn = epoch
      try {
        if (reading !== undefined) {
          result = (await client.xreadgroup(
            'GROUP',
            group,
            consumer,
            'COUNT',
            batchSize,
            'STREAMS',
            stream,
            reading,
          )) as ReadReply
        } else {
          result = (await client.xreadgroup(
            'GROUP',
            group,
            consumer,
            'COUNT',
            batchSize,
            'BLOCK',
            blockMs,
            'STREAMS',
            stream,
            '>',
          )) as ReadReply
        }
      } catch (error) {
        if (closing.signal.aborted) return
        if (/^NOGROUP/.test(messageOf(error))) {
          // The stream or the group is gone (Redis lost its data, or someone deleted them).
          opened.report(
            'transport-error',
            `the consumer group ${group} of stream "${stream}" was gone; created again`,
            error,
          )
          await createGroup(client, group, '0').catch(() => {})
          continue
        }
        await readFailed(opened, client, 'XREADGROUP', error)
        continue
      }
      if (epoch !== startedIn || closing.signal.aborted) continue
      const ids = deliver(opened, result?.[0]?.[1] ?? [])
      // Let go of the batch now: a suspended async function keeps what its variables still hold.
      result = null
      if (reading !== undefined && pendingFrom === reading)
        pendingFrom = ids.length === 0 ? undefined : ids[ids.length - 1]
      if (ids.length === 0) continue
      // Acknowledge once every receiver of the batch settled: a crash before this re-delivers it.
      // The XACK is not awaited: the next read follows it on the same connection (one round trip),
      // and Redis runs them in order. close() waits for the last one.
      delivering = opened.delivered()
      await delivering
      delivering = undefined
      acking = client.xack(stream, group, ...ids).then(
        () => {},
        () => {
          // Not acknowledged (connection lost): the entries are read again as pending, and dropped
          // by id if they were delivered in this run.
        },
      )
    }
  }

  return {
    messages: 'text',
    randomBytes,
    async open(opened: TransportLink): Promise<void> {
      if (link !== undefined)
        throw new Error('this redisStreams() transport is already open; make one transport per bridge')
      link = opened
      writerClient = connect(connection, 'stream-writer', opened.nodeId)
      reader = connect(connection, 'stream-reader', opened.nodeId)
      writer = new Writer(
        writerClient,
        maxBuffered,
        (pipeline, message) => pipeline.xadd(stream, 'MAXLEN', '~', maxLength, '*', 'm', message),
        opened,
        'appended',
      )
      watchConnection(writerClient, 'stream writer', opened, closing.signal, '')
      watchConnection(reader, 'stream reader', opened, closing.signal, '; reading resumes where it stopped')
      if (durableOption && opened.stableId) {
        const group = `signalry:${opened.nodeId}`
        await createGroup(reader, group, from === 'latest' ? '$' : '0')
        if (closing.signal.aborted) return
        groupLoop(reader, opened, group).catch((error: unknown) => readingStopped(opened, error))
        return
      }
      let startId = '0-0'
      if (from === 'latest') {
        const last = (await reader.xrevrange(stream, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>
        startId = last[0]?.[0] ?? '0-0'
      }
      if (closing.signal.aborted) return
      readLoop(reader, opened, startId).catch((error: unknown) => readingStopped(opened, error))
    },
    publish(message: string | Envelope): void {
      if (writer === undefined) throw new Error('the transport is not open')
      if (closing.signal.aborted) throw new Error('the transport is closed')
      writer.push(message as string)
    },
    async close(): Promise<void> {
      if (link === undefined || closing.signal.aborted) return
      const deadline = performance.now() + closeTimeoutMs
      closing.abort()
      // A read waiting in Redis is cancelled at once; a batch being delivered may still be acknowledged.
      const finishing = delivering !== undefined ? delivering.then(() => acking) : acking
      if (delivering === undefined && acking === undefined) reader?.disconnect()
      await until(Promise.all([(writer as Writer).drained(), finishing]), deadline)
      const left = (writer as Writer).stop()
      reader?.disconnect()
      writerClient?.disconnect()
      reportLeft(link, left, 'appended')
    },
  }
}

function checkConnection(method: string, connection: unknown): void {
  if (typeof connection === 'string') {
    if (!/^rediss?:\/\//.test(connection))
      throw invalidArgument(method, 'a redis:// or rediss:// URL as connection', connection)
    return
  }
  if (typeof connection !== 'object' || connection === null) {
    throw invalidArgument(
      method,
      'a redis:// URL, ioredis options or an ioredis client as connection',
      connection,
    )
  }
}

/**
 * `node:crypto`'s random bytes, for the bridge's ids on a runtime without the global Web Crypto
 * (Node 18 unflagged): these transports run on Node only, so importing it costs browsers nothing.
 */
function randomBytes(bytes: Uint8Array): void {
  randomFillSync(bytes)
}
