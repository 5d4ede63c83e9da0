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
  /** Removes the connection from the bookkeeping (the signal's unlink); false if it was already removed. */
  unlinkConnection(record: ConnectionRecord): boolean
  /** Sends receiverDisconnected for a connection `unlinkConnection` removed. */
  notifyDisconnected(record: ConnectionRecord, reason: DisconnectReason): void
  /**
   * Publishes an error that `notifyDisconnected` threw and that nobody is given (on `signalry:receiver-error`,
   * with the signal's name): `connection` is the one whose ending was being reported.
   */
  lostError(connection: ConnectionRecord, error: unknown, source: 'disconnect' | 'finalizer'): void
  /**
   * The table's own registry for weakly held receivers: a process-wide one would hold the record,
   * and so its signal, for as long as a long-lived receiver lives.
   */
  readonly receiverFinalizer: FinalizationRegistry<ConnectionRecord>
}

/**
 * @internal How a weakly held connection (`weak`, `owner`) holds its receiver: a side object, so
 * that the common, strongly held record carries one field for it instead of three (records are
 * the bulk of a signal's memory).
 */
class WeakHold {
  /** The owner's connections (shared by them), for `disconnectOwner`; undefined without an owner. */
  ownerRecords: Set<ConnectionRecord> | undefined = undefined
  constructor(
    readonly receiver: WeakRef<ReceiverFunction>,
    /** The owner of an owner-scoped connection, held weakly. */
    readonly owner: WeakRef<object> | undefined,
  ) {}
}

/**
 * @internal What only some connections have, kept off the common record: its group unless that is
 * the ANY group, a priority other than 0, `once`, `weak` and async, how a weakly held receiver is
 * held, and a dispatch key. The connection order is here too, as the record has no field left for it.
 */
class RecordDetails {
  weakHold: WeakHold | undefined = undefined
  key: unknown = undefined
  constructor(
    /** The record's group (the ANY group included: a weakly held receiver needs its host). */
    readonly group: SenderGroup,
    public priority: number,
    readonly order: number,
    /** ONCE, ASYNC and WEAK. */
    public flags: number,
  ) {}
}

const ONCE = 1
const ASYNC = 2
/** Connected with `weak: true` (as opposed to held weakly for an `owner`), for listings. */
const WEAK = 4

/**
 * @internal One receiver connected to one signal for one sender, with its options.
 *
 * Records are the bulk of a signal's memory (each field costs each record 8 bytes), so the common
 * connection, a strongly held ANY receiver of priority 0 that is neither `once` nor async, has three
 * fields: its receiver, its slot (which also tells whether it is connected) and its connection order.
 * Every other connection keeps its order, group and options in a {@link RecordDetails} in that
 * third field. A record without details does not know its group: it is the ANY group of its table,
 * which is why the methods that may have to create details take the group.
 */
export class ConnectionRecord {
  /** The receiver, held strongly; undefined when the connection holds it weakly (then `weakHold` has it). */
  strongReceiver: ReceiverFunction | undefined
  /**
   * Its index in its group's `list` while connected (kept by SenderGroup), for O(1) removal; -1
   * before it is placed and once it is removed (see `connected`).
   */
  slot = -1
  /** The connection order of a plain ANY connection, or the details of any other (see above). */
  #meta: number | RecordDetails

  constructor(
    receiver: ReceiverFunction,
    /** Its group; not kept for a plain connection of the ANY group (`inAnyGroup`). */
    group: SenderGroup,
    inAnyGroup: boolean,
    priority: number,
    /** Connection order within the signal; unique, so (priority, order) is a total order. */
    order: number,
    once: boolean,
    isAsync: boolean,
  ) {
    this.strongReceiver = receiver
    const flags = (once ? ONCE : 0) | (isAsync ? ASYNC : 0)
    this.#meta =
      inAnyGroup && priority === 0 && flags === 0 ? order : new RecordDetails(group, priority, order, flags)
  }

  // Static: private instance methods would give every record a brand field, 8 bytes more each.
  /** Its details, created (with `group`, the record's group) for a record that has none yet. */
  static #detailsIn(record: ConnectionRecord, group: SenderGroup): RecordDetails {
    const meta = record.#meta
    if (typeof meta !== 'number') return meta
    return (record.#meta = new RecordDetails(group, 0, meta, 0))
  }

  static #details(record: ConnectionRecord): RecordDetails | undefined {
    const meta = record.#meta
    return typeof meta === 'number' ? undefined : meta
  }

  /** Connection order within the signal; unique, so (priority, order) is a total order. */
  get order(): number {
    const meta = this.#meta
    return typeof meta === 'number' ? meta : meta.order
  }

  get priority(): number {
    const meta = this.#meta
    return typeof meta === 'number' ? 0 : meta.priority
  }

  /** Its group, or undefined for a record of its table's ANY group that does not keep it. */
  get group(): SenderGroup | undefined {
    return ConnectionRecord.#details(this)?.group
  }

  /** False once removed; a removed record is never connected again (a new connect makes a new one). */
  get connected(): boolean {
    return this.slot >= 0
  }

  /** How a weakly held receiver is held; undefined for a strongly held one. */
  get weakHold(): WeakHold | undefined {
    return ConnectionRecord.#details(this)?.weakHold
  }

  /** Its dispatch key (`key` option), indexed by the table; undefined when it has none. */
  get key(): unknown {
    return ConnectionRecord.#details(this)?.key
  }

  /** Whether the connection ends before its first call. */
  get once(): boolean {
    const meta = this.#meta
    return typeof meta !== 'number' && (meta.flags & ONCE) !== 0
  }

  /** Whether it was connected with `weak: true` (as opposed to held weakly for an `owner`), for listings. */
  get weak(): boolean {
    const meta = this.#meta
    return typeof meta !== 'number' && (meta.flags & WEAK) !== 0
  }

  /** Whether the receiver is a native async function (sync sends refuse to call it). */
  get isAsync(): boolean {
    const meta = this.#meta
    return typeof meta !== 'number' && (meta.flags & ASYNC) !== 0
  }

  /**
   * Sets the options a later connect may change; `group` is the record's group (see the class).
   * Only the table calls this, and it reorders the group when the priority changed.
   */
  setOptions(group: SenderGroup, priority: number, once: boolean): void {
    if (priority === 0 && !once && ConnectionRecord.#details(this) === undefined) return
    const details = ConnectionRecord.#detailsIn(this, group)
    details.priority = priority
    details.flags = once ? details.flags | ONCE : details.flags & ~ONCE
  }

  /** Sets its dispatch key (undefined: none); `group` is the record's group (see the class). */
  setKey(group: SenderGroup, key: unknown): void {
    if (key === undefined && ConnectionRecord.#details(this) === undefined) return
    ConnectionRecord.#detailsIn(this, group).key = key
  }

  /** What this record reports to (its signal's unlink and notify); undefined for a plain ANY one. */
  get host(): ConnectionHost | undefined {
    return ConnectionRecord.#details(this)?.group.host
  }

  /** The receiver, or undefined once it (or its owner) has been garbage-collected. */
  get receiver(): ReceiverFunction | undefined {
    const strong = this.strongReceiver
    if (strong !== undefined) return strong
    const hold = this.weakHold
    if (hold === undefined) return undefined
    if (hold.owner !== undefined && hold.owner.deref() === undefined) return undefined
    return hold.receiver.deref()
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
    return this.strongReceiver ?? this.weakHold?.receiver.deref()
  }

  /** Why this connection is known to be dead, or undefined while it is alive. */
  get deathReason(): DisconnectReason | undefined {
    const hold = this.weakHold
    if (hold !== undefined) {
      if (hold.owner !== undefined && hold.owner.deref() === undefined) return 'owner-collected'
      if (this.strongReceiver === undefined && hold.receiver.deref() === undefined) return 'collected'
    }
    const senderRef = this.group?.senderRef
    if (senderRef !== undefined && senderRef.deref() === undefined) return 'sender-collected'
    return undefined
  }

  /**
   * Stores `receiver` the way the options ask: strongly by default, through a WeakRef for `weak`,
   * and in the owner's ephemeron for `owner`. The record must not hold it yet (a new record, or
   * one passed through {@link ConnectionRecord.release}). `group` is the record's group (see the class).
   */
  hold(group: SenderGroup, receiver: ReceiverFunction, weak: boolean, owner: object | undefined): void {
    if (!weak && owner === undefined) {
      this.strongReceiver = receiver
      const details = ConnectionRecord.#details(this)
      if (details !== undefined) {
        details.weakHold = undefined
        details.flags &= ~WEAK
      }
      return
    }
    this.strongReceiver = undefined
    const details = ConnectionRecord.#detailsIn(this, group)
    details.flags = weak ? details.flags | WEAK : details.flags & ~WEAK
    const hold = new WeakHold(new WeakRef(receiver), owner === undefined ? undefined : new WeakRef(owner))
    details.weakHold = hold
    if (weak) group.host.receiverFinalizer.register(receiver, this, this)
    if (owner === undefined) return
    const entries = ownerEntries()
    let entry = entries.get(owner)
    if (entry === undefined) {
      entry = { records: new Set(), receivers: new Map() }
      entries.set(owner, entry)
      ownerFinalizer().register(owner, entry.records, entry.records)
    }
    entry.records.add(this)
    if (!weak) entry.receivers.set(this, receiver)
    hold.ownerRecords = entry.records
  }

  /**
   * Undoes {@link ConnectionRecord.hold}'s registrations when a connection ends (or changes its
   * options), so that a late finalization can never end a connection made again meanwhile, and
   * an owner whose connections all ended leaves nothing behind.
   */
  release(): void {
    const details = ConnectionRecord.#details(this)
    const hold = details?.weakHold
    if (this.strongReceiver !== undefined || details === undefined || hold === undefined) return
    details.group.host.receiverFinalizer.unregister(this)
    const records = hold.ownerRecords
    if (records === undefined) return
    hold.ownerRecords = undefined
    records.delete(this)
    const owner = hold.owner?.deref()
    if (owner === undefined) return
    const entries = ownerEntries()
    const entry = entries.get(owner)
    if (entry === undefined || entry.records !== records) return
    entry.receivers.delete(this)
    if (records.size === 0) {
      entries.delete(owner)
      ownerFinalizer().unregister(records)
    }
  }
}

/** @internal Whether `a` is called before `b`: higher priority first, then earlier connection. */
function callsBefore(a: ConnectionRecord, b: ConnectionRecord): boolean {
  return a.priority > b.priority || (a.priority === b.priority && a.order < b.order)
}

const NO_RECORDS: readonly ConnectionRecord[] = /*#__PURE__*/ Object.freeze([])

/** Up to this many connections, a group finds a receiver's connection by scanning its list. */
const LOOKUP_MAP_THRESHOLD = 32

/**
 * Up to this many connections, a group's list grows by copies of exact length; from there on by
 * push, as V8 grows it (by half plus 16: the same capacities as from an empty array).
 */
const EXACT_LENGTH_LIMIT = 16

/** A group compacts its list once it has more vacated slots than this and than live connections. */
const COMPACT_MIN_VACATED = 16

/** A large group's connections by receiver (see SenderGroup.recordOf). */
class ReceiverLookup {
  readonly strong = new Map<ReceiverFunction, ConnectionRecord>()
  /**
   * The same for weakly held receivers (`weak`, `owner`), with weak keys so that it cannot keep
   * them alive; created when the group has such a connection.
   */
  weak: WeakMap<ReceiverFunction, ConnectionRecord> | undefined = undefined
}

/**
 * @internal The connections of one signal for one sender (or for ANY).
 * Holds no reference to an object sender, so a signal never keeps a sender alive.
 *
 * Removal is O(1): a removed connection's slot in `list` is overwritten with the {@link VACATED}
 * placeholder (never connected, holding nothing), even in a list a send is walking, which skips it
 * as it skips any ended connection. The list is compacted once vacated slots outnumber live ones,
 * so disconnecting n receivers one by one costs O(n), not O(n²) shifting or copying.
 */
export class SenderGroup {
  /**
   * Each receiver's connection, once the group is large enough for a scan of `list` to cost more
   * than a map (most groups hold one or two connections and never get one).
   */
  #lookup: ReceiverLookup | undefined = undefined
  /** How many connections in `list` hold their receiver weakly (`weak` or `owner`). */
  heldWeaklyCount = 0
  /** How many live connections `list` holds (its length counts vacated slots too). */
  size = 0
  /** How many slots of `list` are {@link VACATED}. */
  #vacated = 0
  /**
   * How many records `list` takes without V8 growing it, as far as this group knows: the room
   * removals at its end left in an array copied at its exact length (see EXACT_LENGTH_LIMIT). A hint:
   * when wrong, a push grows the array as it would have anyway.
   */
  #room = 0
  /**
   * This group's connections in call order, with vacated slots (copy-on-write for additions once
   * shared, see `listShared`). Each record's `slot` is its index here.
   */
  list: readonly ConnectionRecord[] = NO_RECORDS
  /**
   * Whether `list` is shared with a send (it was handed out as a plan): then nothing is inserted
   * into it or moved in it again, and additions build a new array. Cleared when a new array replaces it.
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
    /** What the group's records report to: its signal's unlink and notify, and the table's registry. */
    readonly host: ConnectionHost,
    /**
     * The sender this group is for when it is a primitive or ANY, or a WeakRef to its object sender
     * (one field for both: every field costs each signal 8 bytes).
     */
    readonly senderKey: unknown,
  ) {}

  /** The object sender this group is for, held weakly; undefined for a primitive sender or ANY. */
  get senderRef(): WeakRef<object> | undefined {
    const key = this.senderKey
    return key instanceof WeakRef ? key : undefined
  }

  get sender(): unknown {
    const key = this.senderKey
    return key instanceof WeakRef ? key.deref() : key
  }

  /** The connection of `receiver` in this group, if it has one. */
  recordOf(receiver: ReceiverFunction): ConnectionRecord | undefined {
    const list = this.list
    if (this.#lookup === undefined && list.length > LOOKUP_MAP_THRESHOLD) {
      this.#lookup = new ReceiverLookup()
      for (const record of list) this.index(record)
    }
    const lookup = this.#lookup
    if (lookup !== undefined) {
      const strong = lookup.strong.get(receiver)
      if (strong !== undefined || this.heldWeaklyCount === 0) return strong
      return lookup.weak?.get(receiver)
    }
    // Newest first: a receiver is most often looked up right after it was connected (a disconnect
    // in the same component, a reconnect with new options).
    for (let i = list.length - 1; i >= 0; i--) {
      const record = list[i] as ConnectionRecord
      if (
        record.strongReceiver === receiver ||
        (record.strongReceiver === undefined && record.storedReceiver === receiver)
      )
        return record
    }
    return undefined
  }

  /** Places a new record in call order; it is connected from then on (it has a slot). */
  add(record: ConnectionRecord): void {
    this.size++
    const list = this.list
    const last = list[list.length - 1]
    if (!this.listShared && list !== NO_RECORDS && (last === undefined || !callsBefore(record, last))) {
      // Nobody walks this array: append in place (the common case: no priority above the last one's).
      // The last slot is never vacated in an unshared list (see remove), so `last` is a live one.
      record.slot = list.length
      if (this.#room > 0 || list.length >= EXACT_LENGTH_LIMIT) {
        ;(list as ConnectionRecord[]).push(record)
        if (this.#room > 0) this.#room--
      } else {
        // A short list without room is copied at its exact length: a push would give it room for
        // 16 more (V8 grows an array by half plus 16), a third of what a signal of 10 connections
        // keeps. (concat of an array: the only copy of another length that stays a packed array.)
        this.list = list.concat([record])
      }
    } else {
      SenderGroup.#replaceList(this, insertInCallOrder(list, record))
    }
    this.index(record)
  }

  remove(record: ConnectionRecord): void {
    this.unindex(record)
    this.size--
    const list = this.list as ConnectionRecord[]
    let slot = record.slot
    if (list[slot] !== record) slot = list.indexOf(record)
    record.slot = -1
    if (slot === -1) return
    if (this.size === 0) {
      // The last one: start from an empty list (a send walking the old one skips the ended record).
      this.#vacated = 0
      if (this.listShared) SenderGroup.#replaceList(this, NO_RECORDS.slice())
      else list.length = 0 // V8 drops the array's storage: no room left
      this.#room = 0
      return
    }
    if (!this.listShared && slot === list.length - 1) {
      // Unshared and last: drop it, and any vacated slots before it, so the last slot stays live.
      list.pop()
      this.#room++
      while (list.length > 0 && list[list.length - 1] === VACATED) {
        list.pop()
        this.#room++
        this.#vacated--
      }
      return
    }
    // A send walking a shared list skips a vacated slot as it would skip the ended record.
    list[slot] = VACATED
    if (++this.#vacated > COMPACT_MIN_VACATED && this.#vacated > this.size) this.compact()
  }

  /** Drops vacated slots: in place when no send walks the list, into a new array otherwise. */
  compact(): void {
    if (this.#vacated === 0) return
    if (this.listShared) {
      SenderGroup.#replaceList(this, this.list.filter(isConnected))
      return
    }
    const list = this.list as ConnectionRecord[]
    let kept = 0
    for (let i = 0; i < list.length; i++) {
      const record = list[i] as ConnectionRecord
      if (record === VACATED) continue
      record.slot = kept
      list[kept++] = record
    }
    this.#room = kept === 0 ? 0 : this.#room + list.length - kept
    list.length = kept
    this.#vacated = 0
  }

  /** Marks `plan` as shared with a send: if it is this group's list, the list is copied before it changes. */
  share(plan: readonly ConnectionRecord[]): void {
    if (plan === this.list) this.listShared = true
  }

  /** Replaces `list` with a new array holding no vacated slot. */
  // Static: a private instance method would give every group a brand field, 8 bytes more each.
  static #replaceList(group: SenderGroup, list: ConnectionRecord[]): void {
    for (let i = 0; i < list.length; i++) (list[i] as ConnectionRecord).slot = i
    group.list = list
    group.listShared = false
    group.#vacated = 0
    group.#room = 0
  }

  /** Adds `record` to the lookup by receiver, when the group has one. */
  index(record: ConnectionRecord): void {
    const lookup = this.#lookup
    if (lookup === undefined || !record.connected) return
    const strong = record.strongReceiver
    if (strong !== undefined) {
      lookup.strong.set(strong, record)
      return
    }
    const stored = record.storedReceiver
    if (stored !== undefined) (lookup.weak ??= new WeakMap()).set(stored, record)
  }

  /** Removes `record` from the lookup by receiver, before its receiver's hold changes. */
  unindex(record: ConnectionRecord): void {
    const strong = record.strongReceiver
    if (strong !== undefined) {
      const lookup = this.#lookup
      if (lookup?.strong.get(strong) === record) lookup.strong.delete(strong)
      return
    }
    const weak = this.#lookup?.weak
    if (weak === undefined) return
    const stored = record.storedReceiver
    if (stored !== undefined && weak.get(stored) === record) weak.delete(stored)
  }

  /** Whether a send for this group's sender would find a live connection here. */
  hasLiveConnection(): boolean {
    if (this.heldWeaklyCount === 0) return this.size > 0
    for (const record of this.list) if (record.connected && record.receiver !== undefined) return true
    return false
  }

  /** Puts `record` back in its place after its priority changed. */
  reorder(record: ConnectionRecord): void {
    SenderGroup.#replaceList(
      this,
      insertInCallOrder(
        this.list.filter((other) => other !== record),
        record,
      ),
    )
  }
}

/**
 * What a removed connection's slot in a group's list holds: a record that was never connected and
 * holds no receiver, so that everything walking a list skips it without a check of its own.
 */
const VACATED: ConnectionRecord = /*#__PURE__*/ vacatedRecord()

function vacatedRecord(): ConnectionRecord {
  // A plain record (no details) with no slot: never connected.
  const record = new ConnectionRecord(() => {}, undefined as never, true, 0, -1, false, false)
  record.strongReceiver = undefined
  return record
}

function isConnected(record: ConnectionRecord): boolean {
  return record.connected
}

/** A new array: `list` without its vacated slots, with `record` inserted in call order. */
function insertInCallOrder(list: readonly ConnectionRecord[], record: ConnectionRecord): ConnectionRecord[] {
  const live = list.filter(isConnected)
  let index = live.length
  while (index > 0 && callsBefore(record, live[index - 1] as ConnectionRecord)) index--
  live.splice(index, 0, record)
  return live
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
    // Vacated slots (see SenderGroup) are left out of the merged plan.
    if (fromAny !== undefined && !fromAny.connected) {
      a++
      continue
    }
    if (fromOwn !== undefined && !fromOwn.connected) {
      b++
      continue
    }
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

let ownerRegistry: FinalizationRegistry<Set<ConnectionRecord>> | undefined

/** Ends an owner's connections when it is collected; created on first use (nothing is done at import). */
function ownerFinalizer(): FinalizationRegistry<Set<ConnectionRecord>> {
  return (ownerRegistry ??= new FinalizationRegistry((records) => endLater([...records], 'owner-collected')))
}

/** @internal Ends connections from a finalization callback, where no caller could catch an error. */
export function endLater(records: ConnectionRecord[], reason: DisconnectReason): void {
  try {
    endConnections(records, reason, true)
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
 * the other reports still happen and the first error is thrown at the end. A plain ANY record does
 * not know its host (see ConnectionRecord): `host` is the one of such records, which only the table
 * they belong to passes (records of several signals, an owner's, all know theirs).
 */
export function endConnections(
  records: readonly ConnectionRecord[],
  reason: DisconnectReason,
  fromFinalizer = false,
  host?: ConnectionHost,
): number {
  const ended = records.filter((record) => record.connected && hostOf(record, host).unlinkConnection(record))
  let failure: { readonly error: unknown } | undefined
  for (const record of ended) {
    try {
      hostOf(record, host).notifyDisconnected(record, reason)
    } catch (error) {
      // Published when no caller will be given it: every one from a finalizer (they surface only as
      // uncaught errors), every one after the first otherwise (the first is thrown).
      if (fromFinalizer || failure !== undefined)
        hostOf(record, host).lostError(record, error, fromFinalizer ? 'finalizer' : 'disconnect')
      failure ??= { error }
    }
  }
  if (failure !== undefined) throw failure.error
  return ended.length
}

function hostOf(record: ConnectionRecord, host: ConnectionHost | undefined): ConnectionHost {
  return (record.host ?? host) as ConnectionHost
}
