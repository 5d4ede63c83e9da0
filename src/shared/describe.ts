// Short descriptions of values for error messages ("got number NaN", "got function onSave").
// Never throws: bad input may be a revoked proxy or an object with throwing getters.

/** Describes `value` for an error message: its kind and, where short, its value. */
export function describeValue(value: unknown): string {
  try {
    switch (typeof value) {
      case 'undefined':
        return 'undefined'
      case 'string':
        return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`
      case 'number':
      case 'boolean':
        return `${typeof value} ${String(value)}`
      case 'bigint':
        return `bigint ${String(value)}n`
      case 'symbol':
        return `symbol ${String(value)}`
      case 'function':
        return value.name ? `function ${value.name}` : 'an anonymous function'
      default:
        if (value === null) return 'null'
        if (Array.isArray(value)) return 'an array'
        return describeObject(value as object)
    }
  } catch {
    return `${typeof value === 'function' ? 'a function' : 'an object'} that cannot be inspected (a revoked proxy?)`
  }
}

function describeObject(value: object): string {
  const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null
  const name = prototype?.constructor?.name
  return typeof name === 'string' && name !== '' && name !== 'Object' ? `a ${name}` : 'an object'
}

/** A short label of a function for messages: its name, or "(anonymous)". */
export function functionLabel(fn: Function): string {
  try {
    return typeof fn.name === 'string' && fn.name !== '' ? fn.name : '(anonymous)'
  } catch {
    return '(anonymous)'
  }
}

/** A signal's name for messages and error chains, or "(unnamed Signal)". */
export function signalLabel(signal: unknown): string {
  const name = (signal as { name?: unknown }).name
  if (typeof name === 'string') return name
  if (typeof name === 'symbol') return String(name)
  return '(unnamed Signal)'
}

/**
 * `signal "user.created"` for a named signal; for one without a name, what `String(signal)` gives
 * (see {@link signalText}): `Signal("Sent after a save.")`, `AuditSignal` — for messages about a signal.
 */
export function describeSignal(signal: unknown): string {
  const name = (signal as { name?: unknown }).name
  if (typeof name === 'string') return `signal ${JSON.stringify(name)}`
  if (typeof name === 'symbol') return `signal ${String(name)}`
  return signalText(signal, 'doc')
}

/**
 * What `String(signal)` gives: the signal's class name (a subclass's own), then its name or doc
 * in parentheses if it has one: `Signal("Sent after a save.")`, `NamedSignal("user.created")`,
 * `AuditSignal`. Never throws, so that messages can use it on any signal.
 */
export function signalText(signal: unknown, label: 'name' | 'doc'): string {
  let className = 'Signal'
  let shown: string | undefined
  try {
    const constructorName = (signal as { constructor?: { name?: unknown } }).constructor?.name
    if (typeof constructorName === 'string' && constructorName !== '') className = constructorName
    const value = (signal as Record<string, unknown>)[label]
    if (typeof value === 'string') shown = JSON.stringify(value)
    else if (typeof value === 'symbol') shown = String(value)
  } catch {
    // A hostile subclass (a throwing getter): the class name alone.
  }
  return shown === undefined ? className : `${className}(${shown})`
}

/** The message of a caught error, or the thrown value as a string; never throws. */
export function messageOf(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error)
  } catch {
    return describeValue(error)
  }
}
