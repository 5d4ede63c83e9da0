// The sender-specific connections of each receiver on one signal, for `disconnect(receiver)` without
// a sender (a receiver has at most one connection per sender; ANY connections are found in the ANY
// group, so that a signal with only ANY connections keeps nothing here).
//
// Most receivers have one connection per signal, so the entry is that record itself; a Map by sender
// group is made only for a receiver connected for several senders. Keys are held weakly, so that a
// weakly held receiver can still be collected.

import { ConnectionRecord, type ReceiverFunction, type SenderGroup } from './connections'

/** @internal */
export class ReceiverIndex {
  readonly #entries = new WeakMap<ReceiverFunction, ConnectionRecord | Map<SenderGroup, ConnectionRecord>>()

  add(receiver: ReceiverFunction, record: ConnectionRecord): void {
    const entry = this.#entries.get(receiver)
    if (entry === undefined) {
      this.#entries.set(receiver, record)
    } else if (entry instanceof ConnectionRecord) {
      this.#entries.set(
        receiver,
        new Map([
          [groupOf(entry), entry],
          [groupOf(record), record],
        ]),
      )
    } else {
      entry.set(groupOf(record), record)
    }
  }

  delete(receiver: ReceiverFunction, record: ConnectionRecord): void {
    const entry = this.#entries.get(receiver)
    if (entry === record) {
      this.#entries.delete(receiver)
    } else if (
      entry !== undefined &&
      !(entry instanceof ConnectionRecord) &&
      entry.get(groupOf(record)) === record
    ) {
      entry.delete(groupOf(record))
      if (entry.size === 0) this.#entries.delete(receiver)
    }
  }

  /** The receiver's connections: one record, a snapshot array of several, or undefined for none. */
  get(receiver: ReceiverFunction): ConnectionRecord | readonly ConnectionRecord[] | undefined {
    const entry = this.#entries.get(receiver)
    return entry === undefined || entry instanceof ConnectionRecord ? entry : [...entry.values()]
  }
}

/** The group of a sender-specific record: only records of the ANY group leave theirs unnamed. */
function groupOf(record: ConnectionRecord): SenderGroup {
  return record.group as SenderGroup
}
