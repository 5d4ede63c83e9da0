// The bookkeeping behind a signal: connections grouped by sender, each group kept in call order.
//
// Every group's list is copy-on-write once shared: a send walks the array it started with while
// receivers connect and disconnect (snapshot semantics) without copying anything per send. Until
// the array has been shared with a send (`listShared`), connect and disconnect change it in place,
// so connecting n receivers in a row costs O(n), not O(n²) copying.
//
// Records and groups are written only by the connection table (./table.ts) that owns them, through
// the methods here; everyone else reads them.
//
// How a connection holds its receiver, so that nothing here keeps alive what it is meant to outlive:
// - strongly (the default): `strongReceiver`;
// - weakly (`weak: true`): through a WeakRef; the table's FinalizationRegistry ends the connection
//   when the receiver is collected, and sends prune it lazily before that;
// - owner-scoped (`owner`): weakly too, the receiver kept in a WeakMap keyed by the owner (an
//   ephemeron: the receiver lives exactly as long as the owner, even when it closes over the owner).
// Both of the latter are "held weakly" (`heldWeakly`): the connection ends when something is collected.

import { processState } from '../shared/processState'

/**
 * Why a connection ended, as reported by {@link Signal.receiverDisconnected}:
 * - `'disconnected'`: {@link Signal.disconnect}, or `disconnect()` of a {@link Connection};
 * - `'called-once'`: a `once` receiver was about to run;
 * - `'aborted'`: its `signal` option was aborted;
 * - `'scope-ended'`: the scope of {@link Signal.connectedTo} ended;
 * - `'connect-failed'`: a {@link Signal.receiverConnected} receiver threw, and the connect was undone;
 * - `'collected'`: a `weak` receiver was garbage-collected;
 * - `'owner-collected'`: the `owner` of the connection was garbage-collected;
 * - `'owner-disposed'`: the `owner` was passed to {@link disconnectOwner};
 * - `'sender-collected'`: the sender object the connection was for was garbage-collected;
 * - `'replaced'`: a connect with the same dispatch `key` and sender put another receiver in its
 *   place (reported with the receiver that was replaced).
 *
 * The four automatic ones are reported when the removal is observed: when the engine runs its
 * finalization callbacks after a collection, or earlier when a send, `receiverCount`,
 * `receiversFor` or `hasReceiversFor` finds the connection dead.
 *
 * @example
 * ```ts
 * import { type DisconnectReason, Signal } from 'signalry'
 *
 * const saved = new Signal()
 * const reasons: DisconnectReason[] = []
 * saved.receiverDisconnected.connect((_, { reason }) => reasons.push(reason))
 * saved.connect(() => {}, { once: true })
 * saved.send()
 * saved.connectedTo(() => {}, () => {})
 * console.log(reasons) // Prints: [ 'called-once', 'scope-ended' ]
 * ```
 */
export type DisconnectReason =
  | 'disconnected'
  | 'called-once'
  | 'aborted'
  | 'scope-ended'
  | 'connect-failed'
  | 'collected'
  | 'owner-collected'
  | 'owner-disposed'
  | 'sender-collected'
  | 'replaced'

/** @internal A receiver function as stored; its parameter types are the signal's business. */
export type ReceiverFunction = (sender: never, payload: never) => unknown

/**
 * @internal What a signal gives its connection records so that code outside the class (owner
 * disposal, finalization callbacks) can end a connection: unlink it, then report it.
 */
export interface ConnectionHost {
  /** Removes the connection from the bookkeeping; false if it was already removed. */
  unlink(record: ConnectionRecord): boolean
  /** Sends receiverDisconnected for a connection `unlink` removed. */
  notify(record: ConnectionRecord, reason: DisconnectReason): void
  /**
   * The table's own registry for weakly held receivers: a process-wide one would hold the record,
   * and so its signal, for as long as a long-lived receiver lives.
   */
  readonly receiverFinalizer: FinalizationRegistry<ConnectionRecord>
}

/** @internal One receiver connected to one signal for one sender, with its options. */
export class ConnectionRecord {
  /** False once removed; a removed record is never connected again (a new connect makes a new one). */
  connected = true
  /** The receiver, held strongly; undefined when the connection holds it weakly (then `weakReceiver` has it). */
  strongReceiver: ReceiverFunction | undefined
  weakReceiver: WeakRef<ReceiverFunction> | undefined = undefined
  /** The owner of an owner-scoped connection, held weakly. */
  ownerRef: WeakRef<object> | undefined = undefined
  /** The connections of the same owner (shared by them), for `disconnectOwner`. */
  ownerRecords: Set<ConnectionRecord> | undefined = undefined
  /** Whether it was connected with `weak: true` (as opposed to held weakly for an `owner`), for listings. */
  weak = false
  /** Its dispatch key (`key` option), indexed by the table; undefined when it has none. */
  key: unknown = undefined

  constructor(
    receiver: ReceiverFunction,
    readonly group: SenderGroup,
    readonly host: ConnectionHost,
    public priority: number,
    /** Connection order within the signal; unique, so (priority, order) is a total order. */
    readonly order: number,
    public once: boolean,
    readonly isAsync: boolean,
  ) {
    this.strongReceiver = receiver
  }

  /** The receiver, or undefined once it (or its owner) has been garbage-collected. */
  get receiver(): ReceiverFunction | undefined {
    const strong = this.strongReceiver
    if (strong !== undefined) return strong
    if (this.ownerRef !== undefined && this.ownerRef.deref() === undefined) return undefined
    return this.weakReceiver?.deref()
  }

  /**
   * Whether the connection holds its receiver weakly (`weak`, `owner`): it ends when the receiver
   * or owner is collected, so it is checked whenever the signal counts or lists its connections.
   */
  get heldWeakly(): boolean {
    return this.strongReceiver === undefined
  }

  /** The receiver function as stored, whether or not its owner is still alive (for bookkeeping). */
  get storedReceiver(): ReceiverFunction | undefined {
    return this.strongReceiver ?? this.weakReceiver?.deref()
  }

  /** Why this connection is known to be dead, or undefined while it is alive. */
  get deathReason(): DisconnectReason | undefined {
    if (this.ownerRef !== undefined && this.ownerRef.deref() === undefined) return 'owner-collected'
    if (this.strongReceiver === undefined && this.weakReceiver?.deref() === undefined) return 'collected'
    if (this.group.senderRef !== undefined && this.group.senderRef.deref() === undefined) return 'sender-collected'
    return undefined
  }

  /**
   * Stores `receiver` the way the options ask: strongly by default, through a WeakRef for `weak`,
   * and in the owner's ephemeron for `owner`. The record must not hold it yet (a new record, or
   * one passed through {@link ConnectionRecord.release}).
   */
  hold(receiver: ReceiverFunction, weak: boolean, owner: object | undefined): void {
    this.weak = weak
    if (!weak && owner === undefined) {
      this.strongReceiver = receiver
      this.weakReceiver = undefined
      this.ownerRef = undefined
      return
    }
    this.strongReceiver = undefined
    this.weakReceiver = new WeakRef(receiver)
    this.ownerRef = undefined
    if (weak) this.host.receiverFinalizer.register(receiver, this, this)
    if (owner === undefined) return
    const entries = ownerEntries()
    let entry = entries.get(owner)
    if (entry === undefined) {
      entry = { records: new Set(), receivers: new Map() }
      entries.set(owner, entry)
      ownerFinalizer.register(owner, entry.records, entry.records)
    }
    entry.records.add(this)
    if (!weak) entry.receivers.set(this, receiver)
    this.ownerRef = new WeakRef(owner)
    this.ownerRecords = entry.records
  }

  /**
   * Undoes {@link ConnectionRecord.hold}'s registrations when a connection ends (or changes its
   * options), so that a late finalization can never end a connection made again meanwhile, and
   * an owner whose connections all ended leaves nothing behind.
   */
  release(): void {
    if (this.strongReceiver !== undefined) return
    this.host.receiverFinalizer.unregister(this)
    const records = this.ownerRecords
    if (records === undefined) return
    this.ownerRecords = undefined
    records.delete(this)
    const owner = this.ownerRef?.deref()
    if (owner === undefined) return
    const entries = ownerEntries()
    const entry = entries.get(owner)
    if (entry === undefined || entry.records !== records) return
    entry.receivers.delete(this)
    if (records.size === 0) {
      entries.delete(owner)
      ownerFinalizer.unregister(records)
    }
  }
}

/** @internal Whether `a` is called before `b`: higher priority first, then earlier connection. */
function callsBefore(a: ConnectionRecord, b: ConnectionRecord): boolean {
  return a.priority > b.priority || (a.priority === b.priority && a.order < b.order)
}

const NO_RECORDS: readonly ConnectionRecord[] = Object.freeze([])

/** Up to this many connections, a group finds a receiver's connection by scanning its list. */
const LOOKUP_MAP_THRESHOLD = 32

/**
 * @internal The connections of one signal for one sender (or for ANY).
 * Holds no reference to an object sender, so a signal never keeps a sender alive.
 */
export class SenderGroup {
  /**
   * Each strongly held receiver's connection, once the group is large enough for a scan of `list`
   * to cost more than a map (most groups hold one or two connections and never get one). Weakly
   * held receivers (`weak`, `owner`) are never in it, so that it cannot keep them alive.
   */
  #strongByReceiver: Map<ReceiverFunction, ConnectionRecord> | undefined = undefined
  /** How many connections in `list` hold their receiver weakly (`weak` or `owner`). */
  heldWeaklyCount = 0
  /** This group's connections in call order (copy-on-write once shared, see `listShared`). */
  list: readonly ConnectionRecord[] = NO_RECORDS
  /**
   * Whether `list` is shared with a send (it was handed out as a plan): then it is never changed
   * again and changes build a new array. Cleared when a new array replaces it.
   */
  listShared = false
  /**
   * What a send for this sender calls: this group merged with the ANY group, in call order
   * (copy-on-write, rebuilt lazily when either changed). For the ANY group it is `list` itself.
   */
  plan: readonly ConnectionRecord[] = NO_RECORDS
  /** The ANY group's version `plan` was built from; -1 when `list` changed since. */
  planAnyVersion = -1
  /** Whether `plan` holds two connections of one receiver (for ANY and for this sender). */
  planHasDuplicates = false

  constructor(
    /** The sender this group is for when it is a primitive or ANY; undefined for an object sender. */
    readonly primitiveSender: unknown,
    /** The object sender this group is for, held weakly; undefined otherwise. */
    readonly senderRef: WeakRef<object> | undefined,
  ) {}

  get sender(): unknown {
    return this.senderRef === undefined ? this.primitiveSender : this.senderRef.deref()
  }

  /** The connection of `receiver` in this group, if it has one. */
  recordOf(receiver: ReceiverFunction): ConnectionRecord | undefined {
    const list = this.list
    if (this.#strongByReceiver === undefined && list.length > LOOKUP_MAP_THRESHOLD) {
      this.#strongByReceiver = new Map()
      for (const record of list) this.index(record)
    }
    if (this.#strongByReceiver !== undefined) {
      const strong = this.#strongByReceiver.get(receiver)
      if (strong !== undefined || this.heldWeaklyCount === 0) return strong
    }
    for (let i = 0; i < list.length; i++) {
      const record = list[i] as ConnectionRecord
      if (record.strongReceiver === receiver || (record.strongReceiver === undefined && record.storedReceiver === receiver)) return record
    }
    return undefined
  }

  add(record: ConnectionRecord): void {
    this.index(record)
    const list = this.list
    const last = list[list.length - 1]
    if (!this.listShared && list !== NO_RECORDS && (last === undefined || !callsBefore(record, last))) {
      // Nobody walks this array: append in place (the common case: no priority above the last one's).
      ;(list as ConnectionRecord[]).push(record)
    } else {
      this.#replaceList(insertInCallOrder(list, record))
    }
  }

  remove(record: ConnectionRecord): void {
    this.unindex(record)
    const list = this.list
    if (this.listShared) {
      this.#replaceList(list.filter((other) => other !== record))
    } else {
      const index = list.indexOf(record)
      if (index !== -1) (list as ConnectionRecord[]).splice(index, 1)
    }
  }

  /** Marks `plan` as shared with a send: if it is this group's list, the list is copied before it changes. */
  share(plan: readonly ConnectionRecord[]): void {
    if (plan === this.list) this.listShared = true
  }

  #replaceList(list: ConnectionRecord[]): void {
    this.list = list
    this.listShared = false
  }

  /** Adds `record` to the lookup by receiver (strongly held receivers only). */
  index(record: ConnectionRecord): void {
    if (record.strongReceiver !== undefined) this.#strongByReceiver?.set(record.strongReceiver, record)
  }

  /** Removes `record` from the lookup by receiver, before its receiver's hold changes. */
  unindex(record: ConnectionRecord): void {
    const receiver = record.strongReceiver
    if (receiver !== undefined && this.#strongByReceiver?.get(receiver) === record) this.#strongByReceiver.delete(receiver)
  }

  /** Whether a send for this group's sender would find a live connection here. */
  hasLiveConnection(): boolean {
    if (this.heldWeaklyCount === 0) return this.list.length > 0
    for (const record of this.list) if (record.receiver !== undefined) return true
    return false
  }

  /** Puts `record` back in its place after its priority changed. */
  reorder(record: ConnectionRecord): void {
    this.#replaceList(
      insertInCallOrder(
        this.list.filter((other) => other !== record),
        record,
      ),
    )
  }
}

function insertInCallOrder(list: readonly ConnectionRecord[], record: ConnectionRecord): ConnectionRecord[] {
  let index = list.length
  while (index > 0 && callsBefore(record, list[index - 1] as ConnectionRecord)) index--
  // concat sizes the new array exactly; push would over-allocate its backing store.
  if (index === list.length) return list.concat(record)
  return list.slice(0, index).concat(record, list.slice(index))
}

/** Builds a sender group's plan: the two lists merged in call order. */
export function mergePlan(anyGroup: SenderGroup, group: SenderGroup): void {
  const anyList = anyGroup.list
  const own = group.list
  if (anyList.length === 0) {
    group.plan = own
    group.planHasDuplicates = false
    return
  }
  const plan: ConnectionRecord[] = []
  let duplicates = false
  let a = 0
  let b = 0
  while (a < anyList.length || b < own.length) {
    const fromAny = anyList[a]
    const fromOwn = own[b]
    if (fromOwn === undefined || (fromAny !== undefined && callsBefore(fromAny, fromOwn))) {
      plan.push(fromAny as ConnectionRecord)
      a++
    } else {
      const receiver = fromOwn.receiver
      if (receiver !== undefined && anyGroup.recordOf(receiver) !== undefined) duplicates = true
      plan.push(fromOwn)
      b++
    }
  }
  group.plan = plan
  group.planHasDuplicates = duplicates
}

// ---------------------------------------------------------------------------------------------
// Ending connections, and the owners of owner-scoped ones

/** @internal An owner's connections across every signal (and every copy of the library). */
interface OwnerEntry {
  /** The owner's live connections; also the owner's finalization held value (no receiver in it). */
  readonly records: Set<ConnectionRecord>
  /** The receivers of the owner's non-weak connections, kept alive by the owner alone. */
  readonly receivers: Map<ConnectionRecord, ReceiverFunction>
}

/** @internal Owners are process-wide, so that `disconnectOwner` from one build ends connections made by another. */
export function ownerEntries(): WeakMap<object, OwnerEntry> {
  return (processState.owners ??= new WeakMap<object, OwnerEntry>()) as WeakMap<object, OwnerEntry>
}

const ownerFinalizer = new FinalizationRegistry<Set<ConnectionRecord>>((records) => {
  endLater([...records], 'owner-collected')
})

/** @internal Ends connections from a finalization callback, where no caller could catch an error. */
export function endLater(records: ConnectionRecord[], reason: DisconnectReason): void {
  try {
    endConnections(records, reason)
  } catch (error) {
    // A receiverDisconnected receiver threw; the connections are gone all the same.
    rethrowLater(error)
  }
}

/**
 * @internal Surfaces an error that no caller can be given (a finalization callback, a pruned
 * receiver in a robust send) as an uncaught one, as an error thrown by a timer callback would be.
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
