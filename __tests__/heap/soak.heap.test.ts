// The CI size of `npm run soak`: 200 000 sends with connect/disconnect churn must not grow the heap.
// Asserts on memory only, never on time.
import { collectGarbageNow } from '../helpers/garbageCollection'
import { heapGrowth, runSoak } from '../../model/soak'

/** A leak of one small object per churned connection would be several times this. */
const BOUND_BYTES = 1.5 * 2 ** 20

test('200 000 sends with connect/disconnect churn leave the heap where it was after warm-up', async () => {
  const reports = await runSoak({ sends: 200_000, reportEvery: 40_000, collectGarbage: collectGarbageNow })
  expect(reports.map((report) => report.sends)).toEqual([0, 40_000, 80_000, 120_000, 160_000, 200_000])
  // The churned signal kept its fixed receivers plus at most the live temporary ones.
  for (const report of reports.slice(1)) expect(report.receiverCount).toBeLessThanOrEqual(4 + 16 + 1)
  expect(reports[reports.length - 1]?.calls).toBeGreaterThan(1_000_000)
  const growth = heapGrowth(reports)
  if (growth >= BOUND_BYTES)
    console.log(
      reports.map((report) => `${report.sends}: ${(report.heapUsed / 2 ** 20).toFixed(2)} MB`).join('\n'),
    )
  expect(growth).toBeLessThan(BOUND_BYTES)
}, 120_000)
