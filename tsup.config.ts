import { defineConfig } from 'tsup'

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    // Subpath exports. They import the core as 'signalry' (external below), so at run time they use
    // the application's one copy of the core instead of bundling a second one.
    bridge: 'src/entries/bridge.ts',
    'broadcast-channel': 'src/entries/broadcast-channel.ts',
    redis: 'src/entries/redis.ts',
  },
  format: ['esm', 'cjs'],
  dts: {
    // `Connection` and `muted()` use the standard `Disposable` type (TypeScript >= 5.2); make sure a
    // consumer's compilation has it whatever its `lib` setting.
    banner: '/// <reference lib="esnext.disposable" />',
  },
  external: ['signalry', 'ioredis'],
  // Each entry is one self-contained file (no shared chunks), so a CommonJS and an ES module consumer
  // load the same shape of code.
  splitting: false,
  sourcemap: true,
  clean: true,
  // Node >= 18.18 and evergreen browsers run ES2022 natively.
  target: 'es2022',
  platform: 'neutral',
})
