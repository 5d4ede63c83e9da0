// Type-level tests of the SignalTypes registry (module augmentation) and of typed namespaces:
// compiled by `tsc --noEmit` (npm run typecheck), never run. Names here start with "typetest." so
// that the augmentation, which is global to the compilation, touches no other test.
import { expectTypeOf } from 'expect-type'
import { defaultNamespace, Namespace, type SignalOf, signal } from 'signalry'
import { type TypesOf, typesOf } from './typesOf'

class UserService {
  readonly kind = 'users'
}

declare module 'signalry' {
  interface SignalTypes {
    'typetest.user.created': { payload: { id: number; name: string }; sender: UserService }
    'typetest.app.started': {}
    'typetest.validate': { payload: string; result: boolean }
    'typetest.maybe': { payload?: number }
  }
}

// A declared name is typed without type arguments.
const created = signal('typetest.user.created')
expectTypeOf(typesOf(created)).toEqualTypeOf<
  {
    readonly payload: { id: number; name: string }
    readonly sender: UserService
    readonly result: unknown
  } & { named: true }
>()
expectTypeOf(typesOf(created)).toEqualTypeOf<TypesOf<SignalOf<'typetest.user.created'>>>()
created.connect((sender, user) => {
  expectTypeOf(sender).toEqualTypeOf<UserService>()
  expectTypeOf(user).toEqualTypeOf<{ id: number; name: string }>()
})
created.send(new UserService(), { id: 1, name: 'ada' })
// @ts-expect-error a wrong payload for a declared name
signal('typetest.user.created').send(new UserService(), { id: 1 })
// @ts-expect-error a wrong sender for a declared name
signal('typetest.user.created').send('users', { id: 1, name: 'ada' })
// @ts-expect-error a receiver expecting another payload
signal('typetest.user.created').connect((_: UserService, user: { id: string }) => user)
// @ts-expect-error an unknown option
signal('typetest.user.created').connect(() => {}, { sendr: new UserService() })

// An entry without payload: the signal carries none; without sender: any sender.
const started = signal('typetest.app.started', 'Sent once the app has started.')
expectTypeOf(typesOf(started)).toEqualTypeOf<
  { readonly payload: void; readonly sender: unknown; readonly result: unknown } & { named: true }
>()
started.send()
// @ts-expect-error no payload for a signal declared without one
started.send(undefined, 1)

// An entry with a result: receivers must return it, and send returns it.
const validate = signal('typetest.validate')
validate.connect((_, name) => name.length > 0)
// @ts-expect-error a receiver returning something else than the declared result
validate.connect((_, name) => name.length)
expectTypeOf(validate.send(undefined, 'x')[0]![1]).toEqualTypeOf<boolean>()

// An optional payload may be left out.
signal('typetest.maybe').send()
signal('typetest.maybe').send(undefined, 1)
// @ts-expect-error but it is still a number
signal('typetest.maybe').send(undefined, '1')

// Names not declared stay usable: unknown types, or explicit type arguments.
const loose = signal('typetest.not-declared')
expectTypeOf(typesOf(loose)).toEqualTypeOf<
  { readonly payload: unknown; readonly sender: unknown; readonly result: unknown } & { named: true }
>()
loose.send('anything', { at: 'all' })
const explicit = signal<{ at: number }, string>('typetest.explicit')
expectTypeOf(typesOf(explicit)).toEqualTypeOf<
  { readonly payload: { at: number }; readonly sender: string; readonly result: unknown } & { named: true }
>()
// @ts-expect-error explicit types are checked like any others
explicit.send('me', { at: 'noon' })
const dynamicName: string = 'typetest.' + 'dynamic'
expectTypeOf(typesOf(signal(dynamicName))).toEqualTypeOf<
  { readonly payload: unknown; readonly sender: unknown; readonly result: unknown } & { named: true }
>()
const symbolName = Symbol('typetest')
expectTypeOf(typesOf(signal(symbolName))).toEqualTypeOf<
  { readonly payload: unknown; readonly sender: unknown; readonly result: unknown } & { named: true }
>()
// @ts-expect-error names are strings or symbols
signal(42)

// defaultNamespace shares the registry of signal().
expectTypeOf(typesOf(defaultNamespace.signal('typetest.user.created'))).toEqualTypeOf<
  TypesOf<typeof created>
>()

// A namespace of one's own takes its own registry as a type argument.
interface PluginSignals {
  'plugin.loaded': { payload: { plugin: string }; sender: Namespace<PluginSignals> }
  [symbolKey]: { payload: number }
}
declare const symbolKey: unique symbol
const plugins = new Namespace<PluginSignals>()
const loaded = plugins.signal('plugin.loaded')
expectTypeOf(typesOf(loaded)).toEqualTypeOf<
  {
    readonly payload: { plugin: string }
    readonly sender: Namespace<PluginSignals>
    readonly result: unknown
  } & { named: true }
>()
loaded.send(plugins, { plugin: 'auth' })
// @ts-expect-error a wrong payload for a name the namespace declares
plugins.signal('plugin.loaded').send(plugins, { name: 'auth' })
expectTypeOf(typesOf(plugins.signal(symbolKey))).toEqualTypeOf<
  { readonly payload: number; readonly sender: unknown; readonly result: unknown } & { named: true }
>()
// The namespace's registry is its own: the global registry's names are not declared in it ...
expectTypeOf(typesOf(plugins.signal('typetest.user.created'))).toEqualTypeOf<
  { readonly payload: unknown; readonly sender: unknown; readonly result: unknown } & { named: true }
>()
// ... and a namespace without a registry declares nothing.
expectTypeOf(typesOf(new Namespace().signal('typetest.user.created'))).toEqualTypeOf<
  { readonly payload: unknown; readonly sender: unknown; readonly result: unknown } & { named: true }
>()
expectTypeOf(typesOf(new Namespace().signal<string>('x'))).toEqualTypeOf<
  { readonly payload: string; readonly sender: unknown; readonly result: unknown } & { named: true }
>()

export { explicit, loose }
