import { createRequire } from 'node:module'
import { defineConfig } from 'tsup'

// Loaded at run time, not bundled into the config: tsup bundles this file as ESM, where the
// CommonJS module's own require() calls would not work.
const { packageEntries } = createRequire(import.meta.url)(
  './scripts/entries.cjs',
) as typeof import('./scripts/entries.cjs')

export default defineConfig({
  // Every export of package.json: dist/<name>.js from its source (scripts/entries.cjs). The subpath
  // exports import the core as 'signalry' (external below), so at run time they use the
  // application's one copy of the core instead of bundling a second one.
  entry: Object.fromEntries(packageEntries().map(({ name, source }) => [name, source])),
  format: ['esm', 'cjs'],
  dts: {
    // `Connection` and `muted()` use the standard `Disposable` type (TypeScript >= 5.2); make sure a
    // consumer's compilation has it whatever its `lib` setting.
    banner: '/// <reference lib="esnext.disposable" />',
  },
  external: ['signalry', 'ioredis', 'expect', 'vitest', /^node:/],
  // Each entry is one self-contained file (no shared chunks), so a CommonJS and an ES module consumer
  // load the same shape of code.
  splitting: false,
  sourcemap: true,
  clean: true,
  // Node >= 18.18 and evergreen browsers run ES2022 natively.
  target: 'es2022',
  platform: 'neutral',
  // Keep `node:crypto` as written (tsup strips the prefix by default): the prefix tells bundlers and
  // readers that the Redis transports need Node's own module, and Node >= 18.18 resolves it.
  removeNodeProtocol: false,
})
