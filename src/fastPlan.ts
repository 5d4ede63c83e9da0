// The fast path of a send for the common signal: every connection is for ANY, holds its receiver
// strongly, is not `once` and not async. Such a send needs no sender lookup, no duplicate tracking,
// no pruning and no async check: it calls a flat array of functions. The array is built lazily on
// the first send after a change and never changed afterwards (a send may be walking it).

import type { ConnectionRecord, ReceiverFunction, SenderGroup } from './connections'

/** @internal The receivers a fast send calls, and their records (in the same order). */
export interface FastPlan {
  readonly receivers: readonly ReceiverFunction[]
  readonly records: readonly ConnectionRecord[]
}

/**
 * @internal The fast plan of a signal whose ANY group is `any`, or null when a send needs the
 * general path (sender-specific, weakly held, `once` or async connections).
 */
export function buildFastPlan(any: SenderGroup, specificCount: number): FastPlan | null {
  if (specificCount !== 0) return null
  const records = any.list
  const receivers: ReceiverFunction[] = []
  for (const record of records) {
    const receiver = record.strongReceiver
    if (receiver === undefined || record.once || record.isAsync || !record.connected) return null
    receivers.push(receiver)
  }
  // Sends walk these records when a connection ends during a send: the list must stay as it is.
  any.lend(records)
  return { receivers, records }
}
