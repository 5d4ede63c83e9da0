// How a test asserts that code sent a signal: connect a recording receiver for the scope of the
// test with `connectedTo`; it is disconnected afterwards, even when the code under test throws.
import assert from 'node:assert/strict'
import { signal } from 'signalry'

const orderPlaced = signal<{ total: number }, string>('order.placed')

function checkout(shop: string, total: number): void {
  if (total <= 0) throw new RangeError('empty cart')
  orderPlaced.send(shop, { total })
}

// The callback form: the receiver is connected while the body runs.
const sent: Array<[string, { total: number }]> = []
orderPlaced.connectedTo(
  (shop, payload) => sent.push([shop, payload]),
  () => checkout('books', 30),
)
assert.deepEqual(sent, [['books', { total: 30 }]])
console.log('checkout sent order.placed:', sent.length === 1)

// The `using` form: disconnected at the end of the block, also when the block throws.
try {
  using _recording = orderPlaced.connectedTo(() => sent.push(['unexpected', { total: 0 }]))
  checkout('books', 0)
} catch (error) {
  console.log('checkout failed with', (error as Error).message)
}
assert.equal(orderPlaced.receiverCount, 0)
console.log('receivers left after the tests:', orderPlaced.receiverCount)

// `muted` silences a signal for a scope, e.g. while loading fixtures.
orderPlaced.connect(() => console.log('this receiver is not called while muted'))
orderPlaced.muted(() => checkout('fixtures', 10))
console.log('muted sends called nobody')

// Prints:
// checkout sent order.placed: true
// checkout failed with empty cart
// receivers left after the tests: 0
// muted sends called nobody
