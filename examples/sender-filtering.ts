// Receivers may listen to one sender only; senders are compared by identity, primitives by value.
import { ANY, signal } from 'signalry'

const saved = signal<{ id: number }, { table: string } | string>('record.saved')

const orders = { table: 'orders' }
const invoices = { table: 'invoices' }

saved.connect((_, { id }) => console.log(`orders: reindex order ${id}`), { sender: orders })
saved.connect((_, { id }) => console.log(`cache: drop key ${id}`), { sender: 'cache' })
saved.connect((sender, { id }) => console.log(`audit: ${describe(sender)} saved ${id}`), { sender: ANY })

saved.send(orders, { id: 1 })
saved.send(invoices, { id: 2 })
saved.send('cache', { id: 3 })

// What a send would call, per sender:
for (const sender of [orders, invoices]) {
  console.log(`receivers for ${describe(sender)}: ${saved.receiversFor(sender).length}`)
}

function describe(sender: { table: string } | string | typeof ANY): string {
  return typeof sender === 'object' ? sender.table : String(sender)
}

// Prints:
// orders: reindex order 1
// audit: orders saved 1
// audit: invoices saved 2
// cache: drop key 3
// audit: cache saved 3
// receivers for orders: 2
// receivers for invoices: 1
