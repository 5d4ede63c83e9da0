// Type-level tests of Signal<P, S, R>: compiled by `tsc --noEmit` (npm run typecheck), never run.
// Each `@ts-expect-error` line must be an error: if a constraint were dropped, the directive would be
// unused and the type-check would fail.
import { expectTypeOf } from 'expect-type'
import {
  ANY,
  type ConnectOptions,
  type Receiver,
  type RobustSendResult,
  type SendResult,
  Signal,
} from 'signalry'
import { typesOf } from './typesOf'

class UserService {
  readonly kind = 'users'
}
class OrderService {
  readonly kind = 'orders'
}
interface User {
  id: number
  name: string
}

const created = new Signal<User, UserService>()
const service = new UserService()

// --- payload -------------------------------------------------------------------------------------

created.send(service, { id: 1, name: 'ada' })
// @ts-expect-error a payload of the wrong type
created.send(service, { id: '1', name: 'ada' })
// @ts-expect-error a payload missing a property
created.send(service, { id: 1 })
// @ts-expect-error the payload is required when P does not accept undefined
created.send(service)
// @ts-expect-error the same for emit
created.emit(service, { id: 1, name: 1 })
// @ts-expect-error and for sendRobust
created.sendRobust(service, 'ada')

// P = void: no payload, and the sender may be left out when S accepts undefined.
const tick = new Signal()
tick.send()
tick.emit(undefined)
// @ts-expect-error a payload for a signal that carries none
tick.send(undefined, 1)

// P accepting undefined makes the payload optional.
const maybe = new Signal<string | undefined, string>()
maybe.send('me')
maybe.send('me', 'x')

// --- sender --------------------------------------------------------------------------------------

created.send(ANY, { id: 1, name: 'ada' })
// @ts-expect-error a sender of the wrong type
created.send(new OrderService(), { id: 1, name: 'ada' })
// @ts-expect-error a sender of the wrong type for emit
created.emit('users', { id: 1, name: 'ada' })
// @ts-expect-error the sender is required when S does not accept undefined
created.send()
created.connect(() => {}, { sender: service })
created.connect(() => {}, { sender: ANY })
// @ts-expect-error a sender option of the wrong type
created.connect(() => {}, { sender: new OrderService() })
// @ts-expect-error connectVia's sender of the wrong type
created.connectVia('users')
created.hasReceiversFor(service)
// @ts-expect-error hasReceiversFor with a sender of the wrong type
created.hasReceiversFor(42)

// --- receivers -----------------------------------------------------------------------------------

// Receivers are typed from the signal: no annotations needed.
created.connect((sender, user) => {
  expectTypeOf(sender).toEqualTypeOf<UserService>()
  expectTypeOf(user).toEqualTypeOf<User>()
})
// Fewer parameters are fine.
created.connect(() => {})
created.connect((sender: UserService) => sender.kind)
// A receiver accepting more than it gets is fine.
created.connect((_sender: unknown, user: { id: number }) => user.id)
// @ts-expect-error a receiver expecting another payload
created.connect((_sender: UserService, user: { id: string }) => user.id)
// @ts-expect-error a receiver expecting another sender
created.connect((sender: OrderService) => sender.kind)
// @ts-expect-error a receiver with more required parameters than a send passes
created.connect((_sender: UserService, _user: User, _extra: number) => {})
// @ts-expect-error connectedTo checks the receiver too
created.connectedTo((_sender: OrderService) => {})
// @ts-expect-error and connectVia's returned function
created.connectVia(service)((_sender: UserService, user: string) => user)
// connect returns the receiver with its own type.
const named = created.connect(function welcome(_sender: UserService, user: User): string {
  return user.name
})
expectTypeOf(named).toEqualTypeOf<(_sender: UserService, user: User) => string>()
created.disconnect(named)

// --- results (R) ---------------------------------------------------------------------------------

// Without R, results are unknown.
expectTypeOf(created.send(service, { id: 1, name: 'ada' })).toEqualTypeOf<
  SendResult<User, UserService, unknown>
>()
expectTypeOf(created.send(service, { id: 1, name: 'ada' })[0]![1]).toBeUnknown()

// With R, every receiver must return an R, and send's results are R.
const validate = new Signal<string, unknown, boolean>()
validate.connect((_, name) => name.length > 0)
// @ts-expect-error a receiver returning something else
validate.connect((_, name) => name.length)
// @ts-expect-error a receiver returning nothing
validate.connect(() => {})
const results = validate.send(undefined, 'ada')
expectTypeOf(results).toEqualTypeOf<Array<[receiver: Receiver<string, unknown, boolean>, result: boolean]>>()
expectTypeOf(results[0]![1]).toEqualTypeOf<boolean>()
const outcomes = validate.sendRobust(undefined, 'ada')
expectTypeOf(outcomes).toEqualTypeOf<RobustSendResult<string, unknown, boolean>>()
const first = outcomes[0]![1]
if (first.status === 'fulfilled') expectTypeOf(first.value).toEqualTypeOf<boolean>()
expectTypeOf(validate.receiversFor(undefined)).toEqualTypeOf<Array<Receiver<string, unknown, boolean>>>()
expectTypeOf(validate.emit(undefined, 'ada')).toEqualTypeOf<boolean>()

// A union result: each receiver returns one of its members.
const lookup = new Signal<string, unknown, number | undefined>()
lookup.connect(() => 1)
lookup.connect(() => undefined)
// @ts-expect-error a string is not a number | undefined
lookup.connect(() => 'one')

// --- options -------------------------------------------------------------------------------------

created.connect(() => {}, { once: true, priority: 5, signal: new AbortController().signal })
// @ts-expect-error an unknown option
created.connect(() => {}, { onec: true })
// @ts-expect-error an unknown option for connectedTo
created.connectedTo(() => {}, { prio: 1 })
// @ts-expect-error connectVia takes the sender as its first argument, not as an option
created.connectVia(service, { sender: service })
// @ts-expect-error an unknown option for connectVia
created.connectVia(service, { priorty: 1 })
// @ts-expect-error a badly typed option
created.connect(() => {}, { priority: 'high' })
// @ts-expect-error an unknown option in a declared options object
const badOptions: ConnectOptions<UserService> = { sender: service, weakly: true }
// @ts-expect-error disconnect takes only a sender
created.disconnect(named, { once: true })

// --- meta-signals ---------------------------------------------------------------------------------

validate.receiverConnected.connect((sig, info) => {
  expectTypeOf(typesOf(sig)).toEqualTypeOf<
    { readonly payload: string; readonly sender: unknown; readonly result: boolean } & { named: false }
  >()
  expectTypeOf(info.receiver).toEqualTypeOf<Receiver<string, unknown, boolean>>()
})

export { badOptions }

// --- async signals: a receiver result type that is a promise makes synchronous sends an error --------

const uploadedAsync = new Signal<string, unknown, Promise<void>>()
uploadedAsync.connect(async () => {})
void uploadedAsync.sendAsync(undefined, 'a.png')
void uploadedAsync.sendAsyncRobust(undefined, 'a.png')
// @ts-expect-error send() does not await receivers: an async signal is sent with sendAsync()
uploadedAsync.send(undefined, 'a.png')
// @ts-expect-error emit() does not await receivers either
uploadedAsync.emit(undefined, 'a.png')
// @ts-expect-error nor does sendRobust()
uploadedAsync.sendRobust(undefined, 'a.png')
const tickAsync = new Signal<void, unknown, PromiseLike<number>>()
// @ts-expect-error a PromiseLike result type makes the signal async too
tickAsync.emit()
// Signals whose result type is not (only) a promise keep their synchronous sends.
new Signal<void, unknown, unknown>().send()
new Signal<void, unknown, any>().emit()
new Signal<void, unknown, Promise<void> | undefined>().emit()
new Signal<void, unknown, number>().sendRobust()
