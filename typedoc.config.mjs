// TypeDoc: the API reference and the guide pages of docs/ (`npm run docs` → docs-site/, git-ignored) and,
// with `--emit none`, the documentation check of the test command (`npm run test:docs`), which fails on
// any warning. docs/ holds the pages' Markdown sources; README.md is the front page.
//
// Entry points follow package.json `exports`, so a new subpath export is documented (and checked)
// without editing this file: export "./x" (built to dist/x.js) comes from src/x.ts or
// src/entries/x.ts; "." from src/index.ts.
import { existsSync, readFileSync } from 'node:fs'

const { exports } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'))

function sourceOf(subpath) {
  if (subpath === '.') return 'src/index.ts'
  const name = subpath.slice(2)
  const candidates = [`src/${name}.ts`, `src/entries/${name}.ts`]
  const found = candidates.find((file) => existsSync(new URL(`./${file}`, import.meta.url)))
  if (found === undefined) {
    throw new Error(`typedoc.config.mjs: no source for export "${subpath}"; expected one of ${candidates.join(', ')}`)
  }
  return found
}

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: 'signalry',
  entryPoints: Object.keys(exports)
    .filter((subpath) => !subpath.endsWith('.json'))
    .map(sourceOf),
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
