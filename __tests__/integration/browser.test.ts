// signalry in a real browser: headless Chromium (Debian's `chromium`), pages bundled from the built
// ESM package and served locally. See helpers/browser.ts. Each scenario is a page (or pages) under
// __tests__/browser/; add a scenario by adding a page and a test below.
import { type BrowserHarness, logOf, startBrowserHarness } from '../helpers/browser'
import { describeWith } from '../helpers/services'

describeWith('chromium', 'in headless Chromium', () => {
  // body not re-indented, so that git sees the move as a rename
  let harness: BrowserHarness

  beforeAll(async () => {
    harness = await startBrowserHarness(['signals', 'broadcast'])
  }, 60_000)

  afterAll(async () => {
    await harness?.close()
  })

  describe('one page', () => {
    test('named signals, sender filtering and scoped receivers work in a page, which has no process object', async () => {
      const page = await harness.open('signals')
      expect(await logOf(page)).toEqual([
        'same signal by name: true',
        'clicked scripted (0)',
        'clicked scripted (0)',
        'scoped receivers saw: scripted, using scripted; receivers left: 2',
        'inspect: page.busy 2/0/0',
      ])
      await page.click('#save')
      await page.click('#cancel')
      expect((await logOf(page)).slice(5)).toEqual(['clicked save (1)', 'saving', 'clicked cancel (2)'])
      expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe(
        'undefined',
      )
      await page.close()
    }, 30_000)

    test('the receiver-leak warning goes to the browser console', async () => {
      const page = await harness.browser.newPage()
      const warnings: string[] = []
      page.on('console', (message) => {
        if (message.type() === 'warning') warnings.push(message.text())
      })
      await page.goto(`${harness.origin}/signals.html`)
      await page.waitForSelector('body[data-ready="true"]')
      expect(warnings).toEqual([
        expect.stringMatching(
          /^MaxReceiversExceededWarning: Possible receiver leak: signal "page.busy" has 2 receivers connected for sender ANY \(limit 1\)/,
        ),
      ])
      await page.close()
    }, 30_000)
  })

  describe('two pages of one origin', () => {
    test('the BroadcastChannel transport carries sends between the pages, with their senders, and no echo', async () => {
      const [a, b] = [await harness.open('broadcast', 'a'), await harness.open('broadcast', 'b')]
      await a.click('#save')
      await b.locator('#log li', { hasText: 'from tab-a' }).first().waitFor()
      await b.click('#save')
      await a.locator('#log li', { hasText: 'from tab-b' }).first().waitFor()
      // Each page got each send once: its own directly, the other's over the channel (no echo).
      expect(await logOf(a)).toEqual([
        'got "hello from a" from tab-a (a Date)',
        'only from tab-a',
        'got "hello from b" from tab-b (a Date)',
      ])
      expect(await logOf(b)).toEqual([
        'got "hello from a" from tab-a (a Date)',
        'only from tab-a',
        'got "hello from b" from tab-b (a Date)',
      ])
      await Promise.all([a.close(), b.close()])
    }, 30_000)
  })
})
