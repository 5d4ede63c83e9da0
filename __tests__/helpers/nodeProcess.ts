// A fixture run in its own Node process (through tsx), read line by line: the tests that need a
// second process (the bridge across processes, the OpenTelemetry recipe, the fault suite) all
// start and read their children here.
import { type ChildProcess, spawn } from 'node:child_process'

export interface NodeProcess {
  readonly process: ChildProcess
  /** Every stdout line printed so far, in order. */
  readonly lines: string[]
  /** Resolves with the next stdout line not yet taken by line(), waiting for it if need be. */
  line(): Promise<string>
  /** Resolves with the first line that starts with `prefix`, printed already or later. */
  waitFor(prefix: string, ms?: number): Promise<string>
  /** Writes one line to the process's stdin. */
  send(line: string): void
  readonly exited: Promise<number | null>
  stderr(): string
}

/**
 * Starts `node --import tsx <fixture> ...args` in `cwd` (without the parent's NODE_OPTIONS, which
 * jest sets for its own workers). `name` labels the errors of waits that fail.
 */
export function runFixture(
  fixture: string,
  args: readonly string[],
  cwd: string,
  name = 'the process',
): NodeProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, ...args], {
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  })
  const lines: string[] = []
  let taken = 0
  // Waits get each new line in turn; the first whose test it passes is settled and removed.
  const waiting: Array<{ accepts(line: string, index: number): boolean; resolve(line: string): void }> = []
  let buffered = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      const line = buffered.slice(0, end)
      buffered = buffered.slice(end + 1)
      lines.push(line)
      for (const wait of [...waiting]) {
        if (wait.accepts(line, lines.length - 1)) {
          waiting.splice(waiting.indexOf(wait), 1)
          wait.resolve(line)
        }
      }
    }
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  // A child that exits early closes its stdin; a later send() must not crash the test process.
  child.stdin?.on('error', () => {})
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))

  function wait(
    accepts: (line: string, index: number) => boolean,
    what: string,
    ms?: number,
  ): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer =
        ms === undefined
          ? undefined
          : setTimeout(() => reject(new Error(`${name}: no ${what} within ${ms} ms; stderr:\n${stderr}`)), ms)
      waiting.push({
        accepts,
        resolve: (line) => {
          clearTimeout(timer)
          resolve(line)
        },
      })
      void exited.then((code) => {
        clearTimeout(timer)
        reject(new Error(`${name} exited (${code}) before printing ${what}; stderr:\n${stderr}`))
      })
    })
  }

  return {
    process: child,
    lines,
    line() {
      if (taken < lines.length) return Promise.resolve(lines[taken++] as string)
      return wait((_line, index) => {
        if (index !== taken) return false
        taken++
        return true
      }, 'a line')
    },
    waitFor(prefix, ms = 20_000) {
      const seen = lines.find((line) => line.startsWith(prefix))
      if (seen !== undefined) return Promise.resolve(seen)
      return wait((line) => line.startsWith(prefix), `a "${prefix}" line`, ms)
    },
    send(line) {
      child.stdin?.write(`${line}\n`)
    },
    exited,
    stderr: () => stderr,
  }
}
