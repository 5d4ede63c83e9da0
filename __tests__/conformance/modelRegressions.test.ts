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
