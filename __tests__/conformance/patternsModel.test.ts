import fc from 'fast-check'
import { Namespace } from 'signalry'

// Random programs of signal creations, wildcard subscriptions (some with `once`), disconnects,
// direct connects and sends, run against a Namespace and against a model written here from the
// documented rules alone: a pattern is read as a regular expression ('*' every name; 'x.*' names
// that begin with 'x.' and go on; 'x*' names that begin with 'x'; otherwise the name itself), and a
// receiver takes its place in a signal's order when it connects to that signal — a subscription
// when it is made (existing signals) or when the signal is created (later ones, in subscription
// order). Every send must call the same receivers, in the same order, with the same names.

const NAMES = ['a', 'a.b', 'a.b.c', 'ab', 'b', 'b.a'] as const
const PATTERNS = ['*', 'a.*', 'a*', 'a.b', 'b.*', 'a.b.*', 'c*'] as const

type Step =
  | { kind: 'create'; name: string }
  | { kind: 'subscribe'; pattern: string; once: boolean }
  | { kind: 'connect'; name: string }
  | { kind: 'disconnect'; index: number }
  | { kind: 'send'; name: string }

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), name: fc.constantFrom(...NAMES) }),
  fc.record({
    kind: fc.constant('subscribe' as const),
    pattern: fc.constantFrom(...PATTERNS),
    once: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('connect' as const), name: fc.constantFrom(...NAMES) }),
  fc.record({ kind: fc.constant('disconnect' as const), index: fc.nat(10) }),
  fc.record({ kind: fc.constant('send' as const), name: fc.constantFrom(...NAMES) }),
)

function modelMatches(pattern: string, name: string): boolean {
  const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  if (pattern === '*') return true
  if (pattern.endsWith('.*')) return new RegExp(`^${escaped(pattern.slice(0, -1))}.+$`).test(name)
  if (pattern.endsWith('*')) return new RegExp(`^${escaped(pattern.slice(0, -1))}`).test(name)
  return pattern === name
}

interface ModelSubscription {
  readonly id: string
  readonly pattern: string
  readonly once: boolean
  live: boolean
}

function run(steps: readonly Step[]): void {
  const app = new Namespace()
  const calls: string[] = []
  const handles: Array<{ disconnect(): boolean }> = []

  // The model: subscriptions in the order made, and each signal's receivers in its call order.
  const subscriptions: ModelSubscription[] = []
  const order = new Map<string, string[]>()
  const expected: string[] = []

  steps.forEach((step, index) => {
    switch (step.kind) {
      case 'create': {
        app.signal(step.name)
        if (!order.has(step.name))
          order.set(
            step.name,
            subscriptions.filter((s) => s.live && modelMatches(s.pattern, step.name)).map((s) => s.id),
          )
        break
      }
      case 'subscribe': {
        const id = `w${index}`
        handles.push(
          app.connectMatching(step.pattern, (_, __, name) => void calls.push(`${id}@${String(name)}`), {
            once: step.once,
          }),
        )
        const subscription = { id, pattern: step.pattern, once: step.once, live: true }
        subscriptions.push(subscription)
        for (const [name, receivers] of order) if (modelMatches(step.pattern, name)) receivers.push(id)
        break
      }
      case 'connect': {
        const id = `d${index}`
        app.signal(step.name).connect(() => void calls.push(`${id}@${step.name}`))
        if (!order.has(step.name))
          order.set(
            step.name,
            subscriptions.filter((s) => s.live && modelMatches(s.pattern, step.name)).map((s) => s.id),
          )
        order.get(step.name)?.push(id)
        break
      }
      case 'disconnect': {
        const handle = handles[step.index]
        const subscription = subscriptions[step.index]
        if (handle === undefined || subscription === undefined) break
        expect(handle.disconnect()).toBe(subscription.live)
        subscription.live = false
        break
      }
      case 'send': {
        app.signal(step.name).send()
        if (!order.has(step.name))
          order.set(
            step.name,
            subscriptions.filter((s) => s.live && modelMatches(s.pattern, step.name)).map((s) => s.id),
          )
        for (const id of order.get(step.name) ?? []) {
          const subscription = subscriptions.find((s) => s.id === id)
          if (subscription !== undefined && !subscription.live) continue
          expected.push(`${id}@${step.name}`)
          if (subscription?.once) subscription.live = false
        }
        break
      }
    }
    expect(calls).toEqual(expected)
  })
}

test('wildcard subscriptions reach, order and call like the model (1000 random programs, fixed seed)', () => {
  fc.assert(
    fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => run(steps)),
    { seed: 20261207, numRuns: 1000 },
  )
})
