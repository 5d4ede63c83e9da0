// A reference model of a signal's semantics (README "Semantics", docs/choices.md),
// written as plainly as possible: one list of connection records in connection order, scanned and
// sorted on every send. No indexes, no caches, no copy-on-write: if the real Signal and this model
// disagree, one of them is wrong, and this one is short enough to check by reading.
//
// It implements only valid input (bad input is covered by badInput*.test.ts). Lifetimes are modelled
// deterministically: `owner` and `disconnectOwner`; `weak` changes nothing while the receiver lives
// (garbage collection itself is covered by lifetimes.test.ts). Async sends are modelled for one send
// at a time.

import { ANY } from 'signalry'

type Fn = (sender: any, payload: any) => unknown

interface ModelRecord {
  /** Changes only when a connect with the same key and sender replaces it. */
  receiver: Fn
  readonly sender: unknown
  /** Connection order: unique, increasing. */
  readonly order: number
  priority: number
  once: boolean
  abortSignal: AbortSignal | undefined
  /** When the record started listening to `abortSignal`: abort removes records in this order. */
  listenOrder: number
  owner: object | undefined
  /** When the record was (re)connected with its owner: disconnectOwner ends records in this order. */
  ownerOrder: number
  live: boolean
  isAsync: boolean
  /** The dispatch key, or undefined. */
  key: unknown
}

interface ModelOptions {
  sender: unknown
  once: boolean
  priority: number
  signal: AbortSignal | undefined
  owner: object | undefined
  key: unknown
}

/** The error the model throws where the library throws an AsyncReceiverError (compared by name). */
export class ModelAsyncReceiverError extends Error {
  override name = 'AsyncReceiverError'
}

/** A meta-signal in the model: a plain list of listeners called in order; the first throw stops it. */
class ModelMetaSignal {
  readonly listeners: Fn[] = []
  connect(listener: Fn): Fn {
    this.listeners.push(listener)
    return listener
  }
  emit(sender: unknown, info: unknown): void {
    for (const listener of [...this.listeners]) listener(sender, info)
  }
}

function resolve(options: Partial<ModelOptions> | undefined): ModelOptions {
  return {
    sender: options !== undefined && 'sender' in options ? options.sender : ANY,
    once: options?.once ?? false,
    priority: (options?.priority ?? 0) + 0, // -0 is reported as 0
    signal: options?.signal,
    owner: options?.owner,
    key: options?.key,
  }
}

/** Whether a connection for `connectedFor` is called by a send with `sender`. */
function matches(connectedFor: unknown, sender: unknown): boolean {
  return connectedFor === ANY || Object.is(connectedFor, sender)
}

function callOrder(a: ModelRecord, b: ModelRecord): number {
  return b.priority - a.priority || a.order - b.order
}

export class ModelSignal {
  /** Every live connection, in connection order. */
  records: ModelRecord[] = []
  #nextOrder = 0
  #nextListen = 0
  #nextOwned = 0
  #mutedDepth = 0
  readonly #watched = new Set<AbortSignal>()
  readonly receiverConnected = new ModelMetaSignal()
  readonly receiverDisconnected = new ModelMetaSignal()

  get receiverCount(): number {
    return this.records.length
  }

  get isMuted(): boolean {
    return this.#mutedDepth > 0
  }

  connect(receiver: Fn, options?: Partial<ModelOptions>): Fn {
    this.#connect(receiver, resolve(options))
    return receiver
  }

  connectVia(sender?: unknown, options?: Partial<ModelOptions>): (receiver: Fn) => Fn {
    const resolved = { ...resolve(options), sender: arguments.length === 0 ? ANY : sender }
    return (receiver) => {
      this.#connect(receiver, resolved)
      return receiver
    }
  }

  connectedTo(receiver: Fn, optionsOrBody?: unknown, maybeBody?: unknown): unknown {
    const bodyOnly = arguments.length === 2 && typeof optionsOrBody === 'function'
    const bodyGiven = bodyOnly || arguments.length > 2
    const body = (bodyOnly ? optionsOrBody : maybeBody) as () => unknown
    const options = resolve(bodyOnly ? undefined : (optionsOrBody as Partial<ModelOptions> | undefined))
    const existing = this.#find(receiver, options.sender)
    const keyedBy = (): ModelRecord | undefined =>
      this.records.find((record) => record.key === options.key && Object.is(record.sender, options.sender))
    // A key in use for this sender: the scope's receiver replaces that connection for the scope,
    // and the receiver it replaced is connected again, with its options, when the scope ends.
    const keyed = existing === undefined && options.key !== undefined ? keyedBy() : undefined
    const previous =
      keyed === undefined
        ? undefined
        : {
            receiver: keyed.receiver,
            options: {
              sender: keyed.sender,
              once: keyed.once,
              priority: keyed.priority,
              signal: keyed.abortSignal,
              owner: keyed.owner,
              key: keyed.key,
            },
          }
    const made = existing === undefined ? this.#connect(receiver, options) : undefined
    const swapped = (): ModelRecord | undefined => {
      const current = keyedBy()
      return current?.receiver === receiver ? current : undefined
    }
    const end = (reason: 'scope-ended' | 'disconnected'): boolean => {
      if (made !== undefined) return this.#remove(made, reason)
      if (previous === undefined || swapped() === undefined) return false
      this.#connect(previous.receiver, previous.options)
      return true
    }
    const connection = {
      get connected(): boolean {
        return keyed !== undefined ? swapped() !== undefined : (made ?? existing)?.live === true
      },
      disconnect: (): boolean => end('disconnected'),
      [Symbol.dispose]: (): void => {
        end('scope-ended')
      },
    }
    if (!bodyGiven) return connection
    let result: unknown
    try {
      result = body()
    } catch (error) {
      end('scope-ended')
      throw error
    }
    end('scope-ended')
    return result
  }

  disconnect(receiver: Fn | { key: unknown; sender?: unknown }, options?: { sender?: unknown }): boolean {
    if (typeof receiver !== 'function') {
      const selector = receiver
      const keyed = this.records.filter(
        (record) =>
          record.key === selector.key &&
          (!('sender' in selector) || Object.is(record.sender, selector.sender)),
      )
      return this.#endAll(keyed, 'disconnected') > 0
    }
    if (options !== undefined && 'sender' in options) {
      const record = this.#find(receiver, options.sender)
      return record !== undefined && this.#remove(record, 'disconnected')
    }
    return (
      this.#endAll(
        this.records.filter((record) => record.receiver === receiver),
        'disconnected',
      ) > 0
    )
  }

  /** Ends every connection, or those for one sender (ANY: those for ANY), in connection order. */
  disconnectAll(options?: { sender?: unknown }): number {
    const hasSender = options !== undefined && 'sender' in options
    return this.#endAll(
      this.records.filter((record) => !hasSender || Object.is(record.sender, options.sender)),
      'disconnected',
    )
  }

  /** Ends every connection made with `owner` (the model's disconnectOwner, for this signal). */
  disconnectOwner(owner: object): number {
    const owned = this.records.filter((record) => record.owner === owner)
    return this.#endAll(
      owned.sort((a, b) => a.ownerOrder - b.ownerOrder),
      'owner-disposed',
    )
  }

  /**
   * Ends several connections at once: every one is removed first, then each removal is reported;
   * a report that throws does not stop the others, and the first error is thrown at the end.
   */
  #endAll(records: ModelRecord[], reason: string): number {
    for (const record of records) this.#unlink(record)
    let failure: { error: unknown } | undefined
    for (const record of records) {
      try {
        this.#report(record, reason)
      } catch (error) {
        failure ??= { error }
      }
    }
    if (failure !== undefined) throw failure.error
    return records.length
  }

  /** An async send: serial (call, await, next) or concurrent (call all, then await all). */
  async sendAsync(
    sender: unknown,
    payload: unknown,
    options?: { concurrency?: string },
  ): Promise<Array<[Fn, unknown]>> {
    const plan = this.#startAsync(sender)
    const results: Array<[Fn, unknown]> = []
    if (options?.concurrency !== 'concurrent') {
      for (const record of plan) {
        const receiver = this.#take(record)
        if (receiver !== undefined) results.push([receiver, await receiver(sender, payload)])
      }
      return results
    }
    // Every receiver is called, then all are awaited; the earliest failure in call order rejects.
    const called = this.#callAll(plan, sender, payload)
    const settled = await Promise.allSettled(called.map(([, result]) => result))
    settled.forEach((outcome, index) => {
      if (outcome.status === 'rejected') throw outcome.reason
      results.push([(called[index] as [Fn, unknown])[0], outcome.value])
    })
    return results
  }

  /** An async send that calls everyone and reports each outcome. */
  async sendAsyncRobust(
    sender: unknown,
    payload: unknown,
    options?: { concurrency?: string },
  ): Promise<Array<[Fn, PromiseSettledResult<unknown>]>> {
    const plan = this.#startAsync(sender)
    const results: Array<[Fn, PromiseSettledResult<unknown>]> = []
    if (options?.concurrency !== 'concurrent') {
      for (const record of plan) {
        const [called] = this.#callAll([record], sender, payload)
        if (called === undefined) continue
        const [outcome] = await Promise.allSettled([called[1]])
        results.push([called[0], outcome as PromiseSettledResult<unknown>])
      }
      return results
    }
    const called = this.#callAll(plan, sender, payload)
    const settled = await Promise.allSettled(called.map(([, result]) => result))
    settled.forEach((outcome, index) => results.push([(called[index] as [Fn, unknown])[0], outcome]))
    return results
  }

  /** Muted or no receiver: nothing to call. Async receivers are fine here. */
  #startAsync(sender: unknown): ModelRecord[] {
    this.#called = new Set()
    return this.#mutedDepth > 0 ? [] : this.#plan(sender)
  }

  /** Calls each record's receiver at once; a throw (or a failed take) becomes a rejected result. */
  #callAll(plan: ModelRecord[], sender: unknown, payload: unknown): Array<[Fn, unknown]> {
    const called: Array<[Fn, unknown]> = []
    for (const record of plan) {
      let receiver: Fn | undefined
      let result: unknown
      try {
        receiver = this.#take(record)
        if (receiver === undefined) continue
        result = receiver(sender, payload)
      } catch (error) {
        result = Promise.reject(error)
        receiver ??= record.receiver
      }
      called.push([receiver, result])
    }
    return called
  }

  #called = new Set<Fn>()

  /** The receiver to call for a planned record, or undefined to skip it; removes a `once` record first. */
  #take(record: ModelRecord): Fn | undefined {
    if (!record.live || this.#called.has(record.receiver)) return undefined
    this.#called.add(record.receiver)
    if (record.once) this.#remove(record, 'called-once')
    return record.receiver
  }

  send(sender?: unknown, payload?: unknown): Array<[Fn, unknown]> {
    const results: Array<[Fn, unknown]> = []
    this.#deliver(sender, (receiver) => {
      results.push([receiver, receiver(sender, payload)])
    })
    return results
  }

  emit(sender?: unknown, payload?: unknown): boolean {
    let ran = false
    this.#deliver(sender, (receiver) => {
      ran = true
      receiver(sender, payload)
    })
    return ran
  }

  sendRobust(sender?: unknown, payload?: unknown): Array<[Fn, PromiseSettledResult<unknown>]> {
    const results: Array<[Fn, PromiseSettledResult<unknown>]> = []
    this.#deliver(
      sender,
      (receiver) => {
        try {
          results.push([receiver, { status: 'fulfilled', value: receiver(sender, payload) }])
        } catch (reason) {
          // The receiver that was called, even if a keyed connect replaced it during its call.
          results.push([receiver, { status: 'rejected', reason }])
        }
      },
      (record, reason) => results.push([record.receiver, { status: 'rejected', reason }]),
    )
    return results
  }

  hasReceiversFor(sender: unknown): boolean {
    return this.records.some((record) => matches(record.sender, sender))
  }

  receiversFor(sender: unknown): Fn[] {
    const receivers: Fn[] = []
    for (const record of this.#plan(sender))
      if (!receivers.includes(record.receiver)) receivers.push(record.receiver)
    return receivers
  }

  muted(body?: () => unknown): unknown {
    this.#mutedDepth++
    let ended = false
    const end = (): void => {
      if (!ended) this.#mutedDepth--
      ended = true
    }
    if (arguments.length === 0) return { [Symbol.dispose]: end }
    let result: unknown
    try {
      result = (body as () => unknown)()
    } catch (error) {
      end()
      throw error
    }
    end()
    return result
  }

  /** The live connections a send with `sender` calls, in call order. */
  #plan(sender: unknown): ModelRecord[] {
    return this.records.filter((record) => matches(record.sender, sender)).sort(callOrder)
  }

  /**
   * One send: muted sends call nothing; the plan is fixed when the send starts; a record removed
   * meanwhile is skipped; a receiver is called once per send; `once` is removed before its call.
   * `onRemovalError` (sendRobust) catches an error thrown while reporting a `once` removal.
   */
  #deliver(
    sender: unknown,
    call: (receiver: Fn) => void,
    onRemovalError?: (record: ModelRecord, error: unknown) => void,
  ): void {
    if (this.#mutedDepth > 0) return
    const plan = this.#plan(sender)
    if (plan.some((record) => record.isAsync)) throw new ModelAsyncReceiverError('async receiver')
    const called = new Set<Fn>()
    for (const record of plan) {
      if (!record.live || called.has(record.receiver)) continue
      called.add(record.receiver)
      if (record.once) {
        try {
          this.#remove(record, 'called-once')
        } catch (error) {
          if (onRemovalError === undefined) throw error
          onRemovalError(record, error)
          continue
        }
      }
      call(record.receiver)
    }
  }

  #find(receiver: Fn, sender: unknown): ModelRecord | undefined {
    return this.records.find((record) => record.receiver === receiver && Object.is(record.sender, sender))
  }

  /** Returns the record if a new connection was made. */
  #connect(receiver: Fn, options: ModelOptions): ModelRecord | undefined {
    if (options.signal?.aborted === true) return undefined
    let record = this.#find(receiver, options.sender)
    const keyed =
      options.key === undefined
        ? undefined
        : this.records.find((other) => other.key === options.key && Object.is(other.sender, options.sender))
    // The replacement or the ended keyed connection is reported once the connect is done.
    let ended: ModelRecord | undefined
    if (keyed !== undefined && keyed !== record) {
      if (record === undefined) {
        // Same key and sender: a new connection takes the keyed one's place (its connection
        // order); the old one ends, so a send already running skips it and not calls the new one.
        const index = this.records.indexOf(keyed)
        this.#unlink(keyed)
        const replacement: ModelRecord = {
          ...keyed,
          receiver,
          live: true,
          abortSignal: undefined,
          listenOrder: -1,
          ownerOrder: -1,
        }
        replacement.isAsync = Object.prototype.toString.call(receiver) === '[object AsyncFunction]'
        this.records.splice(index, 0, replacement) // in connection order: where the old one was
        this.#applyOptions(replacement, options)
        this.#report(keyed, 'replaced')
        this.receiverConnected.emit(this, { receiver, sender: options.sender, options })
        return undefined
      }
      this.#unlink(keyed)
      ended = keyed
    }
    const isNew = record === undefined
    if (record === undefined) {
      record = {
        receiver,
        sender: options.sender,
        order: this.#nextOrder++,
        priority: options.priority,
        once: options.once,
        abortSignal: undefined,
        listenOrder: -1,
        owner: undefined,
        ownerOrder: -1,
        live: true,
        isAsync: Object.prototype.toString.call(receiver) === '[object AsyncFunction]',
        key: undefined,
      }
      this.records.push(record)
    } else {
      record.priority = options.priority
      record.once = options.once
      record.abortSignal = undefined
    }
    this.#applyOptions(record, options)
    if (ended !== undefined) this.#report(ended, 'replaced')
    try {
      this.receiverConnected.emit(this, { receiver, sender: options.sender, options })
    } catch (error) {
      if (isNew) this.#remove(record, 'connect-failed')
      throw error
    }
    return isNew ? record : undefined
  }

  /** The options every connect sets on its record (lifetime, abort, key), new or not. */
  #applyOptions(record: ModelRecord, options: ModelOptions): void {
    record.priority = options.priority
    record.once = options.once
    record.key = options.key
    record.owner = options.owner
    if (options.owner !== undefined) record.ownerOrder = this.#nextOwned++
    if (options.signal !== undefined) {
      record.abortSignal = options.signal
      record.listenOrder = this.#nextListen++
      this.#watch(options.signal)
    }
  }

  #watch(abortSignal: AbortSignal): void {
    if (this.#watched.has(abortSignal)) return
    this.#watched.add(abortSignal)
    abortSignal.addEventListener('abort', () => {
      const listening = this.records.filter((record) => record.abortSignal === abortSignal)
      for (const record of listening.sort((a, b) => a.listenOrder - b.listenOrder)) {
        if (record.abortSignal === abortSignal) this.#remove(record, 'aborted')
      }
    })
  }

  #remove(record: ModelRecord, reason: string): boolean {
    if (!this.#unlink(record)) return false
    this.#report(record, reason)
    return true
  }

  #unlink(record: ModelRecord): boolean {
    if (!record.live) return false
    record.live = false
    record.abortSignal = undefined
    this.records = this.records.filter((other) => other !== record)
    return true
  }

  #report(record: ModelRecord, reason: string): void {
    this.receiverDisconnected.emit(this, { receiver: record.receiver, sender: record.sender, reason })
  }
}
