// The house rule, checked: every public export has TSDoc with a summary and an @example, and every
// public member of an exported class has a summary. (That the examples compile and print what
// they say is checked by docExamples.test.ts.)
import { join } from 'node:path'
import ts from 'typescript'

const entry = join(__dirname, '..', '..', 'src', 'index.ts')
// The subpath exports (`signalry/bridge`, ...) are checked the same way.
const subpathEntries = {
  'signalry/bridge': join(__dirname, '..', '..', 'src', 'entries', 'bridge.ts'),
  'signalry/broadcast-channel': join(__dirname, '..', '..', 'src', 'entries', 'broadcast-channel.ts'),
  'signalry/redis': join(__dirname, '..', '..', 'src', 'entries', 'redis.ts'),
}
const program = ts.createProgram([entry, ...Object.values(subpathEntries)], {
  target: ts.ScriptTarget.ES2022,
  strict: true,
  lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts', 'lib.dom.d.ts'],
  baseUrl: join(__dirname, '..', '..'),
  paths: { signalry: ['./src/index.ts'] },
})
const checker = program.getTypeChecker()

function exportsOf(file: string) {
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file) as ts.SourceFile) as ts.Symbol
  return checker.getExportsOfModule(moduleSymbol).map((exported) => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
    return [exported.getName(), symbol] as const
  })
}

const publicExports = exportsOf(entry)
const subpathExports = Object.entries(subpathEntries).flatMap(([path, file]) =>
  exportsOf(file).map(([name, symbol]) => [`${path}: ${name}`, symbol] as const),
)

function summaryOf(symbol: ts.Symbol): string {
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim()
}

function tagsOf(symbol: ts.Symbol): string[] {
  return symbol.getJsDocTags(checker).map((tag) => tag.name)
}

test('the public API is what the README documents', () => {
  expect(publicExports.map(([name]) => name).sort()).toEqual(
    [
      'ANY',
      'Any',
      'AsyncReceiverError',
      'AsyncRobustSendResult',
      'AsyncSendResult',
      'Concurrency',
      'EventIterator',
      'EventsOptions',
      'EventsOverflowError',
      'NextOptions',
      'Overflow',
      'SendAsyncOptions',
      'ConnectInfo',
      'ConnectOptions',
      'Connection',
      'DisconnectInfo',
      'DisconnectOptions',
      'DisconnectReason',
      'NamedSignal',
      'Namespace',
      'Outcome',
      'Receiver',
      'ReceiverDecorator',
      'ResolvedConnectOptions',
      'RobustSendResult',
      'SendArguments',
      'SendDepthError',
      'SendDiagnostic',
      'SendResult',
      'SignalOf',
      'SignalTypes',
      'Signal',
      'SignalInspection',
      'defaultNamespace',
      'receiver',
      'disconnectOwner',
      'signal',
    ].sort(),
  )
})

test('the subpath exports are what the README documents', () => {
  expect(subpathExports.map(([name]) => name).sort()).toEqual(
    [
      'signalry/bridge: Bridge',
      'signalry/bridge: bridge',
      'signalry/bridge: BridgeCodec',
      'signalry/bridge: BridgeError',
      'signalry/bridge: BridgeErrorReason',
      'signalry/bridge: BridgeOptions',
      'signalry/bridge: BridgeStats',
      'signalry/bridge: BridgeTransport',
      'signalry/bridge: Envelope',
      'signalry/bridge: jsonCodec',
      'signalry/bridge: TransportLink',
      'signalry/broadcast-channel: broadcastChannel',
      'signalry/broadcast-channel: BroadcastChannelOptions',
      'signalry/redis: RedisConnection',
      'signalry/redis: redisPubSub',
      'signalry/redis: RedisPubSubOptions',
      'signalry/redis: redisStreams',
      'signalry/redis: RedisStreamsOptions',
    ].sort(),
  )
})

test.each([...publicExports, ...subpathExports])('export %s has a summary and an @example', (_name, symbol) => {
  expect(summaryOf(symbol)).not.toBe('')
  expect(tagsOf(symbol)).toContain('example')
})

const classMembers = [...publicExports, ...subpathExports]
  .filter(([, symbol]) => symbol.flags & ts.SymbolFlags.Class)
  .flatMap(([className, symbol]) => {
    const members = [...(symbol.members?.values() ?? []), ...(symbol.exports?.values() ?? [])]
    return members
      .filter((member) => {
        const declaration = member.declarations?.[0]
        if (declaration === undefined || member.getName() === 'prototype') return false
        if (member.flags & ts.SymbolFlags.TypeParameter) return false
        const modifiers = ts.getCombinedModifierFlags(declaration)
        return !(modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) && !member.getName().startsWith('#')
      })
      .map((member) => [`${className}.${member.getName()}`, member] as const)
  })

test('exported classes have public members to check', () => {
  expect(classMembers.map(([name]) => name)).toEqual(expect.arrayContaining(['Signal.connect', 'Namespace.signal', 'Namespace.signalCreated', 'signalry/bridge: Bridge.close']))
})

test.each(classMembers)('member %s has a summary', (_name, member) => {
  expect(summaryOf(member)).not.toBe('')
})
