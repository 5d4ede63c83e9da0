// `disconnectOwner(owner)`: ends an owner's connections on every signal at once. How connections
// hold their receivers, owners and senders is described in ./connections.ts; the finalizers that
// end them on collection are registered by ./connections.ts (owners) and ./table.ts (weakly held
// receivers, object senders).

import { invalidArgument } from '../shared/validate'
import { isObjectLike } from '../shared/guards'
import { endConnections, ownerEntries } from './connections'

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
  if (!isObjectLike(owner)) throw invalidArgument('disconnectOwner', 'an object or function as owner', owner)
  const entry = ownerEntries().get(owner)
  if (entry === undefined) return 0
  return endConnections([...entry.records], 'owner-disposed')
}
