/** One entry point of the package, from an `exports` subpath of package.json. */
export interface PackageEntry {
  /** The `exports` key: `.` or `./bridge`. */
  readonly subpath: string
  /** What users import: `signalry` or `signalry/bridge`. */
  readonly specifier: string
  /** The built file's base name in dist/ (`index`, `bridge`) and tsup's entry name. */
  readonly name: string
  /** The source file, relative to the repository root: `src/index.ts`, `src/entries/bridge.ts`. */
  readonly source: string
}

/** Every entry point that package.json `exports` declares (package.json itself excluded). */
export function packageEntries(): PackageEntry[]
