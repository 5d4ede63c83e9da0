// The main job: a signal declared at module level, receivers that react, and a sender that never
// knows who listens. Run it with `npm run example`.
import { signal } from 'signalry'

interface User {
  id: number
  name: string
}

// Declared once at module level; signal(name) returns this same object everywhere in the process.
export const userCreated = signal<{ user: User }>('user.created', 'Sent after a user is created.')

// Receivers, anywhere in the program, get the sender and a typed payload.
userCreated.connect((_sender, { user }) => console.log(`mail: welcome, ${user.name}`))
userCreated.connect((sender, { user }) => `audit: ${String(sender)} created user ${user.id}`)
// This one only listens to one sender.
userCreated.connect(() => console.log('admin console: refresh the user list'), { sender: 'admin-console' })

// The sender knows nothing of them; send() returns what each receiver returned.
const results = userCreated.send('signup-form', { user: { id: 1, name: 'ada' } })
console.log(results.map(([, result]) => result))

userCreated.send('admin-console', { user: { id: 2, name: 'grace' } })
console.log('same signal everywhere:', signal('user.created') === userCreated)

// Prints:
// mail: welcome, ada
// [ undefined, 'audit: signup-form created user 1' ]
// mail: welcome, grace
// admin console: refresh the user list
// same signal everywhere: true
