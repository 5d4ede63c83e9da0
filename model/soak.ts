// The soak: millions of sends through signals whose connections keep changing, with the heap
// measured after garbage collection at regular points. Whatever a connect, a disconnect, a `once`,
// an abort, a scope, a mute, a throwing receiver or a throwaway sender leaves behind shows up as heap
// that grows from one report to the next. Used by `npm run soak` (scripts/soak.ts, 10 million sends)
// and by __tests__/heap/soak.heap.test.ts (the CI size, in `npm run test:heap`).

import { ANY, Signal } from 'signalry'
import { processState } from '../src/shared/processState'

export interface SoakOptions {
  /** How many sends in all (sends made by receivers not counted). */
  readonly sends: number
  /** Measure the heap after this many sends, and at the end. */
  readonly reportEvery: number
  /** A full, synchronous garbage collection. */
  readonly collectGarbage: () => void
  /** Called with each measurement as it is taken. */
  readonly onReport?: (report: SoakReport) => void
}

export interface SoakReport {
  /** Sends so far. */
  readonly sends: number
  /** `process.memoryUsage().heapUsed` after garbage collection, in bytes. */
  readonly heapUsed: number
  /** Connections of the churned signal at that moment (its fixed receivers plus the live temporary ones). */
  readonly receiverCount: number
  /** Receiver calls so far, nested ones included. */
  readonly calls: number
}

/** How many temporary receivers stay connected at a time; the oldest is disconnected for a new one. */
const LIVE_TEMPORARY = 16
/** Sends between two yields to the event loop (object senders held by a WeakRef die only after a job ends). */
const SENDS_PER_JOB = 5_000

class Boom extends Error {}

/**
 * Runs the soak and returns its measurements. Throws if a signal ends up in a wrong state (muted,
 * a send depth left over, connections not back to the fixed ones).
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport[]> {
  const { sends, reportEvery, collectGarbage, onReport } = options
  const churned = new Signal<number, unknown>('soak.churned')
  const nested = new Signal<number, unknown>('soak.nested')
  let calls = 0
  let events = 0
  const count = (): void => {
    calls++
  }

  // The fixed receivers: for every sender, for one sender, one that sends another signal, one that
  // throws now and then (caught by sendRobust, or by the soak around send/emit).
  churned.connect(count, { priority: 5 })
  churned.connect(count, { sender: 'hot', priority: -1 })
  churned.connect((_sender, n) => {
    calls++
    if (n % 7 === 0) nested.emit(ANY, n)
  })
  churned.connect(
    (_sender, n) => {
      calls++
      if (n % 97 === 0) throw new Boom(`planned failure at ${n}`)
    },
    { priority: -10 },
  )
  nested.connect(count)
  churned.receiverConnected.connect(() => {
    events++
  })
  churned.receiverDisconnected.connect(() => {
    events++
  })
  const fixedReceivers = churned.receiverCount

  const temporary: Array<(sender: unknown, n: number) => void> = []
  const reports: SoakReport[] = []
  let objectSender: object = { id: 0 }

  // Collections in macrotasks of their own, so that finalization callbacks (collected senders end
  // their connections through a FinalizationRegistry) run in between and their cells are freed.
  const report = async (done: number): Promise<void> => {
    for (let pass = 0; pass < 3; pass++) {
      await new Promise<void>((resolve) => setImmediate(resolve))
      collectGarbage()
    }
    const measured: SoakReport = {
      sends: done,
      heapUsed: process.memoryUsage().heapUsed,
      receiverCount: churned.receiverCount,
      calls,
    }
    reports.push(measured)
    onReport?.(measured)
  }

  await report(0)
  for (let i = 1; i <= sends; i++) {
    // A fresh object sender every 8 sends (dropped afterwards), dynamic string senders, a hot one.
    if (i % 8 === 0) objectSender = { id: i }
    const sender = i % 3 === 0 ? objectSender : i % 3 === 1 ? `user-${i % 5_000}` : 'hot'
    const phase = i % 16

    // Churn: every other send, a temporary receiver for this sender, in one of several lifetimes.
    if (i % 2 === 0) {
      const kind = (i >> 1) % 5
      // Receivers often close over an object, like a component's handler over the component.
      const owner = objectSender
      const receiver = (from: unknown, n: number): void => {
        calls += from === owner || n > 0 ? 1 : 0
      }
      // Not before a muted send, which would not use it up (its object sender may be gone by the next).
      if (kind === 0 && phase !== 1) {
        churned.connect(receiver, { sender, once: true })
      } else if (kind <= 1) {
        const controller = new AbortController()
        churned.connect(receiver, { sender, signal: controller.signal, priority: i % 3 })
        if ((i >> 2) % 2 === 0) controller.abort()
        else temporary.push(receiver)
      } else {
        churned.connect(receiver, { sender: kind === 2 ? ANY : sender, priority: (i % 11) - 5 })
        temporary.push(receiver)
      }
      if (temporary.length > LIVE_TEMPORARY)
        churned.disconnect(temporary.shift() as (sender: unknown, n: number) => void)
    }

    try {
      switch (phase) {
        case 0:
          churned.connectedTo(count, { sender, priority: 1 }, () => churned.send(sender, i))
          break
        case 1:
          churned.muted(() => churned.send(sender, i))
          break
        case 2:
        case 3:
        case 4:
          for (const [, outcome] of churned.sendRobust(sender, i))
            if (outcome.status === 'rejected' && !(outcome.reason instanceof Boom)) throw outcome.reason
          break
        case 5:
        case 6:
        case 7:
          churned.send(sender, i)
          break
        default:
          churned.emit(sender, i)
      }
    } catch (error) {
      if (!(error instanceof Boom)) throw error
    }

    if (i % SENDS_PER_JOB === 0) await new Promise<void>((resolve) => setImmediate(resolve))
    if (i % reportEvery === 0 || i === sends) await report(i)
  }

  for (const receiver of temporary.splice(0)) churned.disconnect(receiver)
  // One more send so that `once` receivers connected last are used up, then everything is checked.
  churned.sendRobust('hot', -1)
  if (churned.isMuted || nested.isMuted) throw new Error('soak: a signal was left muted')
  if (processState.depth !== 0) throw new Error(`soak: the send depth was left at ${processState.depth}`)
  if (churned.receiverCount !== fixedReceivers) {
    throw new Error(`soak: ${churned.receiverCount - fixedReceivers} temporary connections were left behind`)
  }
  if (events === 0) throw new Error('soak: no connection events were seen')
  return reports
}

/**
 * The largest heap growth between the report after warm-up (the second one) and any later one, in
 * bytes. The first report is taken before anything ran, so it does not count.
 */
export function heapGrowth(reports: readonly SoakReport[]): number {
  const baseline = reports[Math.min(1, reports.length - 1)]?.heapUsed ?? 0
  return Math.max(0, ...reports.slice(1).map((report) => report.heapUsed - baseline))
}
