import type { NamedSignal } from 'signalry'
import type { TypesOfSignal } from '../../src/types'

/**
 * A signal's type arguments as a plain object type, for `expectTypeOf` checks: comparing whole
 * signal class types makes a failing check very slow to report.
 */
export type TypesOf<T> = TypesOfSignal<T> & { named: T extends NamedSignal<any, any, any> ? true : false }

/** The {@link TypesOf} a value's type (type-level only: never called). */
export declare function typesOf<T>(signal: T): TypesOf<T>
