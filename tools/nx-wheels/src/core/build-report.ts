/**
 * The JSON build report written beside the wheels (`build-report.json`) and the summary table
 * printed at the end of a build. The test and validate targets read the report to know which
 * identifier each wheel belongs to.
 */
import { Engine } from './plan';
import { Platform } from './identifiers';

/** File name of the report inside the output directory. */
export const BUILD_REPORT_FILE = 'build-report.json';

/** One built wheel. */
export interface BuiltWheel {
  /** Wheel file name (inside the output directory). */
  file: string;
  /** Build identifier it was built for. */
  identifier: string;
  platform: Platform;
  /** The engine; `build` for a pure-Python project's wheel (pypa/build alone, pipeline/build-pure). */
  engine: Engine | 'build';
  /** Expanded `python-abi-platform` tags from the file name. */
  tags: string[];
  /** Size in bytes. */
  size: number;
  /** Lower-case hex sha256 of the file. */
  sha256: string;
  /** Seconds spent building (and repairing) this wheel; for cibuildwheel the platform's total. */
  seconds: number;
  /** `passed`, `skipped` (test-skip or no test-command), or `not-run` (tests were turned off). */
  tests: 'passed' | 'skipped' | 'not-run';
  /**
   * Native engine: the toolchain and target that built it, `host` or e.g.
   * `zig 0.15.2 x86_64-linux-gnu.2.28 -> manylinux_2_28_x86_64`; absent for cibuildwheel (its image decides).
   */
  toolchain?: string;
  /**
   * Where the tests ran when that is not the build's own interpreter: the cross route's
   * `CPython 3.13.5 for Windows (<package>) under wine, wine-8.0 ...`; absent otherwise.
   */
  testInterpreter?: string;
}

/** The report file's shape (version 1). */
export interface BuildReport {
  reportVersion: 1;
  /**
   * Selected identifiers this host could not build natively, with why and who builds them
   * (core/native-coverage); validate-wheels then reports them missing until their wheels arrive.
   */
  notBuilt?: Array<{ identifier: string; reason: string; builtBy: string }>;
  project: string;
  distribution: string;
  version: string | null;
  createdAt: string;
  wheels: BuiltWheel[];
  /** The source distribution, when one was built (option sdist, Linux platform only). */
  sdist?: { file: string; size: number; sha256: string } | null;
}

/** Human size: `123.4 KiB`. */
export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** A plain-text table: header row, separator, rows; columns padded to their widest cell. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The end-of-build summary: file, tags, size, sha256, seconds, tests. */
export function formatBuildSummary(report: BuildReport): string {
  const rows = report.wheels.map((w) => [w.file, w.tags.join(' '), formatSize(w.size), w.sha256, w.seconds.toFixed(1), w.tests]);
  if (report.sdist) rows.push([report.sdist.file, 'sdist', formatSize(report.sdist.size), report.sdist.sha256, '', '']);
  return formatTable(['file', 'tags', 'size', 'sha256', 'seconds', 'tests'], rows);
}
