// Type-level tests of wildcard subscriptions (connectMatching, connectedToMatching) over a typed
// registry: compiled by `tsc --noEmit` (npm run typecheck), never run. Most use a namespace with a
// registry of its own (Shop), so that they depend on no other test's SignalTypes augmentation; the
// default-namespace functions use names starting with "typetest.pattern.".
import { expectTypeOf } from 'expect-type'
import {
  ANY,
  connectedToMatching,
  connectMatching,
  type MatchingNames,
  type NamedSignal,
  Namespace,
  type PatternArguments,
  type PatternConnection,
  type PatternReceiver,
  type PatternResult,
  type PatternSender,
} from 'signalry'

class Users {
  readonly users = true
}
class Admins {
  readonly admins = true
}
declare const heartbeat: unique symbol

interface Shop {
  user: { payload: { everyone: true } }
  'user.': { payload: 'dot' }
  'user.created': { payload: { id: number }; sender: Users }
  'user.profile.updated': { payload: { id: number; field: string }; sender: Admins }
  'user.deleted': { sender: Admins }
  users: { payload: string[]; sender: Users }
  'check.name': { payload: string; result: boolean }
  'check.age': { payload: number }
  [heartbeat]: { payload: number }
}
const shop = new Namespace<Shop>()
interface Votes {
  'vote.a': { result: 'yes' | 'no' }
  'vote.b': { result: 'yes' | 'maybe' }
}
const votes = new Namespace<Votes>()

// Which declared names each form of pattern matches.
expectTypeOf<MatchingNames<'*', Shop>>().toEqualTypeOf<keyof Shop>()
// 'family.*': the names going on after "user.", nested ones included; not "user" nor "user.".
expectTypeOf<MatchingNames<'user.*', Shop>>().toEqualTypeOf<
  'user.created' | 'user.profile.updated' | 'user.deleted'
>()
expectTypeOf<MatchingNames<'user.profile.*', Shop>>().toEqualTypeOf<'user.profile.updated'>()
// 'prefix*': every name beginning with "user", "user" and "users" included.
expectTypeOf<MatchingNames<'user*', Shop>>().toEqualTypeOf<
  'user' | 'user.' | 'user.created' | 'user.profile.updated' | 'user.deleted' | 'users'
>()
expectTypeOf<MatchingNames<'users', Shop>>().toEqualTypeOf<'users'>()
expectTypeOf<MatchingNames<'audit.*', Shop>>().toEqualTypeOf<never>()
// A pattern known only as `string` could match anything: no declared name is certain.
expectTypeOf<MatchingNames<string, Shop>>().toEqualTypeOf<never>()

// 'family.*': an inline receiver's arguments are each the union over the matched names (cheap to
// check at any registry size)...
shop.connectMatching('user.*', (sender, payload, name) => {
  expectTypeOf(name).toEqualTypeOf<'user.created' | 'user.profile.updated' | 'user.deleted'>()
  expectTypeOf(sender).toEqualTypeOf<Users | Admins>()
  expectTypeOf(payload).toEqualTypeOf<{ id: number } | { id: number; field: string } | void>()
  if (name === 'user.created')
    expectTypeOf(payload).toEqualTypeOf<{ id: number } | { id: number; field: string } | void>()
})
// ... and a receiver annotated as a PatternReceiver gets them as a union of tuples: checking `name`
// narrows both the payload and the sender.
const narrowsByName: PatternReceiver<'user.*', Shop> = (sender, payload, name) => {
  expectTypeOf(name).toEqualTypeOf<'user.created' | 'user.profile.updated' | 'user.deleted'>()
  expectTypeOf(sender).toEqualTypeOf<Users | Admins>()
  expectTypeOf(payload).toEqualTypeOf<{ id: number } | { id: number; field: string } | void>()
  if (name === 'user.created') {
    expectTypeOf(sender).toEqualTypeOf<Users>()
    expectTypeOf(payload).toEqualTypeOf<{ id: number }>()
  } else if (name === 'user.profile.updated') {
    expectTypeOf(sender).toEqualTypeOf<Admins>()
    expectTypeOf(payload).toEqualTypeOf<{ id: number; field: string }>()
  } else {
    expectTypeOf(name).toEqualTypeOf<'user.deleted'>()
    expectTypeOf(payload).toEqualTypeOf<void>()
  }
}
shop.connectMatching('user.*', narrowsByName)
const switchesOnName: PatternReceiver<'user.*', Shop> = (_, payload, name) => {
  switch (name) {
    case 'user.profile.updated':
      return payload.field
    case 'user.created':
      return payload.id
    default:
      // @ts-expect-error user.deleted carries no payload: `payload.id` needs a check of `name` first
      return payload.id
  }
}
shop.connectedToMatching('user.*', switchesOnName, () => {})

// 'prefix*': "user", "user." and "users" too.
const prefixed: PatternReceiver<'user*', Shop> = (sender, payload, name) => {
  expectTypeOf(name).toEqualTypeOf<
    'user' | 'user.' | 'user.created' | 'user.profile.updated' | 'user.deleted' | 'users'
  >()
  if (name === 'users') {
    expectTypeOf(sender).toEqualTypeOf<Users>()
    expectTypeOf(payload).toEqualTypeOf<string[]>()
  }
  if (name === 'user') expectTypeOf(payload).toEqualTypeOf<{ everyone: true }>()
}
shop.connectMatching('user*', prefixed)

// A pattern without `*`: the one name's types.
shop.connectMatching('user.created', (sender, payload, name) => {
  expectTypeOf(sender).toEqualTypeOf<Users>()
  expectTypeOf(payload).toEqualTypeOf<{ id: number }>()
  expectTypeOf(name).toEqualTypeOf<'user.created'>()
})

// '*': every name, symbol names included; a symbol check narrows like a string one.
const everything: PatternReceiver<'*', Shop> = (_, payload, name) => {
  expectTypeOf(name).toEqualTypeOf<keyof Shop>()
  if (name === heartbeat) expectTypeOf(payload).toEqualTypeOf<number>()
  if (typeof name === 'symbol') expectTypeOf(payload).toEqualTypeOf<number>()
  return true // 'check.name' declares a boolean result, so a receiver of every name returns one
}
shop.connectMatching('*', everything)
shop.connectMatching('*', (_, __, name) => {
  expectTypeOf(name).toEqualTypeOf<keyof Shop>()
  return true
})

// Receivers taking fewer arguments get the unions.
shop.connectMatching('user.*', (sender) => expectTypeOf(sender).toEqualTypeOf<Users | Admins>())
shop.connectMatching('user.*', (_, payload) => {
  expectTypeOf(payload).toEqualTypeOf<{ id: number } | { id: number; field: string } | void>()
})
shop.connectMatching('user.*', () => {})
// Functions written elsewhere, with wider parameter types.
function logAny(sender: unknown, payload: unknown, name: string | symbol): void {
  console.log(sender, payload, name)
}
function logUserSender(sender: Users | Admins): void {
  console.log(sender)
}
shop.connectMatching('user.*', logAny)
shop.connectMatching('*', logAny as (sender: unknown, payload: unknown, name: string | symbol) => boolean)
shop.connectMatching('user.*', logUserSender)
// @ts-expect-error 'user*' also matches 'user', which declares no sender: any may send it
shop.connectMatching('user*', logUserSender)

// @ts-expect-error a payload type that no matched name has
shop.connectMatching('user.*', (_, payload: { id: string }) => payload)
// @ts-expect-error the payload of one matched name only: the others' would reach it too
shop.connectMatching('user.*', (_, payload: { id: number }) => payload)
// @ts-expect-error a name the pattern does not match
shop.connectMatching('user.*', (_, __, name: 'users') => name)

// The `sender` option: one of the matched names' senders.
shop.connectMatching('user.*', () => {}, { sender: new Users() })
shop.connectMatching('user.*', () => {}, { sender: new Admins(), priority: 1, key: 'audit' })
shop.connectMatching('user.*', () => {}, { sender: ANY })
// @ts-expect-error a sender none of the matched names declares
shop.connectMatching('user.*', () => {}, { sender: 'users' })
// A name declaring no sender takes any: so does a pattern matching it.
shop.connectMatching('check.*', () => true, { sender: 'anyone' })

// The result: what every matched signal accepts from its receivers.
const checks: PatternReceiver<'check.*', Shop> = (_, payload, name) =>
  name === 'check.name' ? payload.length > 0 : payload > 0
shop.connectMatching('check.*', checks)
shop.connectMatching('check.name', () => true) // a boolean result is `boolean`, not `true & false`
// @ts-expect-error 'check.name' declares a boolean result (and 'check.age' none: still boolean)
shop.connectMatching('check.*', () => 'yes')
expectTypeOf<ReturnType<PatternReceiver<'vote.*', Votes>>>().toEqualTypeOf<'yes'>()
votes.connectMatching('vote.*', () => 'yes' as const)
// @ts-expect-error 'no' is a result of 'vote.a' only; 'vote.b' would get it too
votes.connectMatching('vote.*', () => 'no' as const)
expectTypeOf<ReturnType<PatternReceiver<'user.*', Shop>>>().toEqualTypeOf<unknown>()
expectTypeOf<PatternResult<'check.*', Shop>>().toEqualTypeOf<boolean>()
expectTypeOf<PatternSender<'user.*', Shop>>().toEqualTypeOf<Users | Admins>()

// No declared name matches: unknown sender and payload, `name` what the pattern can match.
shop.connectMatching('audit.*', (sender, payload, name) => {
  expectTypeOf(sender).toEqualTypeOf<unknown>()
  expectTypeOf(payload).toEqualTypeOf<unknown>()
  expectTypeOf(name).toEqualTypeOf<`audit.${string}`>()
})
shop.connectMatching('audit*', (_, __, name) => expectTypeOf(name).toEqualTypeOf<`audit${string}`>())
shop.connectMatching('audit', (_, __, name) => expectTypeOf(name).toEqualTypeOf<'audit'>())
shop.connectMatching('audit.*', () => 42, { sender: 'anything' })
new Namespace().connectMatching('*', (sender, payload, name) => {
  expectTypeOf(sender).toEqualTypeOf<unknown>()
  expectTypeOf(payload).toEqualTypeOf<unknown>()
  expectTypeOf(name).toEqualTypeOf<string | symbol>()
})
declare const dynamicPattern: string
shop.connectMatching(dynamicPattern, (_, payload, name) => {
  expectTypeOf(payload).toEqualTypeOf<unknown>()
  expectTypeOf(name).toEqualTypeOf<string | symbol>()
})
// @ts-expect-error patterns are strings
shop.connectMatching(heartbeat, () => {})

// The exported types agree with what connectMatching gives.
expectTypeOf<PatternArguments<'user.*', Shop>>().toEqualTypeOf<
  | [sender: Users, payload: { id: number }, name: 'user.created']
  | [sender: Admins, payload: { id: number; field: string }, name: 'user.profile.updated']
  | [sender: Admins, payload: void, name: 'user.deleted']
>()
expectTypeOf<PatternArguments<'audit.*', Shop>>().toEqualTypeOf<
  [sender: unknown, payload: unknown, name: `audit.${string}`]
>()
const audit: PatternReceiver<'user.*', Shop> = (_, payload, name) =>
  name === 'user.deleted' ? undefined : payload.id
shop.connectMatching('user.*', audit)
// @ts-expect-error a receiver for another family
shop.connectMatching('check.*', audit)

// connectedToMatching: the handle, or what the body returns; the same receiver types.
const scoped = shop.connectedToMatching('user.*', (sender, _, name) => {
  if (name === 'user.created') expectTypeOf(sender).toEqualTypeOf<Users | Admins>()
})
shop.connectedToMatching('user.*', narrowsByName)
expectTypeOf(scoped).toEqualTypeOf<PatternConnection>()
expectTypeOf(
  shop.connectedToMatching('user.*', () => {}, { sender: new Users() }),
).toEqualTypeOf<PatternConnection>()
expectTypeOf(
  shop.connectedToMatching(
    'user.*',
    () => {},
    () => 42,
  ),
).toEqualTypeOf<number>()
expectTypeOf(
  shop.connectedToMatching(
    'user.*',
    (_, payload) => payload,
    async () => 'done',
  ),
).toEqualTypeOf<Promise<string>>()
expectTypeOf(
  shop.connectedToMatching(
    'user.*',
    () => {},
    { priority: 1 },
    () => 'x',
  ),
).toEqualTypeOf<string>()
expectTypeOf(
  shop.connectedToMatching(
    'user.*',
    () => {},
    undefined,
    () => true,
  ),
).toEqualTypeOf<boolean>()
shop.connectedToMatching(
  'check.*',
  (_, payload, name) => {
    if (name === 'check.age') expectTypeOf(payload).toEqualTypeOf<string | number>()
    return true
  },
  () => {},
)
shop.connectedToMatching(
  'user.*',
  () => {},
  // @ts-expect-error a sender none of the matched names declares, in the options+body form
  { sender: 'users' },
  () => {},
)
shop.connectedToMatching(
  'check.*',
  // @ts-expect-error the declared result is checked with a body too
  () => 'yes',
  () => {},
)
// @ts-expect-error the body is a function
shop.connectedToMatching('user.*', () => {}, {}, 42)
{
  using _scope = shop.connectedToMatching('user.*', () => {})
}

// The handle.
const handle = shop.connectMatching('user.*', () => {})
expectTypeOf(handle).toEqualTypeOf<PatternConnection>()
expectTypeOf(handle.pattern).toEqualTypeOf<string>()
expectTypeOf(handle.receiver).toEqualTypeOf<Function | undefined>()
expectTypeOf(handle.connected).toEqualTypeOf<boolean>()
expectTypeOf(handle.disconnect).toEqualTypeOf<() => boolean>()
expectTypeOf(handle.signals).toEqualTypeOf<() => Array<NamedSignal<any, any, any>>>()
expectTypeOf(handle).toExtend<Disposable>()
// receiverOn takes any object, a typed signal of a typed namespace too (typed `object`: comparing
// such a signal with Signal<any, any, any> took TypeScript minutes).
expectTypeOf(handle.receiverOn(shop.signal('user.created'))).toEqualTypeOf<Function | undefined>()
expectTypeOf(shop.patternConnections()).toEqualTypeOf<PatternConnection[]>()
// @ts-expect-error the pattern is read-only
handle.pattern = 'user*'
// @ts-expect-error so is `connected`: disconnect() ends a subscription
handle.connected = false

// The top-level functions use the default namespace's registry, SignalTypes.
declare module 'signalry' {
  interface SignalTypes {
    'typetest.pattern.opened': { payload: { door: string }; sender: Users }
    'typetest.pattern.closed': { payload: { door: string; by: string }; sender: Admins }
  }
}
expectTypeOf<MatchingNames<'typetest.pattern.*', import('signalry').SignalTypes>>().toEqualTypeOf<
  'typetest.pattern.opened' | 'typetest.pattern.closed'
>()
connectMatching('typetest.pattern.*', (sender, payload) => {
  expectTypeOf(payload.door).toEqualTypeOf<string>()
  expectTypeOf(sender).toEqualTypeOf<Users | Admins>()
})
const doors: PatternReceiver<'typetest.pattern.*', import('signalry').SignalTypes> = (
  sender,
  payload,
  name,
) => {
  if (name === 'typetest.pattern.closed') {
    expectTypeOf(sender).toEqualTypeOf<Admins>()
    expectTypeOf(payload.by).toEqualTypeOf<string>()
  } else {
    expectTypeOf(sender).toEqualTypeOf<Users>()
  }
}
connectMatching('typetest.pattern.*', doors)
connectMatching('typetest.pattern.*', (_, payload) => payload.door, { sender: new Admins() })
// @ts-expect-error a sender none of the matched names declares
connectMatching('typetest.pattern.*', () => {}, { sender: 'doors' })
// @ts-expect-error only 'typetest.pattern.closed' has `by`
connectMatching('typetest.pattern.*', (_, payload) => payload.by)
expectTypeOf(connectMatching('typetest.pattern.*', () => {})).toEqualTypeOf<PatternConnection>()
expectTypeOf(connectedToMatching('typetest.pattern.*', () => {})).toEqualTypeOf<PatternConnection>()
expectTypeOf(
  connectedToMatching(
    'typetest.pattern.*',
    (_, payload) => payload.door,
    () => 1,
  ),
).toEqualTypeOf<number>()
expectTypeOf(
  connectedToMatching(
    'typetest.pattern.*',
    (_, payload) => payload.door,
    { sender: new Users() },
    async () => 'done',
  ),
).toEqualTypeOf<Promise<string>>()
connectedToMatching(
  'typetest.pattern.*',
  () => {},
  // @ts-expect-error the sender option is checked in the options+body form
  { sender: 'doors' },
  () => 1,
)
// Patterns matching no declared name of the default registry stay untyped there too.
connectMatching('typetest.undeclared.*', (sender, payload, name) => {
  expectTypeOf(sender).toEqualTypeOf<unknown>()
  expectTypeOf(payload).toEqualTypeOf<unknown>()
  expectTypeOf(name).toEqualTypeOf<`typetest.undeclared.${string}`>()
})
