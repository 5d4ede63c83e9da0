// Type-level tests of named signals' types: compiled by `tsc --noEmit` (npm run typecheck), never
// run. A named signal's type is `Signal<P, S, R, string | symbol>`, an instantiation of `Signal`
// itself, so that TypeScript infers and relates it by its type arguments (bench/types.ts measures
// what that saves); the class `NamedSignal` is still there as a value.
import { expectTypeOf } from 'expect-type'
import { type ANY, NamedSignal, type SignalOf, Signal, signal } from 'signalry'
import { typesOf } from './typesOf'

class Billing {
  readonly kind = 'billing'
}

declare module 'signalry' {
  interface SignalTypes {
    'typetest.named.paid': { payload: { cents: number }; sender: Billing }
  }
}

// The type is the Signal instantiation, by every route to a named signal.
expectTypeOf<NamedSignal<number, string, boolean>>().toEqualTypeOf<
  Signal<number, string, boolean, string | symbol>
>()
expectTypeOf<NamedSignal>().toEqualTypeOf<Signal<void, unknown, unknown, string | symbol>>()
const made = new NamedSignal<{ cents: number }, Billing>('typetest.named.made')
expectTypeOf(made).toEqualTypeOf<Signal<{ cents: number }, Billing, unknown, string | symbol>>()
const paid = signal('typetest.named.paid')
expectTypeOf(paid).toEqualTypeOf<SignalOf<'typetest.named.paid'>>()
expectTypeOf(paid).toEqualTypeOf<Signal<{ cents: number }, Billing, unknown, string | symbol>>()

// `name`: a string or a symbol on a named signal; on any signal, possibly undefined.
expectTypeOf(paid.name).toEqualTypeOf<string | symbol>()
expectTypeOf(new Signal<number>().name).toEqualTypeOf<string | symbol | undefined>()

// A parameter of type `Signal<P, S>` takes a named signal and infers P and S from it ...
declare function payloadOf<P, S>(signal: Signal<P, S>): [P, S]
expectTypeOf(payloadOf(paid)).toEqualTypeOf<[{ cents: number }, Billing]>()
expectTypeOf(payloadOf(made)).toEqualTypeOf<[{ cents: number }, Billing]>()
// ... but a parameter of type `NamedSignal` does not take a signal without a name.
declare function nameOf(signal: NamedSignal<any, any, any>): string | symbol
nameOf(paid)
// @ts-expect-error a plain Signal is not a NamedSignal
nameOf(new Signal<number>())
expectTypeOf(typesOf(new Signal<number>()).named).toEqualTypeOf<false>()
expectTypeOf(typesOf(paid).named).toEqualTypeOf<true>()

// The payload and sender types are checked as for any signal.
paid.send(new Billing(), { cents: 5 })
// @ts-expect-error the wrong sender type
paid.send('billing', { cents: 5 })

// `instanceof NamedSignal` narrows an unknown value to a named signal of any types.
declare const value: unknown
if (value instanceof NamedSignal) {
  expectTypeOf(value).toEqualTypeOf<NamedSignal<any, any, any>>()
  expectTypeOf(value.name).toEqualTypeOf<string | symbol>()
}

// The class can be extended with type arguments. (A subclass is a type of its own: TypeScript relates
// it to `Signal<P, S>` member by member, which in this strict configuration takes it minutes.)
class AuditedSignal<P> extends NamedSignal<P, Billing> {
  readonly auditedBy: 'billing' = 'billing'
  override toString(): string {
    return `audited ${super.toString()}`
  }
}
const audited = new AuditedSignal<{ cents: number }>('typetest.named.audited')
expectTypeOf(audited.name).toEqualTypeOf<string | symbol>()
if (value instanceof AuditedSignal) expectTypeOf(value.auditedBy).toEqualTypeOf<'billing'>()

// The static members of Signal are there on NamedSignal, as on the class before.
expectTypeOf(NamedSignal.ANY).toEqualTypeOf<typeof ANY>()
expectTypeOf(NamedSignal.defaultMaxReceivers).toEqualTypeOf<number>()
