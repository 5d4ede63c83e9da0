// A TCP proxy for fault-injection tests (node:net): clients connect to it instead of to redis-server,
// and the test breaks the path between them on purpose — reset every connection, cut one after a
// given number of bytes (mid-batch), stall both directions (what a network partition looks like),
// delay or throttle the bytes, or refuse new connections.
import { createServer, type Server, Socket } from 'node:net'

export type Direction = 'to-server' | 'to-client'

export interface TcpProxy {
  /** The port the proxy listens on (127.0.0.1). */
  readonly port: number
  /** `redis://127.0.0.1:<port>`: the proxy's address for a Redis client. */
  readonly url: string
  /** How many client connections are open. */
  readonly connections: number
  /** Resets every open connection (TCP RST on both sides), as a failing network would. */
  reset(): void
  /**
   * Resets every open connection once `bytes` more bytes have passed in `direction`, forwarding the
   * bytes before that point: with `'to-client'`, Redis has run the commands whose replies are lost.
   */
  cutAfter(bytes: number, direction: Direction): void
  /** Stops forwarding in both directions; bytes wait in the proxy until {@link TcpProxy.resume}. */
  stall(): void
  /** Forwards what waited during a stall, in order, and everything after it. */
  resume(): void
  /** Holds every chunk this long before forwarding it (0: no delay). */
  delay(ms: number): void
  /** Forwards at most this many bytes per second in each direction (undefined: no limit). */
  throttle(bytesPerSecond: number | undefined): void
  /** While on, new connections are reset at once (the server looks unreachable). */
  refuse(on: boolean): void
  /** Resets every connection and stops listening. */
  close(): Promise<void>
}

interface Lane {
  readonly from: Socket
  readonly to: Socket
  readonly direction: Direction
  /** When the last scheduled chunk goes out (ms, performance.now()), to keep chunks in order. */
  lastAt: number
  held: Buffer[]
  /** Chunks waiting for their time (delay, throttle), oldest first. */
  queue: Queued[]
  timer: ReturnType<typeof setTimeout> | undefined
}

interface Queued {
  readonly at: number
  readonly chunk: Buffer
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>()
  const lanes = new Set<Lane>()
  const timers = new Set<ReturnType<typeof setTimeout>>()
  let stalled = false
  let refusing = false
  let delayMs = 0
  let rate: number | undefined
  let cut: { remaining: number; direction: Direction } | undefined

  const destroyPair = (pair: [Socket, Socket]): void => {
    for (const socket of pair) if (!socket.destroyed) socket.resetAndDestroy()
    pairs.delete(pair)
  }
  const resetAll = (): void => {
    for (const pair of [...pairs]) destroyPair(pair)
    for (const lane of [...lanes]) lanes.delete(lane)
  }

  const write = (lane: Lane, chunk: Buffer): void => {
    if (lane.to.destroyed) return
    if (cut !== undefined && cut.direction === lane.direction) {
      if (chunk.length >= cut.remaining) {
        const head = chunk.subarray(0, cut.remaining)
        cut = undefined
        // The part before the cut point still arrives; then the connection dies.
        lane.to.write(head, () => resetAll())
        setImmediate(resetAll)
        return
      }
      cut.remaining -= chunk.length
    }
    lane.to.write(chunk)
  }

  /** Writes the lane's due chunks in order, then waits for the next one: bytes never overtake. */
  const pump = (lane: Lane): void => {
    lane.timer = undefined
    const now = performance.now()
    while (lane.queue.length > 0 && (lane.queue[0] as Queued).at <= now)
      write(lane, (lane.queue.shift() as Queued).chunk)
    const next = lane.queue[0]
    if (next !== undefined) {
      lane.timer = setTimeout(
        () => {
          timers.delete(lane.timer as ReturnType<typeof setTimeout>)
          pump(lane)
        },
        Math.max(1, Math.ceil(next.at - now)),
      )
      timers.add(lane.timer)
    }
  }

  const forward = (lane: Lane, chunk: Buffer): void => {
    if (stalled) {
      lane.held.push(chunk)
      return
    }
    const now = performance.now()
    let at = Math.max(now + delayMs, lane.lastAt)
    if (rate !== undefined) at += (chunk.length / rate) * 1000
    lane.lastAt = at
    if (lane.queue.length === 0 && at <= now) {
      write(lane, chunk)
      return
    }
    lane.queue.push({ at, chunk })
    if (lane.timer === undefined) pump(lane)
  }

  const server: Server = createServer((client) => {
    if (refusing) {
      client.resetAndDestroy()
      return
    }
    const upstream = new Socket()
    const pair: [Socket, Socket] = [client, upstream]
    pairs.add(pair)
    const up: Lane = {
      from: client,
      to: upstream,
      direction: 'to-server',
      lastAt: 0,
      held: [],
      queue: [],
      timer: undefined,
    }
    const down: Lane = {
      from: upstream,
      to: client,
      direction: 'to-client',
      lastAt: 0,
      held: [],
      queue: [],
      timer: undefined,
    }
    lanes.add(up)
    lanes.add(down)
    client.on('data', (chunk: Buffer) => forward(up, chunk))
    upstream.on('data', (chunk: Buffer) => forward(down, chunk))
    const end = (): void => {
      lanes.delete(up)
      lanes.delete(down)
      destroyPair(pair)
    }
    client.on('error', end)
    upstream.on('error', end)
    client.on('close', end)
    upstream.on('close', end)
    upstream.connect(targetPort, targetHost)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get connections() {
      return pairs.size
    },
    reset: resetAll,
    cutAfter(bytes, direction) {
      cut = { remaining: Math.max(1, bytes), direction }
    },
    stall() {
      stalled = true
    },
    resume() {
      stalled = false
      for (const lane of lanes) {
        const held = lane.held.splice(0)
        for (const chunk of held) forward(lane, chunk)
      }
    },
    delay(ms) {
      delayMs = ms
    },
    throttle(bytesPerSecond) {
      rate = bytesPerSecond
    },
    refuse(on) {
      refusing = on
    },
    async close() {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      resetAll()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
