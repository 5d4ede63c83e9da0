// Mutes with exceptions: which receivers still hear a muted signal. This module owns that state (one
// list per mute in force, by signal), kept in the process state so that the copy of this module in
// signalry/testing (which exports mutedExcept) and the core's (which Signal asks when a muted send
// starts, src/signal.ts, reading it only) share it; the core entry itself does not export mutedExcept, so that it
// costs the core's bundle nothing.
import { runScoped, scopeHandle } from './scope'
import { disposeSymbol } from './shared/dispose'
import { processState } from './shared/processState'
import { assertBody, assertReceiver, invalidArgument } from './shared/validate'

/**
 * Mutes `signal` for a scope like `signal.muted()`, except for `receivers`: they still hear every
 * send (each of their connections, for its sender), the others hear none. How a test observes a
 * signal while its real receivers stay quiet (`signalry/testing`'s `isolate` is built on it).
 *
 * @remarks
 * Without `body`, returns a `Disposable` that ends the mute (once); with `body`, runs it and ends
 * the mute when it returns, throws, or its promise settles. Mutes nest: while several mutes with
 * exceptions are in force the receivers any of them names still hear; while a plain `muted()` is in
 * force too, nobody does. `signal.isMuted` is true throughout.
 *
 * @param signal - The signal to mute.
 * @param receivers - The receivers that still hear sends.
 * @throws TypeError for something that is not a signal, a receiver that is not a function, or a
 *   body that is not a function; nothing is muted then.
 *
 * @example
 * ```ts
 * import { Signal } from 'signalry'
 * import { mutedExcept } from 'signalry/testing'
 *
 * const saved = new Signal<string>()
 * const mailer = () => console.log('mail sent')
 * const audit = (_: unknown, id: string) => console.log('audited', id)
 * saved.connect(mailer)
 * saved.connect(audit)
 * mutedExcept(saved, [audit], () => saved.send(undefined, 'a1')) // Prints: audited a1
 * ```
 */
export function mutedExcept(
  signal: { muted(): Disposable },
  receivers: ReadonlyArray<(sender: any, payload: any) => unknown>,
): Disposable
export function mutedExcept<T>(
  signal: { muted(): Disposable },
  receivers: ReadonlyArray<(sender: any, payload: any) => unknown>,
  body: () => T,
): T
export function mutedExcept(
  signal: { muted(): Disposable },
  receivers: readonly unknown[],
  body?: unknown,
): unknown {
  if (typeof (signal as { muted?: unknown } | null)?.muted !== 'function')
    throw invalidArgument('mutedExcept', 'a signal', signal)
  if (!Array.isArray(receivers)) throw invalidArgument('mutedExcept', 'an array of receivers', receivers)
  for (const receiver of receivers) assertReceiver('mutedExcept', receiver)
  const hasBody = arguments.length > 2
  if (hasBody) assertBody('mutedExcept', body)
  const heard = [...receivers] as Function[]
  const bySignal = (processState.hearers ??= new WeakMap())
  let hearers = bySignal.get(signal)
  if (hearers === undefined) bySignal.set(signal, (hearers = []))
  hearers.push(heard)
  const mute = signal.muted()
  const handle = scopeHandle(() => {
    const list = bySignal.get(signal) as Array<readonly Function[]>
    list.splice(list.indexOf(heard), 1)
    if (list.length === 0) bySignal.delete(signal)
    mute[disposeSymbol]()
  })
  return hasBody ? runScoped(body as () => unknown, () => handle[disposeSymbol]()) : handle
}
