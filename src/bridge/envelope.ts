// The envelope a bridge puts on the wire, the JSON codec, and the strict validation of whatever
// arrives. Nothing here throws for bad input: validation returns the reason a message is dropped.

/**
 * The envelope version of a message without `meta`. Bridges write it for every message that carries
 * no `meta`, so nodes of earlier releases (which read version 1 only) still read them.
 */
export const ENVELOPE_VERSION = 1

/**
 * The envelope version of a message with `meta` (added in the release that added `meta`): version 1
 * plus the optional `meta` field. Bridges read both versions; nodes of earlier releases drop version
 * 2 as `'unsupported-version'`, so enable `inject` once every node reads it.
 */
export const ENVELOPE_VERSION_WITH_META = 2

/** At most this many `meta` entries. */
export const MAX_META_ENTRIES = 16
/** Longest `meta` key. */
const MAX_META_KEY_LENGTH = 64
/** Longest `meta` value (W3C `tracestate` may have 512 characters). */
const MAX_META_VALUE_LENGTH = 1024
/** Most characters in all `meta` keys and values together. */
const MAX_META_CHARACTERS = 4096
/** A `meta` key: a letter or digit, then letters, digits, `_`, `-`, `.` (HTTP header and baggage names). */
const META_KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/
/** A `meta` value: printable ASCII, as in HTTP headers (W3C trace context and baggage are). */
const META_VALUE = /^[\x20-\x7e]*$/

/**
 * One bridged send, as it travels between processes.
 *
 * @remarks
 * `origin` is the sending bridge's `nodeId`; `id` is unique per origin (bridges use it to drop
 * duplicates; the bridge writes `<epoch>.<sequence>.<96 random bits>`, so receivers can count
 * messages that never arrived and nobody can guess the next id); `signal` is the signal's name; `senderKey` is what the `senderKey` option made of the
 * sender, or `null` for a send without a sender; `payload` is the send's payload. Every field is
 * required, except that `payload` may be left out for a payload of `undefined` (JSON cannot carry
 * `undefined`, so `JSON.stringify` leaves it out); no other field is allowed.
 *
 * `meta` (version 2 only) carries short strings about the send that are not its payload — the W3C
 * trace context (`traceparent`, `tracestate`, `baggage`) put there by the bridge's `inject` option and
 * read back by `extract`. At most 16 entries; keys of 1 to 64 characters (letters, digits, `_`, `-`,
 * `.`, starting with a letter or digit); values of at most 1024 printable ASCII characters; 4096
 * characters in all. A message with anything else in `meta` is dropped as `'wrong-type'`.
 *
 * @example
 * ```ts
 * import type { Envelope } from 'signalry/bridge'
 *
 * const envelope: Envelope = { v: 1, origin: 'node-a', id: 'Vq3xR8pa.1.k2Jc9_a0TzQ4mW7b', signal: 'user.created', senderKey: null, payload: { id: 7 } }
 * console.log(Object.keys(envelope).join(' ')) // Prints: v origin id signal senderKey payload
 * ```
 */
export interface Envelope {
  /** The envelope version: `1`, or `2` when the message has `meta`. */
  readonly v: 1 | 2
  /** The `nodeId` of the bridge that published it. */
  readonly origin: string
  /** Unique per origin. */
  readonly id: string
  /** The name of the signal that was sent. */
  readonly signal: string
  /** The sender's key, or `null` for a send without a sender. */
  readonly senderKey: string | null
  /** The payload of the send; absent when it was `undefined`. */
  readonly payload?: unknown
  /** Version 2: short strings about the send (trace context); see above for the limits. */
  readonly meta?: Readonly<Record<string, string>>
}

/**
 * Turns envelopes into text and back, for transports that carry text (Redis). The default is
 * {@link jsonCodec}; pass your own as the bridge's `codec` option (for example to support `Date`s or
 * `BigInt`s in payloads).
 *
 * @remarks
 * `decode` may throw or return anything: the bridge validates its result as strictly as it validates
 * JSON, and reports a throw as `'decode-failed'`. Both ends of a bridge must use the same codec.
 *
 * @example
 * ```ts
 * import { type BridgeCodec, jsonCodec } from 'signalry/bridge'
 *
 * // A codec that keeps Dates: encoded as { $date: iso }, decoded back.
 * const withDates: BridgeCodec = {
 *   encode: (envelope) => JSON.stringify(envelope, function (key, value) {
 *     const original = (this as Record<string, unknown>)[key]
 *     return original instanceof Date ? { $date: original.toISOString() } : value
 *   }),
 *   decode: (text) => JSON.parse(text, (_key, value) =>
 *     value !== null && typeof value === 'object' && typeof value.$date === 'string' ? new Date(value.$date) : value),
 * }
 * const text = withDates.encode({ v: 1, origin: 'a', id: 'a:1', signal: 's', senderKey: null, payload: new Date(0) })
 * console.log((withDates.decode(text) as { payload: Date }).payload.getTime(), jsonCodec.decode('[1]')) // Prints: 0 [ 1 ]
 * ```
 */
export interface BridgeCodec {
  /** Encodes an envelope as text. May throw; the bridge reports `'encode-failed'` and publishes nothing. */
  encode(envelope: Envelope): string
  /** Decodes text into a value that should be an envelope. May throw; reported as `'decode-failed'`. */
  decode(text: string): unknown
}

/**
 * The default {@link BridgeCodec}: `JSON.stringify` and `JSON.parse`.
 *
 * @remarks
 * Payloads must be JSON data: `undefined` properties vanish, `Date`s become strings, `Map`s become
 * `{}`; a `BigInt` or a cycle makes `encode` throw (reported as `'encode-failed'`).
 *
 * @example
 * ```ts
 * import { jsonCodec } from 'signalry/bridge'
 *
 * const text = jsonCodec.encode({ v: 1, origin: 'a', id: 'a:1', signal: 'ping', senderKey: null, payload: 1 })
 * console.log(text) // Prints: {"v":1,"origin":"a","id":"a:1","signal":"ping","senderKey":null,"payload":1}
 * ```
 */
export const jsonCodec: BridgeCodec = Object.freeze({
  encode: (envelope: Envelope): string => JSON.stringify(envelope),
  decode: (text: string): unknown => JSON.parse(text),
})

/**
 * Why a bridge dropped a message or could not publish a send, as reported on {@link Bridge.errors}:
 *
 * Incoming (a message from the transport, dropped):
 * - `'oversize'`: larger than `maxMessageBytes` (also outgoing: the send is not published);
 * - `'decode-failed'`: the codec could not decode it (bad JSON), or the transport could not;
 * - `'not-an-envelope'`: not a plain object (`null`, an array, a number, a string ...);
 * - `'unsupported-version'`: `v` is not `1`;
 * - `'missing-field'` / `'unknown-field'`: a field is missing, or one that is not in the envelope is present;
 * - `'wrong-type'`: a field has the wrong type, or a string field is empty or too long;
 * - `'forbidden-key'`: a `__proto__`, `constructor` or `prototype` key anywhere in the message;
 * - `'too-deep'`: the payload nests deeper than `maxPayloadDepth`;
 * - `'unknown-signal'`: no bridged signal has that name (or `include` excludes it);
 * - `'sender-unmapped'`: `senderFromKey` threw for the sender key;
 * - `'extract-failed'`: the `extract` option threw, or did not call `deliver` (the message is then
 *   re-sent outside any extracted context, never lost);
 * - `'receiver-failed'`: a local receiver threw or rejected while the message was re-sent (the others still ran);
 * - `'duplicate'`: messages whose id was delivered before, dropped (one report per burst, with the count);
 * - `'messages-lost'`: messages of another node that never arrived, with their count (a gap in that
 *   node's sequence, or stream entries trimmed before this node read them).
 *
 * Outgoing (a local send that is not published):
 * - `'sender-key-failed'`: `senderKey` threw or returned something that is neither a string nor undefined;
 * - `'inject-failed'`: the `inject` option threw or wrote a `meta` that breaks its limits (the send is
 *   then published without `meta`, never lost);
 * - `'encode-failed'`: the codec (or structured clone) could not encode the payload;
 * - `'buffer-overflow'`: the transport is down and its outgoing buffer is full;
 * - `'publish-failed'`: the transport refused the message, or it was still buffered when the bridge closed.
 *
 * Transport:
 * - `'connection-lost'`: an open connection was lost (reported once per outage; the transport
 *   reconnects by itself); for pub/sub, messages published until it is back may be missing;
 * - `'transport-error'`: a connection could not be made, a command failed, or the transport could
 *   not be opened or closed.
 *
 * @example
 * ```ts
 * import type { BridgeErrorReason } from 'signalry/bridge'
 *
 * const dropped: BridgeErrorReason = 'forbidden-key'
 * console.log(dropped) // Prints: forbidden-key
 * ```
 */
export type BridgeErrorReason =
  | 'oversize'
  | 'decode-failed'
  | 'not-an-envelope'
  | 'unsupported-version'
  | 'missing-field'
  | 'unknown-field'
  | 'wrong-type'
  | 'forbidden-key'
  | 'too-deep'
  | 'unknown-signal'
  | 'sender-unmapped'
  | 'extract-failed'
  | 'receiver-failed'
  | 'duplicate'
  | 'messages-lost'
  | 'sender-key-failed'
  | 'inject-failed'
  | 'encode-failed'
  | 'buffer-overflow'
  | 'publish-failed'
  | 'transport-error'
  | 'connection-lost'

/** The reason a message is invalid, and a sentence saying what was wrong. */
export interface Invalid {
  readonly reason: BridgeErrorReason
  readonly detail: string
}

const FIELDS = ['v', 'origin', 'id', 'signal', 'senderKey', 'payload'] as const
const FIELD_SET: ReadonlySet<string> = new Set([...FIELDS, 'meta'])
/** Fields every envelope has (`payload` is left out for an `undefined` payload, `meta` when there is none). */
const REQUIRED_FIELDS: ReadonlySet<string> = new Set(FIELDS.filter((field) => field !== 'payload'))
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype'])
/** Longest accepted `origin` and `id`. */
const MAX_ID_LENGTH = 256
/** Longest accepted `signal` name and `senderKey`. */
const MAX_NAME_LENGTH = 1024

/**
 * A plain object: its prototype is `null` or an `Object.prototype` — of any realm, since structured
 * clones may be made in another realm than the code that reads them (Node's vm contexts).
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const prototype: unknown = Object.getPrototypeOf(value)
  if (prototype === Object.prototype || prototype === null) return true
  return (
    Object.getPrototypeOf(prototype) === null && Object.prototype.toString.call(value) === '[object Object]'
  )
}

function tagOf(value: object): string {
  return Object.prototype.toString.call(value)
}

function describeKind(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object that is not plain data' : `a ${typeof value}`
}

function checkString(field: string, value: unknown, max: number): Invalid | undefined {
  if (typeof value !== 'string')
    return { reason: 'wrong-type', detail: `field "${field}" must be a string, got ${describeKind(value)}` }
  if (value.length === 0 || value.length > max) {
    return {
      reason: 'wrong-type',
      detail: `field "${field}" must be 1 to ${max} characters long, got ${value.length}`,
    }
  }
  return undefined
}

/**
 * Checks that `value` is exactly an {@link Envelope}: a plain object with the six fields, each of its
 * type, no other field, and a payload of at most `maxDepth` nested levels with no `__proto__`,
 * `constructor` or `prototype` key anywhere. Returns `undefined` when it is valid.
 */
export function invalidEnvelope(value: unknown, maxDepth: number): Invalid | undefined {
  if (!isPlainObject(value))
    return { reason: 'not-an-envelope', detail: `expected an envelope object, got ${describeKind(value)}` }
  let required = 0
  // String keys, then symbols: the order of Reflect.ownKeys, at a fraction of its cost.
  for (const key of Object.getOwnPropertyNames(value)) {
    if (REQUIRED_FIELDS.has(key)) required++
    else if (FORBIDDEN_KEYS.has(key))
      return { reason: 'forbidden-key', detail: `the envelope has a "${key}" key` }
    else if (!FIELD_SET.has(key))
      return { reason: 'unknown-field', detail: `the envelope has an unknown field "${key.slice(0, 64)}"` }
  }
  if (Object.getOwnPropertySymbols(value).length > 0)
    return { reason: 'unknown-field', detail: 'the envelope has a symbol key' }
  // Own keys are unique: all the required ones are there exactly when all were counted.
  if (required !== REQUIRED_FIELDS.size) {
    for (const field of REQUIRED_FIELDS) {
      if (!Object.hasOwn(value, field))
        return { reason: 'missing-field', detail: `the envelope has no field "${field}"` }
    }
  }
  const version = value['v']
  if (version !== ENVELOPE_VERSION && version !== ENVELOPE_VERSION_WITH_META) {
    return {
      reason: 'unsupported-version',
      detail: `envelope version ${describeVersion(version)} is not supported; this bridge reads versions ${ENVELOPE_VERSION} and ${ENVELOPE_VERSION_WITH_META}`,
    }
  }
  const hasMeta = Object.hasOwn(value, 'meta')
  if (hasMeta && version === ENVELOPE_VERSION) {
    return {
      reason: 'unknown-field',
      detail: `the envelope has a field "meta", which version ${ENVELOPE_VERSION} does not have`,
    }
  }
  if (!hasMeta && version === ENVELOPE_VERSION_WITH_META) {
    return {
      reason: 'missing-field',
      detail: `the envelope has no field "meta", which version ${ENVELOPE_VERSION_WITH_META} requires`,
    }
  }
  const wrong =
    checkString('origin', value['origin'], MAX_ID_LENGTH) ??
    checkString('id', value['id'], MAX_ID_LENGTH) ??
    checkString('signal', value['signal'], MAX_NAME_LENGTH) ??
    (value['senderKey'] === null ? undefined : checkString('senderKey', value['senderKey'], MAX_NAME_LENGTH))
  if (wrong !== undefined) return wrong
  if (hasMeta) {
    const badMeta = invalidMeta(value['meta'])
    if (badMeta !== undefined) return badMeta
  }
  return invalidPayload(value['payload'], maxDepth)
}

/**
 * Checks an envelope's `meta`: a plain object of at most 16 string entries within the limits of
 * {@link Envelope}, with no forbidden key. The one rule for both directions: the bridge checks what
 * `inject` wrote with it too. Returns `undefined` when it is valid.
 */
export function invalidMeta(meta: unknown): Invalid | undefined {
  if (!isPlainObject(meta))
    return {
      reason: 'wrong-type',
      detail: `field "meta" must be an object of strings, got ${describeKind(meta)}`,
    }
  const keys = Reflect.ownKeys(meta)
  if (keys.length > MAX_META_ENTRIES) {
    return {
      reason: 'wrong-type',
      detail: `field "meta" may have at most ${MAX_META_ENTRIES} entries, got ${keys.length}`,
    }
  }
  let characters = 0
  for (const key of keys) {
    if (typeof key !== 'string') return { reason: 'wrong-type', detail: 'field "meta" has a symbol key' }
    if (FORBIDDEN_KEYS.has(key)) return { reason: 'forbidden-key', detail: `field "meta" has a "${key}" key` }
    if (key.length > MAX_META_KEY_LENGTH || !META_KEY.test(key)) {
      return {
        reason: 'wrong-type',
        detail: `field "meta" has the key ${JSON.stringify(key.slice(0, 64))}: keys are 1 to ${MAX_META_KEY_LENGTH} letters, digits, "_", "-" or "."`,
      }
    }
    const entry = Object.getOwnPropertyDescriptor(meta, key)
    const text: unknown = entry?.value
    if (entry === undefined || !('value' in entry) || typeof text !== 'string') {
      return { reason: 'wrong-type', detail: `meta "${key}" must be a string, got ${describeKind(text)}` }
    }
    if (text.length > MAX_META_VALUE_LENGTH || !META_VALUE.test(text)) {
      return {
        reason: 'wrong-type',
        detail: `meta "${key}" must be at most ${MAX_META_VALUE_LENGTH} printable ASCII characters (got ${text.length} characters)`,
      }
    }
    characters += key.length + text.length
  }
  if (characters > MAX_META_CHARACTERS) {
    return {
      reason: 'wrong-type',
      detail: `field "meta" has ${characters} characters, more than ${MAX_META_CHARACTERS}`,
    }
  }
  return undefined
}

function describeVersion(version: unknown): string {
  return typeof version === 'number' ? String(version) : describeKind(version)
}

/**
 * Walks the payload without recursion (so no input can overflow the stack) and rejects forbidden keys
 * and too-deep nesting. Arrays, plain objects, Maps and Sets are walked; other values are leaves.
 */
function invalidPayload(payload: unknown, maxDepth: number): Invalid | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined
  // The stack of objects still to walk, made only when an object holds another (most payloads are flat).
  let values: object[] | undefined
  let depths: number[] | undefined
  let depth = 1
  for (
    let value: object | undefined = payload;
    value !== undefined;
    value = values?.pop(), depth = depths?.pop() ?? 0
  ) {
    if (depth > maxDepth)
      return { reason: 'too-deep', detail: `the payload nests deeper than ${maxDepth} levels` }
    let children: Iterable<unknown>
    if (Array.isArray(value)) children = value
    else {
      const prototype: unknown = Object.getPrototypeOf(value)
      // Plain data of this realm, told apart without the slower tag checks.
      const plainHere = prototype === Object.prototype || prototype === null
      if (!plainHere && tagOf(value) === '[object Map]')
        children = [...(value as Map<unknown, unknown>).keys(), ...(value as Map<unknown, unknown>).values()]
      else if (!plainHere && tagOf(value) === '[object Set]') children = value as Set<unknown>
      else {
        // Every own string key, enumerable or not (symbols cannot be forbidden keys).
        for (const key of Object.getOwnPropertyNames(value)) {
          if (FORBIDDEN_KEYS.has(key)) {
            return { reason: 'forbidden-key', detail: `the payload has a "${key}" key` }
          }
        }
        if (!plainHere && !isPlainObject(value)) continue
        children = Object.values(value)
      }
    }
    for (const child of children) {
      if (typeof child === 'object' && child !== null) {
        values ??= []
        depths ??= []
        values.push(child)
        depths.push(depth + 1)
      }
    }
  }
  return undefined
}

/**
 * The UTF-8 size of `text` if it is more than `max` bytes, else `undefined`; cheap for short text
 * (a UTF-16 code unit takes 1 to 3 UTF-8 bytes).
 */
export function oversizeBytes(text: string, max: number): number | undefined {
  if (text.length * 3 <= max) return undefined
  if (text.length > max) return text.length
  const bytes = utf8Length(text)
  return bytes > max ? bytes : undefined
}

function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) bytes += 1
    else if (code < 0x800) bytes += 2
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}
