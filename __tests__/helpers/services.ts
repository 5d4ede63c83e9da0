// The system programs some tests need: `redis-server` (on PATH) and Debian's `chromium` (at
// CHROMIUM_PATH, else `chromium` on PATH, else /usr/bin/chromium). Tests that need one are written
// in `describeWith(service, ...)`:
// - service present: a plain describe;
// - service absent: the block is skipped, its name says why, and after the run one line
//   (skippedServicesReporter.cjs) names what was skipped and the command that installs it;
// - service absent with CI set or SIGNALRY_REQUIRE_SERVICES=1: the block runs and fails with a
//   message that says what is missing and how to install it (.ci/run installs both).
// The Debian package of each service has the service's name, so `apt-get install <service>` installs it.
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

export type Service = 'redis-server' | 'chromium'

/** Marks a skipped block's name; skippedServicesReporter.cjs looks for it. */
export const skipMarker = (service: Service): string => `[skipped: no ${service}]`

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** The full path of `command` on PATH, or undefined. */
function onPath(command: string): string | undefined {
  const dirs = (process.env['PATH'] ?? '').split(delimiter).filter((dir) => dir !== '')
  return dirs.map((dir) => join(dir, command)).find(executable)
}

/** The Chromium the browser tests drive. */
export const chromiumPath: string = process.env['CHROMIUM_PATH'] ?? onPath('chromium') ?? '/usr/bin/chromium'

/** Whether `service` is installed where the tests look for it. */
export function available(service: Service): boolean {
  return service === 'chromium' ? executable(chromiumPath) : onPath(service) !== undefined
}

/** Whether an absent service fails the run instead of skipping its tests (in CI, or when asked to). */
export const servicesRequired: boolean =
  Boolean(process.env['CI']) || process.env['SIGNALRY_REQUIRE_SERVICES'] === '1'

function missingMessage(service: Service): string {
  const where =
    service === 'chromium'
      ? `no executable Chromium at ${chromiumPath} (set CHROMIUM_PATH to use another)`
      : 'redis-server is not on PATH'
  return `${where}: install it with \`apt-get install ${service}\``
}

/** Throws an error saying what is missing and how to install it, when `service` is absent. */
export function assertAvailable(service: Service): void {
  if (!available(service)) {
    const why = servicesRequired
      ? ' (CI or SIGNALRY_REQUIRE_SERVICES=1: absent services fail instead of skipping)'
      : ''
    throw new Error(`${missingMessage(service)}${why}`)
  }
}

/**
 * `describe(name, fn)` for tests that need `service`: skipped (and reported at the end of the run)
 * when it is absent, failing with an install hint when it is absent and required.
 */
export function describeWith(service: Service, name: string, fn: () => void): void {
  // Absent but required: the block runs, and startRedis() / startBrowserHarness() fail in its
  // beforeAll with assertAvailable's message.
  if (available(service) || servicesRequired) describe(name, fn)
  else describe.skip(`${name} ${skipMarker(service)}`, fn)
}
