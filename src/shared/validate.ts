// The one template for checking arguments and options, for the core, the bridge and the
// transports alike: "<method>() expects <what> as <which>, got <the value described>" and
// "<method>() got an unknown option "<key>"; the options are …". Values are described
// (`describeValue`), never reduced to their `typeof`.

import { describeValue, functionLabel, messageOf } from './describe'
import { isClass } from './guards'

/** @internal A TypeError for an argument of the wrong kind: "connect() expects a function as receiver, got string "x"". */
export function invalidArgument(method: string, expected: string, value: unknown): TypeError {
  return new TypeError(`${method}() expects ${expected}, got ${describeValue(value)}`)
}

/**
 * @internal Checks a numeric setting (`Signal.maxSendDepth`, `maxReceivers`): a value that is not a
 * number at all is a TypeError, a number outside the setting's range (NaN, fractions, negatives) a
 * RangeError: "Signal.maxSendDepth must be a positive integer, got number 1.5". The split is Node's
 * own (`emitter.setMaxListeners('10')` throws a TypeError, `setMaxListeners(-1)` a RangeError).
 */
export function assertNumberSetting(
  setting: string,
  expected: string,
  value: unknown,
  inRange: (value: number) => boolean,
): asserts value is number {
  if (typeof value === 'number' && inRange(value)) return
  const message = `${setting} must be ${expected}, got ${describeValue(value)}`
  throw typeof value === 'number' ? new RangeError(message) : new TypeError(message)
}

/**
 * @internal Throws a TypeError unless `options` is a plain options object (not an array) whose
 * keys are all in `known`, naming the first unknown key and the known ones.
 */
export function assertOptionsObject(
  method: string,
  options: unknown,
  known: ReadonlySet<string> | readonly string[],
): asserts options is Record<string, unknown> {
  const keys = typeof options === 'object' && options !== null ? ownKeysOfOptions(method, options) : undefined
  if (keys === undefined) throw invalidArgument(method, 'an options object', options)
  const knownKeys = known instanceof Set ? known : new Set(known)
  for (const key of keys) {
    if (!knownKeys.has(key)) {
      throw new TypeError(
        `${method}() got an unknown option ${JSON.stringify(key)}; the options are ${[...knownKeys].map((k) => `"${k}"`).join(', ')}`,
      )
    }
  }
}

/**
 * The own keys of an options object, or undefined for an array; throws a TypeError naming the
 * options if they cannot be read (a revoked proxy).
 */
function ownKeysOfOptions(method: string, options: object): string[] | undefined {
  try {
    return Array.isArray(options) ? undefined : Object.keys(options)
  } catch (error) {
    throw new TypeError(
      `${method}() expects an options object, got one that cannot be read (a revoked proxy?): ${messageOf(error)}`,
      {
        cause: error,
      },
    )
  }
}

/** @internal Throws a TypeError unless `receiver` is a function. */
export function assertReceiver(
  method: string,
  receiver: unknown,
): asserts receiver is (...args: never[]) => unknown {
  if (typeof receiver !== 'function') throw invalidArgument(method, 'a function as receiver', receiver)
}

/**
 * @internal Throws a TypeError unless `receiver` is a function that can be connected: one that can
 * be inspected (not a revoked proxy), checked before any bookkeeping changes.
 */
export function assertConnectableReceiver(
  method: string,
  receiver: unknown,
): asserts receiver is (...args: never[]) => unknown {
  assertReceiver(method, receiver)
  let aClass: boolean
  try {
    void (receiver as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag]
    aClass = isClass(receiver)
  } catch (error) {
    throw new TypeError(
      `${method}() expects a function as receiver, got a function that cannot be inspected (a revoked proxy?): ${messageOf(error)}`,
      { cause: error },
    )
  }
  if (aClass) {
    throw new TypeError(
      `${method}() expects a function as receiver, got class ${functionLabel(receiver)}: a class cannot be called ` +
        'without new, so the first send would throw; connect a function or a method',
    )
  }
}

/** @internal Throws a TypeError unless `body` is a function (the scope of `muted()` / `connectedTo()`). */
export function assertBody(method: string, body: unknown): asserts body is () => unknown {
  if (typeof body !== 'function') throw invalidArgument(method, 'a function as body', body)
}
