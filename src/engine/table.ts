// The connection table of one signal: the sole owner of its sender groups, its receiver index, its
// counts, the set of connections held weakly, the plans sends call and the version counters that
// tell when those are stale. A signal changes its connections only through this API, so no step
// of the bookkeeping can be forgotten by one feature and kept by another.
//
// Every collection below the ANY group is created on first use: most signals only ever have ANY
// connections, and each empty Map, Set or WeakMap would cost a signal ~150 bytes (at 10 connections
// per signal, the eager ones were half of the heap a signal kept per connection).
//
// Plans. A send for a sender calls that sender's group merged with the ANY group, in call order.
// The merged plan is built lazily and cached in the group; `#anyVersion` makes every cached plan
// stale when the ANY group changes. The fast plan is the flat array of functions a send calls
// when every connection is a plain ANY one (strongly held, not `once`, not async); when the table
// drops it (any connection made, ended or changed) it empties it, so that a fast send walking it
// knows to check each record again.

import { ANY } from '../shared/any'
import { isObjectLike } from '../shared/guards'
import {
  type ConnectionHost,
  ConnectionRecord,
  type DisconnectReason,
  endConnections,
  endLater,
  mergePlan,
  type ReceiverFunction,
  SenderGroup,
} from './connections'
import { ReceiverIndex } from './receiverIndex'

/** @internal How a connection is made: the resolved connect options the table needs. */
interface ConnectionSpec {
  readonly sender: unknown
  readonly priority: number
  readonly once: boolean
  readonly weak: boolean
  readonly owner: object | undefined
  /** The dispatch key: one connection per (key, sender); undefined for none. */
  readonly key: unknown
}

/** @internal The receivers a fast send calls, and their records (in the same order). */
export interface FastPlan {
  /**
   * Emptied (every slot undefined, for good) when the table drops this plan because a connection
   * was made, ended or changed: a send still walking it then finds undefined and lets the record
   * decide. One check per receiver that a send makes anyway, instead of a flag read as well; the
   * O(n) fill costs no more than the rebuild the next send makes.
   */
  readonly receivers: Array<ReceiverFunction | undefined>
  readonly records: readonly ConnectionRecord[]
}

/** @internal Connection counts by the kind of sender they are for. */
export interface ConnectionCounts {
  any: number
  primitive: number
  object: number
}

/**
 * What the signal does for the table: end a connection (with its own cleanup) and report it. One
 * object shared by every signal, called with the signal as `owner`: closures per signal would cost
 * each signal ~0.5 kB.
 */
export interface TableOwnerHooks {
  unlink(owner: object, record: ConnectionRecord): boolean
  notify(owner: object, record: ConnectionRecord, reason: DisconnectReason): void
  lostError(owner: object, record: ConnectionRecord, error: unknown, source: 'disconnect' | 'finalizer'): void
}

const NO_PLAN: readonly ConnectionRecord[] = /*#__PURE__*/ Object.freeze([])

// Map keys compare with SameValueZero, senders with Object.is: -0 gets a key of its own.
const NEGATIVE_ZERO_KEY = Symbol('-0')

function primitiveKeyOf(sender: unknown): unknown {
  return sender === 0 && 1 / (sender as number) < 0 ? NEGATIVE_ZERO_KEY : sender
}

/**
 * The collections of a table that most signals never need (sender-specific groups, dispatch keys,
 * weakly held connections), in one object created on first use: each field costs every table 8
 * bytes, and each of these is undefined in most of them.
 */
class RareCollections {
  /** Groups of primitive senders, by value. */
  primitives: Map<unknown, SenderGroup> | undefined = undefined
  /** Groups of object senders, by identity: a WeakMap, so that a signal never keeps a sender alive. */
  objects: WeakMap<object, SenderGroup> | undefined = undefined
  /**
   * The groups of object senders that have connections, for listing every connection (a WeakMap
   * cannot be iterated). A group leaves when it empties, also when its sender is collected (the
   * sender finalizer ends its connections), so this keeps no more alive than the connections do.
   */
  objectGroupsInUse: Set<SenderGroup> | undefined = undefined
  /**
   * Every sender-specific connection of each receiver, for `disconnect(receiver)` without a sender
   * (weak keys). ANY connections are found in the ANY group.
   */
  byReceiver: ReceiverIndex | undefined = undefined
  /**
   * The connections made with a dispatch key, by key: one per (key, sender), so each list is as long
   * as the number of senders connected under that key (usually one).
   */
  byKey: Map<unknown, ConnectionRecord[]> | undefined = undefined
  /** Connections held weakly: they end when their receiver or owner is collected. */
  heldWeakly: Set<ConnectionRecord> | undefined = undefined
  /**
   * Sender groups whose merged plan is built and current; their plans are dropped when the ANY
   * group changes. A group leaves when its own connections change, so ended senders are not kept.
   */
  planned: Set<SenderGroup> | undefined = undefined
  /**
   * This table's own registry for object senders (the weak receivers' one is below), for the
   * same reason as that one: a process-wide registry would let a long-lived sender keep a dropped
   * signal alive. Created on first use.
   */
  senderFinalizer: FinalizationRegistry<SenderGroup> | undefined = undefined
  /**
   * The table's own registry for weakly held receivers. A registry holds its held values (records,
   * and through them this table and its signal) while the target lives; a process-wide one would
   * let a long-lived receiver keep a dropped signal alive. A registry nobody references is
   * collected with its held values.
   */
  receiverFinalizer: FinalizationRegistry<ConnectionRecord> | undefined = undefined
}

/** @internal The connections of one signal; see the top of this file. */
export class ConnectionTable implements ConnectionHost {
  /** The signal this table is for; passed to its hooks. */
  readonly #owner: object
  readonly #hooks: TableOwnerHooks
  /** The ANY group; its plan is its list. */
  readonly #any: SenderGroup
  /** Connections for a specific sender; when 0, every send calls just the ANY group. */
  #specificCount = 0
  /** What only some tables need; undefined until then. */
  #rare: RareCollections | undefined
  /** Bumped when the ANY group's list changes, which makes every merged plan stale. */
  #anyVersion = 0
  #count = 0
  #asyncCount = 0
  #nextOrder = 0
  /** Whether the signal is muted (see suspendFastPlan). */
  #suspended = false
  /** The fast plan: undefined when stale, null when sends need the general path. */
  #fast: FastPlan | null | undefined = undefined
  constructor(owner: object, hooks: TableOwnerHooks) {
    this.#owner = owner
    this.#hooks = hooks
    this.#any = new SenderGroup(this, ANY)
  }

  // The table is its records' ConnectionHost (one object less per signal): these four are for them.

  unlinkConnection(record: ConnectionRecord): boolean {
    return this.#hooks.unlink(this.#owner, record)
  }

  notifyDisconnected(record: ConnectionRecord, reason: DisconnectReason): void {
    this.#hooks.notify(this.#owner, record, reason)
  }

  lostError(record: ConnectionRecord, error: unknown, source: 'disconnect' | 'finalizer'): void {
    this.#hooks.lostError(this.#owner, record, error, source)
  }

  get receiverFinalizer(): FinalizationRegistry<ConnectionRecord> {
    const rare = (this.#rare ??= new RareCollections())
    return (rare.receiverFinalizer ??= new FinalizationRegistry((record) => endLater([record], 'collected')))
  }

  /** How many connections the table holds, for every sender together (dead ones not yet pruned included). */
  get count(): number {
    return this.#count
  }

  /** How many of them are to native async functions. */
  get asyncCount(): number {
    return this.#asyncCount
  }

  /** The live connection of `receiver` for `sender` (ANY included), if it has one. */
  find(sender: unknown, receiver: ReceiverFunction): ConnectionRecord | undefined {
    const record = this.#groupOf(sender)?.recordOf(receiver)
    return record?.connected === true ? record : undefined
  }

  /** Every live connection of `receiver`, for every sender, in connection order. */
  recordsOf(receiver: ReceiverFunction): ConnectionRecord[] {
    const records: ConnectionRecord[] = []
    const anyRecord = this.find(ANY, receiver)
    const others = this.#specificCount === 0 ? undefined : this.#rare?.byReceiver?.get(receiver)
    if (others instanceof ConnectionRecord) records.push(others)
    else if (others !== undefined) records.push(...others)
    if (anyRecord !== undefined) records.push(anyRecord)
    if (records.length > 1) records.sort((a, b) => a.order - b.order)
    return records
  }

  /** The live connection made with dispatch key `key` for `sender`, if there is one. */
  findKeyed(sender: unknown, key: unknown): ConnectionRecord | undefined {
    const records = this.#rare?.byKey?.get(key)
    if (records === undefined) return undefined
    const group = this.#groupOf(sender)
    return group === undefined
      ? undefined
      : records.find((record) => this.#groupOfRecord(record) === group && record.connected)
  }

  /** Every live connection made with dispatch key `key`, for every sender, in connection order. */
  keyedRecords(key: unknown): ConnectionRecord[] {
    const records = this.#rare?.byKey?.get(key)
    if (records === undefined) return []
    return records.filter((record) => record.connected).sort((a, b) => a.order - b.order)
  }

  /**
   * The live connections for `sender` (ANY: those for ANY), or with no filter every live
   * connection of the table, in connection order: what `disconnectAll` removes.
   */
  records(filter?: { readonly sender: unknown }): ConnectionRecord[] {
    let records: ConnectionRecord[]
    if (filter !== undefined) {
      records = [...(this.#groupOf(filter.sender)?.list ?? [])]
    } else {
      records = [...this.#any.list]
      if (this.#specificCount > 0) {
        const rare = this.#rare
        if (rare?.primitives !== undefined)
          for (const group of rare.primitives.values()) records.push(...group.list)
        if (rare?.objectGroupsInUse !== undefined)
          for (const group of rare.objectGroupsInUse) records.push(...group.list)
      }
    }
    return records.filter((record) => record.connected).sort((a, b) => a.order - b.order)
  }

  /**
   * Adds a new connection of `receiver` (which has none for `spec.sender`), last in connection
   * order unless `order` is given (a replacement takes the order of the connection it replaces).
   */
  add(
    receiver: ReceiverFunction,
    spec: ConnectionSpec,
    isAsync: boolean,
    order = this.#nextOrder++,
  ): ConnectionRecord {
    const group = this.#groupOf(spec.sender) ?? this.#createGroup(spec.sender)
    const record = new ConnectionRecord(
      receiver,
      group,
      group === this.#any,
      spec.priority,
      order,
      spec.once,
      isAsync,
    )
    record.hold(group, receiver, spec.weak, spec.owner)
    this.#track(record)
    this.#setKey(record, spec.key)
    group.add(record)
    this.#groupChanged(group)
    if (group !== this.#any) {
      ;((this.#rare ??= new RareCollections()).byReceiver ??= new ReceiverIndex()).add(receiver, record)
      this.#specificCount++
      if (group.senderRef !== undefined && group.size === 1)
        ((this.#rare ??= new RareCollections()).objectGroupsInUse ??= new Set()).add(group)
    }
    this.#count++
    if (isAsync) this.#asyncCount++
    return record
  }

  /** How many connections the group of `record` has: its sender's receiver count, for the leak warning. */
  connectionsForSenderOf(record: ConnectionRecord): number {
    return this.#groupOfRecord(record).size
  }

  /** The sender a connection is for (ANY included). */
  senderOf(record: ConnectionRecord): unknown {
    return this.#groupOfRecord(record).sender
  }

  /** Ends connections of this table, and reports them: see endConnections. */
  end(records: readonly ConnectionRecord[], reason: DisconnectReason): number {
    return endConnections(records, reason, false, this)
  }

  /** Gives a live connection the options of a later connect (later options win, lifetime included). */
  update(record: ConnectionRecord, receiver: ReceiverFunction, spec: ConnectionSpec): void {
    const group = this.#groupOfRecord(record)
    this.#dropFastPlan()
    this.#untrack(record)
    group.unindex(record)
    record.release()
    record.hold(group, receiver, spec.weak, spec.owner)
    group.index(record)
    this.#track(record)
    this.#setKey(record, spec.key)
    const reordered = record.priority !== spec.priority
    record.setOptions(group, spec.priority, spec.once)
    if (reordered) {
      group.reorder(record)
      this.#groupChanged(group)
    }
  }

  /**
   * Ends a live connection and puts a new one of `receiver` in its place (a connect with the same
   * dispatch key and sender): the new connection takes the old one's connection order, so among
   * equal priorities it is called where the old one was. A new record rather than a changed one,
   * so that a send already running keeps its snapshot: it skips the ended connection and does not
   * call the new one. `receiver` must have no connection for that sender. The caller reports the
   * ended connection.
   */
  replace(
    record: ConnectionRecord,
    receiver: ReceiverFunction,
    spec: ConnectionSpec,
    isAsync: boolean,
  ): ConnectionRecord {
    this.unlink(record)
    return this.add(receiver, spec, isAsync, record.order)
  }

  /** Removes a connection; false if it was already removed. */
  unlink(record: ConnectionRecord): boolean {
    if (!record.connected) return false
    const group = this.#groupOfRecord(record)
    // Disconnects it: a record is connected while it has a slot in its group.
    group.remove(record)
    this.#groupChanged(group)
    const receiver = record.storedReceiver
    if (receiver !== undefined && group !== this.#any) this.#rare?.byReceiver?.delete(receiver, record)
    this.#untrack(record)
    this.#setKey(record, undefined)
    record.release()
    this.#count--
    if (record.isAsync) this.#asyncCount--
    if (group !== this.#any) {
      this.#specificCount--
      this.#forgetIfEmpty(group)
    }
    return true
  }

  /**
   * The group whose `plan` a send with `sender` calls, with that plan up to date and shared with
   * the caller: connects and disconnects from now on copy the array instead of changing it.
   */
  planFor(sender: unknown): SenderGroup {
    const group = this.#specificCount === 0 || sender === ANY ? this.#any : this.#mergedGroupOf(sender)
    group.share(group.plan)
    return group
  }

  /** The fast plan, or null when sends need the general path (see the top of this file). */
  fastPlan(): FastPlan | null {
    const fast = this.#fast
    if (fast !== undefined) return fast
    return (this.#fast = this.#suspended ? null : this.#buildFastPlan())
  }

  /** While suspended (the signal is muted), `fastPlan()` is null: sends take the general path. */
  suspendFastPlan(suspended: boolean): void {
    this.#suspended = suspended
    this.#dropFastPlan()
  }

  /** Whether a send with `sender` would find a live connection (for it or for ANY). */
  hasLiveConnection(sender: unknown): boolean {
    if (this.#any.hasLiveConnection()) return true
    if (sender === ANY || this.#specificCount === 0) return false
    const group = this.#groupOf(sender)
    return group !== undefined && group.hasLiveConnection()
  }

  /** The connections held weakly whose receiver, owner or sender is known to be collected, if any. */
  deadRecords(): ConnectionRecord[] | undefined {
    const heldWeakly = this.#rare?.heldWeakly
    if (heldWeakly === undefined || heldWeakly.size === 0) return undefined
    let dead: ConnectionRecord[] | undefined
    for (const record of heldWeakly) if (record.deathReason !== undefined) (dead ??= []).push(record)
    return dead
  }

  /** Connections counted by the kind of sender they are for (dead ones not yet pruned included). */
  counts(): ConnectionCounts {
    const any = this.#any.size
    let primitive = 0
    const primitives = this.#rare?.primitives
    if (primitives !== undefined) for (const group of primitives.values()) primitive += group.size
    // Object senders live in a WeakMap (not iterable): theirs are what the others leave of the total.
    return { any, primitive, object: this.#count - any - primitive }
  }

  /** Moves a connection to the index of its new dispatch key (undefined: none). */
  #setKey(record: ConnectionRecord, key: unknown): void {
    const previous = record.key
    if (previous === key) return
    if (previous !== undefined) {
      const byKey = this.#rare?.byKey as Map<unknown, ConnectionRecord[]>
      const records = byKey.get(previous) as ConnectionRecord[]
      records.splice(records.indexOf(record), 1)
      if (records.length === 0) byKey.delete(previous)
    }
    record.setKey(this.#groupOfRecord(record), key)
    if (key === undefined) return
    const byKey = ((this.#rare ??= new RareCollections()).byKey ??= new Map())
    const records = byKey.get(key)
    if (records === undefined) byKey.set(key, [record])
    else records.push(record)
  }

  /** The group of a record: its own, or this table's ANY group for a plain one (see ConnectionRecord). */
  #groupOfRecord(record: ConnectionRecord): SenderGroup {
    return record.group ?? this.#any
  }

  #groupOf(sender: unknown): SenderGroup | undefined {
    if (sender === ANY) return this.#any
    if (isObjectLike(sender)) return this.#rare?.objects?.get(sender)
    return this.#rare?.primitives?.get(primitiveKeyOf(sender))
  }

  #createGroup(sender: unknown): SenderGroup {
    if (isObjectLike(sender)) {
      const group = new SenderGroup(this, new WeakRef(sender))
      const rare = (this.#rare ??= new RareCollections())
      ;(rare.objects ??= new WeakMap()).set(sender, group)
      // Registered once per group, without an unregister token: the group lives as long as its
      // sender anyway, and tokens make V8 keep a larger table after mass collections.
      rare.senderFinalizer ??= new FinalizationRegistry((ended) =>
        endLater([...ended.list], 'sender-collected'),
      )
      rare.senderFinalizer.register(sender, group)
      return group
    }
    const group = new SenderGroup(this, sender)
    ;((this.#rare ??= new RareCollections()).primitives ??= new Map()).set(primitiveKeyOf(sender), group)
    return group
  }

  /**
   * Forgets an emptied group of a primitive sender, so dynamic senders cannot grow the table. The
   * group of an object sender stays until that object is collected (it is reused if the sender
   * connects again), and goes with it: its size is bounded by the live senders. It only leaves the
   * groups in use.
   */
  #forgetIfEmpty(group: SenderGroup): void {
    if (group.size > 0) return
    if (group.senderRef !== undefined) {
      this.#rare?.objectGroupsInUse?.delete(group)
      return
    }
    const key = primitiveKeyOf(group.senderKey)
    const primitives = this.#rare?.primitives
    if (primitives?.get(key) === group) primitives.delete(key)
  }

  /** The group of `sender` with its merged plan current, or the ANY group when `sender` has none. */
  #mergedGroupOf(sender: unknown): SenderGroup {
    const group = this.#groupOf(sender)
    if (group === undefined || group.size === 0) return this.#any
    if (group.planAnyVersion !== this.#anyVersion) {
      mergePlan(this.#any, group)
      group.planAnyVersion = this.#anyVersion
      ;((this.#rare ??= new RareCollections()).planned ??= new Set()).add(group)
    }
    return group
  }

  /** Counts a connection that holds its receiver weakly. */
  #track(record: ConnectionRecord): void {
    if (!record.heldWeakly) return
    this.#groupOfRecord(record).heldWeaklyCount++
    ;((this.#rare ??= new RareCollections()).heldWeakly ??= new Set()).add(record)
  }

  /** Undoes #track; the hold has not changed since. */
  #untrack(record: ConnectionRecord): void {
    if (!record.heldWeakly) return
    this.#groupOfRecord(record).heldWeaklyCount--
    this.#rare?.heldWeakly?.delete(record)
  }

  /**
   * Marks the plans that include `group` as stale, and drops them: a stale plan must not keep the
   * receivers of ended connections alive (a sender that is not sent again would hold them forever).
   */
  #groupChanged(group: SenderGroup): void {
    this.#dropFastPlan()
    if (group === this.#any) {
      group.plan = group.list
      this.#anyVersion++
      // Guarded: iterating and clearing even an empty Set allocates (an iterator, a new table).
      const planned = this.#rare?.planned
      if (planned !== undefined && planned.size > 0) {
        for (const stale of planned) dropPlan(stale)
        planned.clear()
      }
    } else {
      dropPlan(group)
      this.#rare?.planned?.delete(group)
    }
  }

  #buildFastPlan(): FastPlan | null {
    if (this.#specificCount !== 0) return null
    const any = this.#any
    // The fast plan's records and receivers match index for index: no vacated slots.
    any.compact()
    any.plan = any.list
    const records = any.list
    const receivers: ReceiverFunction[] = []
    for (const record of records) {
      const receiver = record.strongReceiver
      if (receiver === undefined || record.once || record.isAsync || !record.connected) return null
      receivers.push(receiver)
    }
    // Sends walk these records when a connection ends during a send: the list must stay as it is.
    any.share(records)
    return { receivers, records }
  }

  /** Drops the fast plan, emptying it for the sends that may still be walking it. */
  #dropFastPlan(): void {
    const fast = this.#fast
    if (fast === undefined) return
    if (fast !== null) fast.receivers.fill(undefined)
    this.#fast = undefined
  }
}

/** Forgets a sender group's plan; the next send for that sender builds it again. */
function dropPlan(group: SenderGroup): void {
  group.plan = NO_PLAN
  group.planAnyVersion = -1
}
