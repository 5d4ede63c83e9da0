// Type-level tests of connectVia and receiver as calls and as TC39 standard method decorators:
// compiled by `tsc --noEmit` (npm run typecheck), never run.
import { expectTypeOf } from 'expect-type'
import { type ReceiverDecorator, receiver, Signal, signal } from 'signalry'

interface User {
  id: number
}
const created = new Signal<User, string>()
const deleted = new Signal<{ id: string }, number>()
const validate = new Signal<string, unknown, boolean>()

expectTypeOf(created.connectVia('form')).toEqualTypeOf<ReceiverDecorator<User, string, unknown>>()
expectTypeOf(receiver(created)).toEqualTypeOf<ReceiverDecorator<User, string, unknown>>()
// Several signals: the union of payloads and senders.
expectTypeOf(receiver([created, deleted])).toEqualTypeOf<
  ReceiverDecorator<User | { id: string }, string | number, unknown>
>()

// As calls on functions: the receiver is typed from the signal, and returned as it is.
const onCreated = receiver(created)((sender, user) => {
  expectTypeOf(sender).toEqualTypeOf<string>()
  expectTypeOf(user).toEqualTypeOf<User>()
  return user.id
})
expectTypeOf(onCreated).returns.toEqualTypeOf<number>()
receiver([created, deleted])((sender, payload) => {
  expectTypeOf(sender).toEqualTypeOf<string | number>()
  expectTypeOf(payload).toEqualTypeOf<User | { id: string }>()
})
// @ts-expect-error a function expecting another payload
receiver(created)((_: string, user: { id: string }) => user)
// @ts-expect-error a function that cannot take every signal's payload
receiver([created, deleted])((_: unknown, user: User) => user)
// @ts-expect-error a sender option of the wrong type
receiver(created, { sender: 1 })
receiver([created, deleted], { sender: 1 })
// @ts-expect-error an unknown option
receiver(created, { senders: ['a'] })
// @ts-expect-error not a signal
receiver('user.created')
// @ts-expect-error an empty list of signals
receiver([])
// @ts-expect-error a function returning something else than the signal's result type
receiver(validate)((_, name) => name.length)
receiver(validate)((_, name) => name.length > 0)
// @ts-expect-error several signals: the function must return what each requires
receiver([validate, created])(() => undefined)
receiver([validate, created])(() => true)

// Named signals (subclasses) work the same, and quickly.
const named = signal<User, string>('typetest.decorators.named')
expectTypeOf(receiver(named)).toEqualTypeOf<ReceiverDecorator<User, string, unknown>>()
receiver([named, deleted])((sender, payload) => {
  expectTypeOf(sender).toEqualTypeOf<string | number>()
  expectTypeOf(payload).toEqualTypeOf<User | { id: string }>()
})
// @ts-expect-error a sender option of the wrong type for a named signal
receiver(named, { sender: 1 })

class Handlers {
  seen: unknown[] = []

  @created.connectVia('form')
  onCreated(sender: string, user: User) {
    const self: Handlers = this // `this` is the instance
    self.seen.push(sender, user.id)
  }

  @receiver(created)
  @receiver(deleted, { sender: 7 })
  onEither(_sender: string | number, payload: User | { id: string }) {
    this.seen.push(payload.id)
  }

  @receiver([created, deleted])
  onBoth(_sender: unknown, payload: { id: number | string }) {
    this.seen.push(payload.id)
  }

  @receiver(validate)
  check(_: unknown, name: string): boolean {
    return name.length > 0
  }

  @created.connectVia()
  static onCreatedStatic(_sender: string) {}

  @receiver(created)
  #privately() {}

  // @ts-expect-error a method expecting another payload
  @created.connectVia('form')
  wrongPayload(_sender: string, user: { id: string }) {
    return user
  }

  // @ts-expect-error a method expecting another sender
  @receiver(created)
  wrongSender(_sender: number) {}

  // @ts-expect-error a method that cannot take both signals' payloads
  @receiver([created, deleted])
  onlyUsers(_sender: unknown, user: User) {
    return user
  }

  // @ts-expect-error a method returning something else than the declared result
  @receiver(validate)
  badCheck(_: unknown, name: string) {
    return name.length
  }

  // @ts-expect-error decorators connect methods, not fields
  @receiver(created)
  field = 1

  // @ts-expect-error nor getters
  @receiver(created)
  get getter() {
    return 1
  }
}

export { Handlers }
