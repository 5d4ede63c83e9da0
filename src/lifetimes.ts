// Lifetimes of connections beyond "until disconnected": weak receivers (`weak: true`), owner-scoped
// receivers (`owner`), `disconnectOwner(owner)`, and sender objects that are garbage-collected.
//
// How each is held, so that nothing here keeps alive what it is meant to outlive:
// - weak: the record holds the receiver through a WeakRef; a FinalizationRegistry ends the
//   connection when the receiver is collected, and sends prune it lazily before that.
// - owner: the receiver is kept in a WeakMap keyed by the owner (an ephemeron: the receiver lives
//   exactly as long as the owner, even when it closes over the owner); the record holds both the
//   owner and the receiver weakly.
// - object senders: the sender group holds its sender through a WeakRef (src/connections.ts); a
//   FinalizationRegistry ends the group's connections when the sender is collected.
// Every finalization's held value is a record, a set of records or a sender group: none of them
// references a receiver or a sender strongly, so a registration never keeps its target alive.

import type { ConnectionRecord, ReceiverFunction, SenderGroup } from './connections'
import { invalidArgument } from './errors'
import { processState } from './processState'
import type { DisconnectReason } from './types'

/** @internal An owner's connections across every signal (and every copy of the library). */
export interface OwnerEntry {
  /** The owner's live connections; also the owner's finalization held value (no receiver in it). */
  readonly records: Set<ConnectionRecord>
  /** The receivers of the owner's non-weak connections, kept alive by the owner alone. */
  readonly receivers: Map<ConnectionRecord, ReceiverFunction>
}

/** Owners are process-wide, so that `disconnectOwner` from one build ends connections made by another. */
function ownerEntries(): WeakMap<object, OwnerEntry> {
  return (processState.owners ??= new WeakMap<object, OwnerEntry>()) as WeakMap<object, OwnerEntry>
}

/** @internal The finalization callback of a weakly held receiver: ends its connection. */
export function endConnectionOfCollectedReceiver(record: ConnectionRecord): void {
  endLater([record], 'collected')
}
const ownerFinalizer = new FinalizationRegistry<Set<ConnectionRecord>>((records) => {
  endLater([...records], 'owner-collected')
})

/** Ends connections from a finalization callback, where no caller could catch an error. */
function endLater(records: ConnectionRecord[], reason: DisconnectReason): void {
  try {
    endConnections(records, reason)
  } catch (error) {
    // A receiverDisconnected receiver threw; the connections are gone all the same.
    rethrowLater(error)
  }
}

/**
 * @internal Surfaces an error that no caller can be given (a finalization callback, a pruned
 * receiver in sendRobust) as an uncaught one, as an error thrown by a timer callback would be.
 */
export function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error
  })
}

/**
 * @internal Ends connections, possibly of several signals: first unlinks all of them, then reports
 * each on its signal's receiverDisconnected. Returns how many were connected. If a report throws,
 * the other reports still happen and the first error is thrown at the end.
 */
export function endConnections(records: readonly ConnectionRecord[], reason: DisconnectReason): number {
  const ended = records.filter((record) => record.connected && record.host.unlink(record))
  let failure: { readonly error: unknown } | undefined
  for (const record of ended) {
    try {
      record.host.notify(record, reason)
    } catch (error) {
      failure ??= { error }
    }
  }
  if (failure !== undefined) throw failure.error
  return ended.length
}

/**
 * @internal Stores `receiver` in `record` the way the options ask: strongly by default, through a
 * WeakRef for `weak`, and in the owner's ephemeron for `owner`. The record must not hold it yet
 * (a new record, or one passed through {@link releaseReceiver}).
 */
export function holdReceiver(record: ConnectionRecord, receiver: ReceiverFunction, weak: boolean, owner: object | undefined): void {
  if (!weak && owner === undefined) {
    record.strongReceiver = receiver
    record.weakReceiver = undefined
    record.ownerRef = undefined
    return
  }
  record.strongReceiver = undefined
  record.weakReceiver = new WeakRef(receiver)
  record.ownerRef = undefined
  if (weak) record.host.receiverFinalizer.register(receiver, record, record)
  if (owner === undefined) return
  const entries = ownerEntries()
  let entry = entries.get(owner)
  if (entry === undefined) {
    entry = { records: new Set(), receivers: new Map() }
    entries.set(owner, entry)
    ownerFinalizer.register(owner, entry.records, entry.records)
  }
  entry.records.add(record)
  if (!weak) entry.receivers.set(record, receiver)
  record.ownerRef = new WeakRef(owner)
  record.ownerRecords = entry.records
}

/**
 * @internal Undoes {@link holdReceiver}'s registrations when a connection ends (or changes its
 * options), so that a late finalization can never end a connection made again meanwhile, and an
 * owner whose connections all ended leaves nothing behind.
 */
export function releaseReceiver(record: ConnectionRecord): void {
  if (record.strongReceiver !== undefined) return
  record.host.receiverFinalizer.unregister(record)
  const records = record.ownerRecords
  if (records === undefined) return
  record.ownerRecords = undefined
  records.delete(record)
  const owner = record.ownerRef?.deref()
  if (owner === undefined) return
  const entries = ownerEntries()
  const entry = entries.get(owner)
  if (entry === undefined || entry.records !== records) return
  entry.receivers.delete(record)
  if (records.size === 0) {
    entries.delete(owner)
    ownerFinalizer.unregister(records)
  }
}

/** @internal The finalization callback of a sender object: ends the connections of its group. */
export function endGroupOfCollectedSender(group: SenderGroup): void {
  endLater([...group.list], 'sender-collected')
}

/**
 * Disconnects every connection made with `{ owner }`, on every signal and namespace, at once:
 * for components with a dispose or unmount moment.
 *
 * @remarks
 * Each removed connection is reported on its signal's `receiverDisconnected` with the reason
 * `'owner-disposed'`, after all of them are removed. Connections the owner makes afterwards are
 * kept until the next call. Owners that are never disposed need no call: their connections end
 * when the owner is garbage-collected.
 *
 * @param owner - The object passed as `owner` when connecting.
 * @returns How many connections were removed (0 for an owner with none).
 * @throws TypeError when `owner` is not an object or a function.
 *
 * @example
 * ```ts
 * import { disconnectOwner, signal } from 'signalry'
 *
 * class Badge {
 *   count = 0
 *   constructor() {
 *     signal('mail.received').connect(() => this.count++, { owner: this })
 *     signal('mail.read').connect(() => this.count--, { owner: this })
 *   }
 *   dispose() {
 *     return disconnectOwner(this)
 *   }
 * }
 * const badge = new Badge()
 * signal('mail.received').send()
 * console.log(badge.count, badge.dispose()) // Prints: 1 2
 * signal('mail.received').send()
 * console.log(badge.count) // Prints: 1
 * ```
 */
export function disconnectOwner(owner: object): number {
  if (!isOwner(owner)) throw invalidArgument('disconnectOwner', 'an object or function as owner', owner)
  const entry = ownerEntries().get(owner)
  if (entry === undefined) return 0
  return endConnections([...entry.records], 'owner-disposed')
}

/** @internal Whether `value` can own connections: anything a WeakMap accepts as key, but symbols. */
export function isOwner(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function'
}
