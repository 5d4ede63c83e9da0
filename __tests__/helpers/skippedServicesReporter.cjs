// A jest reporter: after the run, one loud line naming the tests skipped because redis-server or
// Chromium is absent (see services.ts, which puts "[skipped: no <service>]" in their names) and the
// command that installs them. Silent when nothing was skipped for that reason.
const marker = /\[skipped: no ([\w-]+)\]/

class SkippedServicesReporter {
  onRunComplete(_contexts, results) {
    const skipped = new Map()
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status !== 'pending') continue
        const match = marker.exec([...test.ancestorTitles, test.title].join(' '))
        if (match === null) continue
        skipped.set(match[1], (skipped.get(match[1]) ?? 0) + 1)
      }
    }
    if (skipped.size === 0) return
    const services = [...skipped.keys()].sort()
    const total = [...skipped.values()].reduce((sum, count) => sum + count, 0)
    const counts = services.map((service) => `${skipped.get(service)} need ${service}`).join(', ')
    const line =
      `\n*** SKIPPED ${total} tests (${counts}, not installed). Install: \`apt-get install ${services.join(' ')}\` ` +
      '(CI=true or SIGNALRY_REQUIRE_SERVICES=1 makes a missing service fail). ***\n'
    // After jest's own summary, which the default reporter prints after this one's onRunComplete.
    process.once('exit', () => process.stderr.write(line))
  }
}

module.exports = SkippedServicesReporter
