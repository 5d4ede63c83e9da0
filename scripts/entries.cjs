// The package's entry points, derived from package.json `exports`: the one list of them. tsup
// (what to build), jest (what `signalry/x` resolves to in tests), TypeDoc (what to document) and the
// docs tests (what must be documented) all read it, so a new subpath export needs no other edit.
// Export "./x" (built to dist/x.js) comes from src/x.ts or src/entries/x.ts; "." from src/index.ts.
// CommonJS, so that ESM configs and the CommonJS-compiled tests can all load it.
const { existsSync, readFileSync } = require('node:fs')
const { join } = require('node:path')

const root = join(__dirname, '..')

/** @returns {import('./entries.d.cts').PackageEntry[]} */
function packageEntries() {
  const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  return Object.keys(packageJson.exports)
    .filter((subpath) => !subpath.endsWith('.json'))
    .map((subpath) => {
      const name = subpath === '.' ? 'index' : subpath.slice(2)
      const candidates = subpath === '.' ? ['src/index.ts'] : [`src/${name}.ts`, `src/entries/${name}.ts`]
      const source = candidates.find((file) => existsSync(join(root, file)))
      if (source === undefined) {
        throw new Error(
          `package.json exports "${subpath}" but there is no ${candidates.join(' or ')} to build it from`,
        )
      }
      const specifier = subpath === '.' ? packageJson.name : `${packageJson.name}/${name}`
      return { subpath, specifier, name, source }
    })
}

module.exports = { packageEntries }
