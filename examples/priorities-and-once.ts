// Order: higher priority first, then connection order. `once` receivers run a single time;
// an AbortSignal disconnects a receiver when aborted.
import { signal } from 'signalry'

const started = signal<{ attempt: number }>('app.started')

started.connect((_, { attempt }) => console.log(`log: started (attempt ${attempt})`))
started.connect(() => console.log('config: load settings first'), { priority: 10 })
started.connect(() => console.log('banner: shown only once'), { once: true })

const controller = new AbortController()
started.connect(() => console.log('metrics: counting starts until aborted'), { signal: controller.signal })

started.send(undefined, { attempt: 1 })
controller.abort()
started.send(undefined, { attempt: 2 })
console.log('receivers left:', started.receiverCount)

// Prints:
// config: load settings first
// log: started (attempt 1)
// banner: shown only once
// metrics: counting starts until aborted
// config: load settings first
// log: started (attempt 2)
// receivers left: 2
