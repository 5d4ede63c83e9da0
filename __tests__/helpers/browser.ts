// A real browser for tests: pages under __tests__/browser/ (`<name>.page.ts`) are bundled with
// esbuild against the built package (dist/, through the package's `exports` map, as a bundler
// resolves it), served from a local HTTP server on 127.0.0.1, and opened in the system's headless
// Chromium (Debian's `chromium` package; no test downloads a browser).
import { build } from 'esbuild'
import { existsSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { assertAvailable, chromiumPath } from './services'

const root = join(__dirname, '..', '..')
const pagesDir = join(root, '__tests__', 'browser')

/** The ESM file the package exports for `specifier` (`signalry`, `signalry/x`), as a bundler picks it. */
function esmFileOf(specifier: string): string {
  const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    name: string
    exports: Record<string, unknown>
  }
  const subpath = specifier === packageJson.name ? '.' : `./${specifier.slice(packageJson.name.length + 1)}`
  let target = packageJson.exports[subpath]
  while (typeof target === 'object' && target !== null) {
    const conditions = target as Record<string, unknown>
    target = conditions['browser'] ?? conditions['import'] ?? conditions['default']
  }
  if (typeof target !== 'string') throw new Error(`package.json exports nothing for ${specifier}`)
  const file = join(root, target)
  if (!existsSync(file))
    throw new Error(`${file} is missing: run \`npm run build\` first (\`npm test\` does)`)
  return file
}

/** Bundles `<name>.page.ts` for the browser. */
async function bundlePage(name: string): Promise<string> {
  const result = await build({
    entryPoints: [join(pagesDir, `${name}.page.ts`)],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Lowers `using` for browsers without it; the package's Symbol.dispose fallback does the rest.
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'signalry-from-dist',
        setup(builder) {
          builder.onResolve({ filter: /^signalry(\/.*)?$/ }, (args) => ({ path: esmFileOf(args.path) }))
        },
      },
    ],
  })
  return result.outputFiles[0]?.text ?? ''
}

function pageHtml(name: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${name}</title></head>
<body>
  <button id="save">save</button> <button id="cancel">cancel</button>
  <ol id="log"></ol>
  <script type="module" src="/${name}.js"></script>
</body></html>`
}

/** A local server for the given pages and a headless Chromium to open them in. */
export interface BrowserHarness {
  readonly origin: string
  readonly browser: Browser
  /**
   * Opens `/<name>.html` in a new page of one shared browser context (so pages share an origin and
   * its BroadcastChannels), with `#<fragment>` if given, waits until it says it is ready, and
   * returns it.
   */
  open(name: string, fragment?: string): Promise<Page>
  close(): Promise<void>
}

export async function startBrowserHarness(pageNames: readonly string[]): Promise<BrowserHarness> {
  assertAvailable('chromium')
  const bundles = new Map<string, string>()
  for (const name of pageNames) bundles.set(name, await bundlePage(name))
  const server: Server = createServer((request, response) => {
    const match = /^\/([\w-]+)\.(html|js)$/.exec(request.url ?? '')
    const bundle = match === null ? undefined : bundles.get(match[1] as string)
    if (match === null || bundle === undefined) {
      response.writeHead(404).end()
      return
    }
    const html = match[2] === 'html'
    response.writeHead(200, {
      'content-type': html ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8',
    })
    response.end(html ? pageHtml(match[1] as string) : bundle)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  let browser: Browser
  try {
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
  } catch (error) {
    server.close()
    throw error
  }
  const context = await browser.newContext()
  return {
    origin,
    browser,
    async open(name, fragment) {
      const page = await context.newPage()
      const errors: Error[] = []
      page.on('pageerror', (error) => errors.push(error))
      await page.goto(`${origin}/${name}.html${fragment === undefined ? '' : `#${fragment}`}`)
      try {
        await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 })
      } catch (error) {
        throw new Error(
          `page ${name} did not get ready${errors.length > 0 ? `: ${errors.map(String).join('; ')}` : ''}`,
          { cause: error },
        )
      }
      return page
    },
    async close() {
      await browser.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** The lines of the page's `<ol id="log">`. */
export async function logOf(page: Page): Promise<string[]> {
  return page.locator('#log li').allTextContents()
}
