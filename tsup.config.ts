import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: {
    // `Connection` and `muted()` use the standard `Disposable` type (TypeScript >= 5.2); make sure a
    // consumer's compilation has it whatever its `lib` setting.
    banner: '/// <reference lib="esnext.disposable" />',
  },
  sourcemap: true,
  clean: true,
  // Node >= 18.18 and evergreen browsers run ES2022 natively.
  target: 'es2022',
  platform: 'neutral',
})
