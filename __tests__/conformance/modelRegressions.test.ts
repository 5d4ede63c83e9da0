import { Signal } from 'signalry'

// Counterexamples found by the model-based tests (__tests__/conformance/modelBased.test.ts, npm run fuzz),
// shrunk by fast-check and kept as plain tests.

test('disconnect(receiver) reports every removed connection even when a receiverDisconnected receiver throws', () => {
  // Found by npm run fuzz (seed 3268849): the second removal was never reported.
  const sig = new Signal<void, string | undefined>()
  const receiver = () => {}
  sig.connect(receiver)
  sig.connect(receiver, { sender: undefined })
  const reported: unknown[] = []
  const failure = new Error('a receiverDisconnected receiver failed')
  sig.receiverDisconnected.connect((_, { sender }) => {
    reported.push(sender)
    if (reported.length === 1) throw failure
  })
  expect(() => sig.disconnect(receiver)).toThrow(failure)
  expect(reported).toEqual([Symbol.for('signalry.ANY'), undefined])
  expect(sig.receiverCount).toBe(0)
  expect(sig.disconnect(receiver)).toBe(false)
  expect(reported).toHaveLength(2)
})

test('a connection made with priority -0 reports priority 0, also when a keyed scope gives it back', () => {
  // Found by npm run fuzz (seed 471930836) once the model generated keyed connectedTo: the receiver
  // a keyed scope had replaced came back reporting -0, a value no connect with defaults gives.
  const sig = new Signal()
  const receiver = () => {}
  const reported: number[] = []
  sig.receiverConnected.connect((_, { options }) => void reported.push(options.priority))
  sig.connect(receiver, { priority: -0 })
  sig.connect(receiver, { key: 'k' })
  sig.connectedTo(
    () => {},
    { key: 'k' },
    () => {},
  )
  expect(sig.connections().map(({ options }) => options.priority)).toEqual([0])
  expect(reported.every((priority) => Object.is(priority, 0))).toBe(true)
  expect(reported).toHaveLength(4)
})
