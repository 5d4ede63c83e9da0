// The house rule, checked: every public export has TSDoc with a summary and an @example, and every
// public member of an exported class has a summary. (That the examples compile and print what
// they say is checked by docExamples.test.ts.)
import { join } from 'node:path'
import ts from 'typescript'

const entry = join(__dirname, '..', 'src', 'index.ts')
const program = ts.createProgram([entry], { target: ts.ScriptTarget.ES2022, strict: true })
const checker = program.getTypeChecker()
const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry) as ts.SourceFile) as ts.Symbol
const publicExports = checker.getExportsOfModule(moduleSymbol).map((exported) => {
  const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
  return [exported.getName(), symbol] as const
})

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
      'SendResult',
      'SignalOf',
      'SignalTypes',
      'Signal',
      'defaultNamespace',
      'receiver',
      'disconnectOwner',
      'signal',
    ].sort(),
  )
})

test.each(publicExports)('export %s has a summary and an @example', (_name, symbol) => {
  expect(summaryOf(symbol)).not.toBe('')
  expect(tagsOf(symbol)).toContain('example')
})

const classMembers = publicExports
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
  expect(classMembers.map(([name]) => name)).toEqual(expect.arrayContaining(['Signal.connect', 'Namespace.signal']))
})

test.each(classMembers)('member %s has a summary', (_name, member) => {
  expect(summaryOf(member)).not.toBe('')
})
