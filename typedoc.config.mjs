// TypeDoc: the API reference and the guide pages of docs/ (`npm run docs` → docs-site/, git-ignored) and,
// with `--emit none`, the documentation check that __tests__/docs/apiReference.test.ts runs
// (`npm run test:docs`), which fails on any warning. docs/ holds the pages' Markdown sources;
// README.md is the front page.
//
// Entry points follow package.json `exports` (scripts/entries.cjs), so a new subpath export is
// documented (and checked) without editing this file.
import { packageEntries } from './scripts/entries.cjs'

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: 'signalry',
  entryPoints: packageEntries().map(({ source }) => source),
  entryPointStrategy: 'resolve',
  out: 'docs-site',
  readme: 'README.md',
  // The guide pages the README links to; each becomes a page of the site, and links between them resolve.
  projectDocuments: ['docs/*.md'],
  tsconfig: 'tsconfig.typedoc.json',
  excludePrivate: true,
  excludeInternal: true,
  excludeExternals: true,
  // No repository URL to link sources to.
  disableSources: true,
  treatWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, notDocumented: true },
  // Type helpers that public signatures use but users never name; each is documented in its source.
  intentionallyNotExported: [
    'PayloadOf',
    'SenderOf',
    'ResultOf',
    'TypesOfSignal',
    'PayloadOfEach',
    'SenderOfEach',
    'ResultOfEach',
    'AnySignal',
    'SendOf',
    'NamesOfPattern',
    'PatternReceiverOfUnions',
  ],
  requiredToBeDocumented: [
    'Enum',
    'EnumMember',
    'Variable',
    'Function',
    'Class',
    'Interface',
    'Property',
    'Method',
    'Accessor',
    'TypeAlias',
  ],
}
