// The bookkeeping behind a signal: connections grouped by sender, each group kept in call order.
//
// Every group's list is copy-on-write once a send has seen it: a send walks the array it started with
// while receivers connect and disconnect (snapshot semantics) without copying anything per send.
// Until a send has been handed the array (`listLent`), connect and disconnect change it in place, so
// connecting n receivers in a row costs O(n), not O(n²) copying.

import { ANY } from './any'
import { endGroupOfCollectedSender } from './lifetimes'
import type { DisconnectReason } from './types'

/** @internal A receiver function as stored; its parameter types are the signal's business. */
export type ReceiverFunction = (sender: never, payload: never) => unknown

/**
 * @internal What a signal lends its connection records so that code outside the class (owner
 * disposal, finalization callbacks) can end a connection: unlink it, then report it.
 */
export interface ConnectionHost {
  /** Removes the connection from the bookkeeping; false if it was already removed. */
  unlink(record: ConnectionRecord): boolean
  /** Sends receiverDisconnected for a connection `unlink` removed. */
  notify(record: ConnectionRecord, reason: DisconnectReason): void
  /**
   * The signal's own registry for weakly held receivers (see src/lifetimes.ts): a process-wide one
   * would hold the record, and so the signal, for as long as a long-lived receiver lives.
   */
  readonly receiverFinalizer: FinalizationRegistry<ConnectionRecord>
}

/** @internal One receiver connected to one signal for one sender, with its options. */
export class ConnectionRecord {
  /** False once removed; a removed record is never connected again (a new connect makes a new one). */
  connected = true
  /** The abort signal that disconnects this connection, and the listener registered on it. */
  abortSignal: AbortSignal | undefined = undefined
  onAbort: (() => void) | undefined = undefined
  /**
   * The receiver, held strongly; undefined when the connection holds it weakly (`weak`, `owner`),
   * and then `weakReceiver` has it. See src/lifetimes.ts.
   */
  strongReceiver: ReceiverFunction | undefined
  weakReceiver: WeakRef<ReceiverFunction> | undefined = undefined
  /** The owner of an owner-scoped connection, held weakly. */
  ownerRef: WeakRef<object> | undefined = undefined
  /** The connections of the same owner (shared by them), for `disconnectOwner`. */
  ownerRecords: Set<ConnectionRecord> | undefined = undefined

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
   * Whether the connection ends when its receiver or owner is collected (`weak`, `owner`): such
   * connections are checked whenever the signal counts or lists its connections.
   */
  get isMortal(): boolean {
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
}

/** @internal Whether `a` is called before `b`: higher priority first, then earlier connection. */
export function callsBefore(a: ConnectionRecord, b: ConnectionRecord): boolean {
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
  weakCount = 0
  /** This group's connections in call order (copy-on-write once lent, see `listLent`). */
  list: readonly ConnectionRecord[] = NO_RECORDS
  /**
   * Whether `list` may be walked by a send (it was handed out as a plan): then it is never changed
   * again and changes build a new array. Cleared when a new array replaces it.
   */
  listLent = false
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
    /** The primitive sender or ANY this group is for; undefined for an object sender. */
    readonly primitiveKey: unknown,
    /** The object sender this group is for, held weakly; undefined otherwise. */
    readonly senderRef: WeakRef<object> | undefined,
  ) {}

  get sender(): unknown {
    return this.senderRef === undefined ? this.primitiveKey : this.senderRef.deref()
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
      if (strong !== undefined || this.weakCount === 0) return strong
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
    if (!this.listLent && list !== NO_RECORDS && (last === undefined || !callsBefore(record, last))) {
      // Nobody walks this array: append in place (the common case: no priority above the last one's).
      ;(list as ConnectionRecord[]).push(record)
    } else {
      this.#replaceList(insertInCallOrder(list, record))
    }
  }

  remove(record: ConnectionRecord): void {
    this.unindex(record)
    const list = this.list
    if (this.listLent) {
      this.#replaceList(list.filter((other) => other !== record))
    } else {
      const index = list.indexOf(record)
      if (index !== -1) (list as ConnectionRecord[]).splice(index, 1)
    }
  }

  /** Marks `plan` as walked by a send: if it is this group's list, the list is copied before it changes. */
  lend(plan: readonly ConnectionRecord[]): void {
    if (plan === this.list) this.listLent = true
  }

  #replaceList(list: ConnectionRecord[]): void {
    this.list = list
    this.listLent = false
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
    if (this.weakCount === 0) return this.list.length > 0
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

// Map keys compare with SameValueZero, senders with Object.is: -0 gets a key of its own.
const NEGATIVE_ZERO_KEY = Symbol('-0')

function isObjectSender(sender: unknown): sender is object {
  return (typeof sender === 'object' && sender !== null) || typeof sender === 'function'
}

function primitiveKeyOf(sender: unknown): unknown {
  return sender === 0 && 1 / (sender as number) < 0 ? NEGATIVE_ZERO_KEY : sender
}

/**
 * @internal Sender groups of one signal: ANY, primitives by value (a Map), objects by identity
 * (a WeakMap, so a sender object is never kept alive by a signal it was connected for).
 */
export class SenderIndex {
  readonly any = new SenderGroup(ANY, undefined)
  /** Connections for a specific sender; when 0, every send calls just the ANY group. */
  specificCount = 0
  readonly #primitives = new Map<unknown, SenderGroup>()
  readonly #objects = new WeakMap<object, SenderGroup>()
  #senderFinalizer: FinalizationRegistry<SenderGroup> | undefined

  get(sender: unknown): SenderGroup | undefined {
    if (sender === ANY) return this.any
    if (isObjectSender(sender)) return this.#objects.get(sender)
    return this.#primitives.get(primitiveKeyOf(sender))
  }

  getOrCreate(sender: unknown): SenderGroup {
    const existing = this.get(sender)
    if (existing !== undefined) return existing
    if (isObjectSender(sender)) {
      const group = new SenderGroup(undefined, new WeakRef(sender))
      this.#objects.set(sender, group)
      // This index's own registry, not a process-wide one: a registry holds its held values (the
      // group, its records, their signal) while the sender lives, and a long-lived sender would
      // then keep a dropped signal alive. A registry nobody references is collected with them.
      this.#senderFinalizer ??= new FinalizationRegistry(endGroupOfCollectedSender)
      this.#senderFinalizer.register(sender, group)
      return group
    }
    const key = primitiveKeyOf(sender)
    const group = new SenderGroup(sender, undefined)
    this.#primitives.set(key, group)
    return group
  }

  /** The groups of primitive senders, for `Namespace.inspect()`. */
  primitiveGroups(): IterableIterator<SenderGroup> {
    return this.#primitives.values()
  }

  /**
   * Forgets an emptied group of a primitive sender, so dynamic senders cannot grow the index. The
   * group of an object sender stays until that object is collected (it is reused if the sender
   * connects again), and goes with it: its size is bounded by the live senders.
   */
  forgetIfEmpty(group: SenderGroup): void {
    if (group.list.length > 0 || group === this.any || group.senderRef !== undefined) return
    const key = primitiveKeyOf(group.primitiveKey)
    if (this.#primitives.get(key) === group) this.#primitives.delete(key)
  }
}
