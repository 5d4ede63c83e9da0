// The typed registry of signal names: an interface users extend by module augmentation, and the
// types that read a signal's payload, sender and result types from it.

import type { NamedSignal } from './namedSignal'

/**
 * The registry of typed signal names for {@link signal} and {@link defaultNamespace}: empty here,
 * extended by applications through module augmentation.
 *
 * @remarks
 * Each property is a signal name; its value describes the signal with up to three properties:
 * `payload` (default `void`: no payload), `sender` (default `unknown`) and `result`, what every
 * receiver must return (default `unknown`). With a name declared, `signal(name)` returns a fully typed
 * {@link NamedSignal} without type arguments; names not declared keep working with `unknown` types or
 * explicit type arguments. Explicit type arguments always win over the registry, so use them only
 * for undeclared names. A {@link Namespace} of your own takes its registry as a type argument
 * instead: `new Namespace<PluginSignals>()`.
 *
 * The augmentation must be inside a module (a file with an `import` or `export`), and it reaches the
 * package's ESM and CommonJS type declarations alike.
 *
 * @example
 * ```ts
 * import { signal } from 'signalry'
 *
 * class Billing {
 *   readonly name = 'billing'
 * }
 *
 * declare module 'signalry' {
 *   interface SignalTypes {
 *     'invoice.paid': { payload: { invoice: string; cents: number }; sender: Billing }
 *   }
 * }
 *
 * const invoicePaid = signal('invoice.paid') // NamedSignal<{ invoice: string; cents: number }, Billing>
 * invoicePaid.connect((billing, { invoice, cents }) => console.log(billing.name, invoice, cents / 100))
 * invoicePaid.send(new Billing(), { invoice: 'INV-7', cents: 1250 }) // Prints: billing INV-7 12.5
 * ```
 */
export interface SignalTypes {}

/** The payload type a registry entry declares: its `payload` property, `void` without one. */
export type PayloadOf<Entry> = 'payload' extends keyof Entry ? Entry['payload' & keyof Entry] : void

/** The sender type a registry entry declares: its `sender` property, `unknown` without one. */
export type SenderOf<Entry> = 'sender' extends keyof Entry ? Entry['sender' & keyof Entry] : unknown

/** The receiver result type a registry entry declares: its `result` property, `unknown` without one. */
export type ResultOf<Entry> = 'result' extends keyof Entry ? Entry['result' & keyof Entry] : unknown

/**
 * The type of the signal that `signal(name)` (or `namespace.signal(name)`) returns for a name declared
 * in a registry: {@link SignalTypes} unless another registry is given.
 *
 * @typeParam Name - A name declared in the registry.
 * @typeParam Types - The registry; {@link SignalTypes} by default.
 *
 * @example
 * ```ts
 * import { type SignalOf, Namespace } from 'signalry'
 *
 * interface JobSignals {
 *   'job.done': { payload: { id: string }; sender: string }
 * }
 * const jobs = new Namespace<JobSignals>()
 * const done: SignalOf<'job.done', JobSignals> = jobs.signal('job.done')
 * done.connect((queue, { id }) => console.log(queue, id))
 * done.send('mail', { id: 'j1' }) // Prints: mail j1
 * ```
 */
export type SignalOf<Name extends keyof Types, Types extends object = SignalTypes> = NamedSignal<
  PayloadOf<Types[Name]>,
  SenderOf<Types[Name]>,
  ResultOf<Types[Name]>
>
