// Correctness with many connections on one signal: removals one by one (which leave vacated slots
// in a group's list and compact it now and then), sends while that happens, and many weakly held
// receivers or owners collected at once. How long these take is the benchmark's business
// (bench/scale.ts, `npm run bench`); here only what receivers see and what the counts say.
import { Signal } from 'signalry'
import { collectGarbage } from '../helpers/garbageCollection'

const MANY = 20_000

/** `count` distinct receivers that each record their index into `calls` when called. */
function receivers(count: number, calls: number[]): Array<() => void> {
  return Array.from({ length: count }, (_, k) => () => {
    calls.push(k)
  })
}

function manySignal(): Signal<void, unknown> {
  const sig = new Signal<void, unknown>()
  sig.maxReceivers = 0
  return sig
}

test('disconnecting most of 20 000 receivers of one sender one by one leaves the others called in order', () => {
  const sig = manySignal()
  const sender = { name: 'sender' }
  const calls: number[] = []
  const all = receivers(MANY, calls)
  for (const receiver of all) sig.connect(receiver, { sender })
  // Every third one stays; the others go one by one, with a send now and then (shared lists).
  const kept: number[] = []
  for (let k = 0; k < MANY; k++) {
    if (k % 3 === 0) {
      kept.push(k)
      continue
    }
    expect(sig.disconnect(all[k] as () => void, { sender })).toBe(true)
    if (k % 997 === 0) sig.send(sender)
  }
  calls.length = 0
  sig.send(sender)
  expect(calls).toEqual(kept)
  expect(sig.receiverCount).toBe(kept.length)
  expect(sig.receiversFor(sender)).toHaveLength(kept.length)
  // A disconnected receiver is not found again; a kept one still is.
  expect(sig.disconnect(all[1] as () => void, { sender })).toBe(false)
  expect(sig.disconnect(all[0] as () => void, { sender })).toBe(true)
  for (const k of kept.slice(1)) sig.disconnect(all[k] as () => void, { sender })
  expect(sig.receiverCount).toBe(0)
  expect(sig.hasReceiversFor(sender)).toBe(false)
  calls.length = 0
  sig.send(sender)
  expect(calls).toEqual([])
})

test('receivers disconnected by a receiver during a send of 20 000 are not called by that send', () => {
  const sig = manySignal()
  const calls: number[] = []
  const all = receivers(MANY, calls)
  // The first receiver disconnects every odd one, from the last to the first (in the first send only).
  let armed = true
  sig.connect(() => {
    if (!armed) return
    armed = false
    for (let k = MANY - 1; k >= 0; k -= 2) sig.disconnect(all[k] as () => void)
  })
  for (const receiver of all) sig.connect(receiver)
  sig.send()
  expect(calls).toEqual(all.map((_, k) => k).filter((k) => k % 2 === 0))
  expect(sig.receiverCount).toBe(1 + MANY / 2)
  // Connecting again appends after the survivors, in connection order.
  sig.connect(all[1] as () => void)
  calls.length = 0
  sig.send()
  expect(calls.slice(-2)).toEqual([MANY - 2, 1])
})

test('connecting and disconnecting at both ends of a long list keeps call order and counts', () => {
  const sig = manySignal()
  const calls: number[] = []
  const all = receivers(MANY, calls)
  for (const receiver of all) sig.connect(receiver)
  // From the end (pops), from the front (vacated slots), then a priority connect (a new array).
  for (let k = MANY - 1; k >= MANY - 100; k--) sig.disconnect(all[k] as () => void)
  for (let k = 0; k < 100; k++) sig.disconnect(all[k] as () => void)
  sig.connect(all[0] as () => void, { priority: 1 })
  sig.connect(all[MANY - 1] as () => void)
  sig.send()
  const middle = all.map((_, k) => k).slice(100, MANY - 100)
  expect(calls).toEqual([0, ...middle, MANY - 1])
  expect(sig.receiverCount).toBe(middle.length + 2)
})

/** Connects `count` receivers made here (so that nothing in the caller's scope keeps them). */
function connectWeakly(sig: Signal<void, unknown>, count: number, how: 'weak' | 'owner'): void {
  for (let k = 0; k < count; k++) {
    if (how === 'weak') {
      sig.connect(() => k, { weak: true })
    } else {
      const owner = { k }
      sig.connect(() => owner.k, { owner })
    }
  }
}

test.each(['weak', 'owner'] as const)(
  '20 000 %s connections of one signal collected at once all end, each reported once',
  async (how) => {
    const sig = manySignal()
    const reasons = new Map<string, number>()
    sig.receiverDisconnected.connect((_, { reason }) => {
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1)
    })
    const calls: number[] = []
    const [kept] = receivers(1, calls)
    sig.connect(kept as () => void)
    connectWeakly(sig, MANY, how)
    expect(sig.receiverCount).toBe(MANY + 1)
    for (let pass = 0; pass < 30 && sig.receiverCount > 1; pass++) await collectGarbage(1)
    expect(sig.receiverCount).toBe(1)
    const reason = how === 'weak' ? 'collected' : 'owner-collected'
    expect(Object.fromEntries(reasons)).toEqual({ [reason]: MANY })
    sig.send()
    expect(calls).toEqual([0])
  },
)
