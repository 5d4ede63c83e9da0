// `npm run soak`: 10 million sends with connect/disconnect churn (see model/soak.ts), printing
// the heap after garbage collection every million sends. Fails (exit code 1) if the heap grows by
// more than SIGNALRY_SOAK_BOUND_MB (default 2 MB) after warm-up. SIGNALRY_SOAK_SENDS changes the size.
import { heapGrowth, runSoak } from '../model/soak'

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) {
  console.error('run the soak with node --expose-gc (npm run soak does)')
  process.exit(2)
}
const sends = Number(process.env['SIGNALRY_SOAK_SENDS'] ?? 10_000_000)
const boundMb = Number(process.env['SIGNALRY_SOAK_BOUND_MB'] ?? 2)
const reportEvery = Math.max(1, Math.floor(sends / 10))
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(2)

console.log(`soak: ${sends} sends with connect/disconnect churn; heap after GC every ${reportEvery} sends`)
const started = Date.now()
const reports = await runSoak({
  sends,
  reportEvery,
  collectGarbage: gc,
  onReport: (report) =>
    console.log(
      `  ${String(report.sends).padStart(10)} sends  heap ${mb(report.heapUsed).padStart(7)} MB  connections ${String(report.receiverCount).padStart(3)}  receiver calls ${report.calls}  (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    ),
})
const growth = heapGrowth(reports)
console.log(
  `soak: heap growth after warm-up ${mb(growth)} MB (bound ${boundMb} MB), ${((Date.now() - started) / 1000).toFixed(1)} s`,
)
if (growth > boundMb * 2 ** 20) {
  console.error('soak: the heap grew beyond the bound; something is retained per send or per connection')
  process.exit(1)
}
