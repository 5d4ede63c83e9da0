// Every example in examples/ runs as users run it (`tsx examples/<name>.ts`), and prints exactly
// what the `// Prints:` block at its end says.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type RedisServer, startRedis } from './helpers/redisServer'

const examplesDir = join(__dirname, '..', 'examples')
const examples = readdirSync(examplesDir).filter((file) => file.endsWith('.ts'))

// examples/redis-cluster.ts needs a redis-server; the README tells users to start one, the test starts its own.
let redis: RedisServer | undefined
beforeAll(async () => {
  redis = await startRedis()
}, 20_000)
afterAll(async () => {
  await redis?.stop()
})

function expectedOutput(source: string): string {
  const marker = source.lastIndexOf('// Prints:\n')
  if (marker < 0) throw new Error('the example has no "// Prints:" block')
  return source
    .slice(marker + '// Prints:\n'.length)
    .trimEnd()
    .split('\n')
    .map((line) => line.replace(/^\/\/ ?/, ''))
    .join('\n')
}

test('the required examples exist', () => {
  expect(examples).toEqual(
    expect.arrayContaining([
      'quickstart.ts',
      'sender-filtering.ts',
      'testing-with-connected-to.ts',
      'priorities-and-once.ts',
      'redis-cluster.ts',
      'async-pipeline.ts',
    ]),
  )
})

test.each(examples)('examples/%s prints what its "Prints:" block says', (file) => {
  const path = join(examplesDir, file)
  const output = execFileSync(process.execPath, ['--import', 'tsx', path], {
    cwd: join(__dirname, '..'),
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', REDIS_URL: redis?.url ?? '' },
  })
  expect(output.trimEnd()).toBe(expectedOutput(readFileSync(path, 'utf8')))
}, 30_000)
