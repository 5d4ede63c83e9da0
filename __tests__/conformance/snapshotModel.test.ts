// Connects, disconnects and sends, also from inside receivers and nested sends, checked against a
// model of the documented semantics: receivers run by priority then connection order, at most once
// per send; a send calls the connections it started with, minus those removed during it. The
// bookkeeping changes arrays in place until a send has been handed one, and copies them after that;
// these sequences exercise both, and every mix of the two.
import fc from 'fast-check'
import { ANY, Signal } from 'signalry'

type SenderKey = 'a' | 'b' | typeof ANY
type Action =
  | { kind: 'connect'; id: number; sender: SenderKey; priority: number }
  | { kind: 'disconnect'; id: number; sender: SenderKey | undefined }
  | { kind: 'send'; sender: 'a' | 'b' }

const RECEIVERS = 4
const MAX_NESTING = 2

const senderArb = fc.constantFrom<SenderKey>('a', 'b', ANY)
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant('connect' as const),
    id: fc.nat(RECEIVERS - 1),
    sender: senderArb,
    // Mostly equal priorities (appending), sometimes a higher one (inserting, reordering).
    priority: fc.constantFrom(0, 0, 0, 1, 2),
  }),
  fc.record({
    kind: fc.constant('disconnect' as const),
    id: fc.nat(RECEIVERS - 1),
    sender: fc.option(senderArb, { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('send' as const), sender: fc.constantFrom<'a' | 'b'>('a', 'b') }),
)

interface ModelRecord {
  id: number
  sender: SenderKey
  priority: number
  order: number
  connected: boolean
}

/** The documented semantics, written as plainly as possible. */
class Model {
  records: ModelRecord[] = []
  nextOrder = 0
  calls: string[] = []
  depth = 0

  constructor(readonly scripts: readonly (readonly Action[])[]) {}

  run(action: Action): void {
    if (action.kind === 'connect') {
      const existing = this.records.find((r) => r.id === action.id && r.sender === action.sender)
      if (existing !== undefined) existing.priority = action.priority
      else this.records.push({ ...action, order: this.nextOrder++, connected: true })
    } else if (action.kind === 'disconnect') {
      for (const record of this.records) {
        if (record.id === action.id && (action.sender === undefined || record.sender === action.sender))
          record.connected = false
      }
      this.records = this.records.filter((r) => r.connected)
    } else if (this.depth < MAX_NESTING) {
      this.send(action.sender)
    }
  }

  plan(sender: 'a' | 'b'): ModelRecord[] {
    return this.records
      .filter((r) => r.sender === ANY || r.sender === sender)
      .sort((x, y) => y.priority - x.priority || x.order - y.order)
  }

  send(sender: 'a' | 'b'): void {
    const called = new Set<number>()
    this.depth++
    for (const record of this.plan(sender)) {
      if (!record.connected || called.has(record.id)) continue
      called.add(record.id)
      this.calls.push(`${record.id}@${this.depth}`)
      for (const action of this.scripts[record.id] ?? []) this.run(action)
    }
    this.depth--
  }

  receiversFor(sender: 'a' | 'b'): number[] {
    return [...new Set(this.plan(sender).map((r) => r.id))]
  }
}

function runReal(
  scripts: readonly (readonly Action[])[],
  actions: readonly Action[],
): { calls: string[]; receivers: number[][] } {
  const sig = new Signal<void, string>()
  const calls: string[] = []
  let depth = 0
  const run = (action: Action): void => {
    if (action.kind === 'connect') {
      sig.connect(receivers[action.id] as () => void, { sender: action.sender, priority: action.priority })
    } else if (action.kind === 'disconnect') {
      const receiver = receivers[action.id] as () => void
      if (action.sender === undefined) sig.disconnect(receiver)
      else sig.disconnect(receiver, { sender: action.sender })
    } else if (depth < MAX_NESTING) {
      depth++
      try {
        sig.emit(action.sender)
      } finally {
        depth--
      }
    }
  }
  const receivers = Array.from({ length: RECEIVERS }, (_, id) => () => {
    calls.push(`${id}@${depth}`)
    for (const action of scripts[id] ?? []) run(action)
  })
  for (const action of actions) run(action)
  const ids = (sender: 'a' | 'b'): number[] =>
    sig.receiversFor(sender).map((r) => receivers.indexOf(r as () => void))
  return { calls, receivers: [ids('a'), ids('b')] }
}

test('connects, disconnects and sends, also during sends, call exactly what the documented semantics say', () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(actionArb, { maxLength: 3 }), { minLength: RECEIVERS, maxLength: RECEIVERS }),
      fc.array(actionArb, { maxLength: 30 }),
      (scripts, actions) => {
        const model = new Model(scripts)
        for (const action of actions) model.run(action)
        const real = runReal(scripts, actions)
        expect(real.calls).toEqual(model.calls)
        expect(real.receivers).toEqual([model.receiversFor('a'), model.receiversFor('b')])
      },
    ),
    { numRuns: 400 },
  )
})

test('a send started before many receivers were connected in a row calls none of them', () => {
  const sig = new Signal()
  const calls: number[] = []
  sig.connect(() => {
    // The list was handed to this send: these connects must not show up in it.
    for (let k = 0; k < 50; k++) sig.connect(() => calls.push(k))
  })
  sig.emit()
  expect(calls).toEqual([])
  sig.emit()
  expect(calls).toHaveLength(50)
})

test('receivers connected in a row before any send, then disconnected during one, are skipped by it', () => {
  const sig = new Signal()
  const calls: number[] = []
  const later = Array.from({ length: 5 }, (_, k) => () => calls.push(k))
  sig.connect(() => {
    for (const receiver of later) sig.disconnect(receiver)
  })
  for (const receiver of later) sig.connect(receiver)
  sig.emit()
  expect(calls).toEqual([])
  expect(sig.receiverCount).toBe(1)
})
