// Runs one fault scenario of the fault-injection suite with real processes: a receiving Node process
// and a sending one (two sender nodes) exchange ticks through redis-server — through a TCP proxy
// where the fault is on the network — while the fault is injected half-way; then both close.
// Used by __tests__/integration/bridgeFaultSuite.test.ts (which checks the guarantees) and by
// bench/faults.ts (which writes the figures into bench/RESULTS.md).
import { join } from 'node:path'
import { type NodeProcess, runFixture } from './nodeProcess'
import type { RedisServer } from './redisServer'
import { startTcpProxy, type TcpProxy } from './tcpProxy'

// From the repository root (jest and the benchmarks run there): this file is loaded both as
// CommonJS (jest) and as an ES module (tsx), so neither __dirname nor import.meta works in both.
const root = process.cwd()
const fixture = join(root, '__tests__', 'fixtures', 'faultNode.ts')

export type Mode = 'pubsub' | 'streams'
export const FAULTS = [
  'none',
  'connection cut mid-batch',
  'connection reset',
  'network stall 1 s',
  'delay 20 ms + throttle',
  'redis SIGSTOP 1 s',
  'redis kill -9 + restart',
  'receiver SIGKILL + restart',
] as const
export type Fault = (typeof FAULTS)[number]
export const CLOSE_STATES = ['connected', 'reconnecting', 'stalled (SIGSTOP)', 'never connected'] as const
export type CloseState = (typeof CLOSE_STATES)[number]
/** The fixture's closeTimeoutMs (kept in step with faultNode.ts). */
export const CLOSE_TIMEOUT_MS = 500

export interface FaultResult {
  fault: Fault
  mode: Mode
  /** Sends made (both senders). */
  sent: number
  /** Distinct sends delivered to the receiver's local receiver. */
  delivered: number
  lost: number
  /** Deliveries of a send already delivered (across both receiver runs in the crash case). */
  duplicated: number
  /** Deliveries that came after a later send of the same sender (first deliveries only). */
  reordered: number
  /** The sum of the counts in the receiver's 'messages-lost' reports. */
  reportedLost: number
  /** Duplicates delivered by the restarted receiver, for the crash case (the documented ones). */
  crashRedelivered: number
  /** How long each process's close() took, in ms. */
  closeMs: number[]
  /** Whether every process exited by itself after closing (within 2 s). */
  exitedOnOwn: boolean
  /** The reasons each process reported, with how often. */
  reports: Record<string, number>
  /** Each receiver run's deliveries, per sender, in order ([run][sender] → numbers). */
  runs: Array<Record<string, number[]>>
}

type Child = NodeProcess

function start(role: string, mode: Mode, url: string, key: string): Child {
  return runFixture(fixture, [role, mode, url, key], root, role)
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Closes a child and measures: close() time as it reports it, and whether it then exits by itself. */
async function closeChild(child: Child): Promise<{ closeMs: number; exitedOnOwn: boolean }> {
  if (child.process.exitCode !== null || child.process.signalCode !== null)
    return { closeMs: 0, exitedOnOwn: true }
  child.send('close')
  const closed = await child.waitFor('closed', 10_000).catch(() => 'closed NaN')
  const closeMs = Number(closed.split(' ')[1])
  let timer: ReturnType<typeof setTimeout> | undefined
  const exitedOnOwn = await Promise.race([
    child.exited.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), 2_000)
    }),
  ])
  clearTimeout(timer)
  if (!exitedOnOwn) child.process.kill('SIGKILL')
  return { closeMs, exitedOnOwn }
}

function count(lines: string[], into: Record<string, number>): void {
  for (const line of lines) {
    if (!line.startsWith('error ')) continue
    const reason = line.split(' ')[1] as string
    into[reason] = (into[reason] ?? 0) + 1
  }
}

/** Injects `fault` (returns when it is over); `restartReceiver` for the crash case. */
async function inject(
  fault: Fault,
  redis: RedisServer,
  proxy: TcpProxy,
  restartReceiver: () => Promise<void>,
): Promise<void> {
  switch (fault) {
    case 'none':
      return
    case 'connection cut mid-batch':
      // Three cuts, each after a random number of bytes in a random direction.
      for (let i = 0; i < 3; i++) {
        proxy.cutAfter(50 + Math.floor(Math.random() * 2000), Math.random() < 0.5 ? 'to-client' : 'to-server')
        await pause(200)
      }
      return
    case 'connection reset':
      proxy.reset()
      await pause(300)
      proxy.reset()
      return
    case 'network stall 1 s':
      proxy.stall()
      await pause(1000)
      proxy.resume()
      return
    case 'delay 20 ms + throttle':
      proxy.delay(20)
      proxy.throttle(100_000)
      await pause(1000)
      proxy.delay(0)
      proxy.throttle(undefined)
      return
    case 'redis SIGSTOP 1 s':
      redis.pause()
      await pause(1000)
      redis.resume()
      return
    case 'redis kill -9 + restart':
      await redis.kill()
      await pause(300)
      await redis.restart()
      return
    case 'receiver SIGKILL + restart':
      await restartReceiver()
  }
}

/**
 * One scenario: `perSender` sends from each of two senders over about 1.5 s, the fault injected
 * after 0.4 s; waits until everything arrived (or nothing more arrives for 1 s), sends probes until
 * one from each sender arrived (so that every loss is followed by a later send), then closes both.
 */
export async function runFault(
  fault: Fault,
  mode: Mode,
  redis: RedisServer,
  key: string,
  perSender = 500,
): Promise<FaultResult> {
  const proxy = await startTcpProxy(redis.port)
  const url = proxy.url
  const receivers: Child[] = [start('receiver', mode, url, key)]
  const senders = start('senders', mode, url, key)
  const children = [senders, ...receivers]
  try {
    await Promise.all([receivers[0]?.waitFor('ready'), senders.waitFor('ready')])
    senders.send(`send ${perSender} 1500`)
    await pause(400)
    await inject(fault, redis, proxy, async () => {
      ;(receivers.at(-1) as Child).process.kill('SIGKILL')
      await pause(200)
      const restarted = start('receiver', mode, url, key)
      receivers.push(restarted)
      children.push(restarted)
      await restarted.waitFor('ready')
    })
    await senders.waitFor('sent', 30_000)
    // Wait for the deliveries: all of them, or until nothing more arrives for 2 s (a loaded machine
    // takes seconds to restart redis-server and reconnect).
    const total = perSender * 2
    const delivered = () =>
      new Set(receivers.flatMap((r) => r.lines.filter((line) => line.startsWith('got ')))).size
    let last = -1
    let quietSince = Date.now()
    while (delivered() < total && Date.now() - quietSince < 2000) {
      await pause(50)
      const now = delivered()
      if (now !== last) {
        last = now
        quietSince = Date.now()
      }
    }
    // A loss is visible to a receiver when a later send of the same sender arrives: send probes
    // (numbered after the run's sends, counted as sends) until one of each sender has arrived.
    const latest = receivers.at(-1) as Child
    let probes = 0
    const arrived = (n: number) => ['a', 'b'].every((sender) => latest.lines.includes(`got ${sender} ${n}`))
    while (probes < 60 && (probes === 0 || !arrived(perSender + probes))) {
      probes++
      senders.send(`probe ${perSender + probes}`)
      await pause(250)
    }
    await pause(300) // late duplicates, if any, arrive now
    const closes = await Promise.all(children.map(closeChild))
    return analyse(fault, mode, (perSender + probes) * 2, receivers, senders, closes)
  } finally {
    for (const child of children)
      if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL')
    redis.resume()
    await proxy.close()
  }
}

function analyse(
  fault: Fault,
  mode: Mode,
  total: number,
  receivers: Child[],
  senders: Child,
  closes: Array<{ closeMs: number; exitedOnOwn: boolean }>,
): FaultResult {
  const runs = receivers.map((receiver) => {
    const run: Record<string, number[]> = { a: [], b: [] }
    for (const line of receiver.lines) {
      if (!line.startsWith('got ')) continue
      const [, sender, n] = line.split(' ')
      ;(run[sender as string] ??= []).push(Number(n))
    }
    return run
  })
  let duplicated = 0
  let reordered = 0
  let delivered = 0
  let crashRedelivered = 0
  for (const sender of ['a', 'b']) {
    const seen = new Set<number>()
    let highest = 0
    for (const [index, run] of runs.entries()) {
      for (const n of run[sender] ?? []) {
        if (seen.has(n)) {
          duplicated++
          if (index > 0) crashRedelivered++
          continue
        }
        seen.add(n)
        if (n < highest) reordered++
        highest = Math.max(highest, n)
      }
    }
    delivered += seen.size
  }
  const reports: Record<string, number> = {}
  for (const child of [...receivers, senders]) count(child.lines, reports)
  const reportedLost = receivers
    .flatMap((receiver) => receiver.lines)
    .filter((line) => line.startsWith('error messages-lost '))
    .reduce((sum, line) => sum + Number(line.split(' ')[2]), 0)
  return {
    fault,
    mode,
    sent: total,
    delivered,
    lost: total - delivered,
    duplicated,
    reordered,
    reportedLost,
    crashRedelivered,
    closeMs: closes.map((close) => close.closeMs),
    exitedOnOwn: closes.every((close) => close.exitedOnOwn),
    reports,
    runs,
  }
}

/**
 * Opens a bridge in a child process, brings its connection into `state`, closes it, and measures
 * how long close() took and whether the process then exits by itself.
 */
export async function runCloseState(
  state: CloseState,
  mode: Mode,
  redis: RedisServer,
  key: string,
): Promise<{ closeMs: number; exitedOnOwn: boolean }> {
  const proxy = await startTcpProxy(redis.port)
  if (state === 'never connected') proxy.refuse(true)
  const child = start('idle', mode, proxy.url, key)
  try {
    if (state === 'never connected') await pause(300)
    else await child.waitFor('ready')
    if (state === 'reconnecting') {
      proxy.refuse(true)
      proxy.reset()
      await child.waitFor('error connection-lost')
    }
    if (state === 'stalled (SIGSTOP)') {
      redis.pause()
      await pause(100)
    }
    return await closeChild(child)
  } finally {
    redis.resume()
    if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL')
    await proxy.close()
  }
}
