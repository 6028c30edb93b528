/**
 * When publish may take an existing `validation-report.json` instead of validating again: the
 * report passed, it was made for the very expectation publish would validate against (same
 * distribution, version, expected build identifiers, tag, size limit, external checks, sdist
 * rule), and the sha256 of every file in the upload set equals the report's, with no file more or
 * less. Content-addressed, so no weaker than validating: the verdict is about those exact bytes.
 * Pure: the parsed report and the files' sha256s in, a decision out.
 */
import type { ValidationReport } from '../validation/report';

/** What publish would validate against (the inputs of validate-wheels that change its verdict). */
export interface ReuseExpectation {
  /** Normalized distribution name. */
  distribution: string;
  /** Normalized `[project].version` (null when dynamic). */
  version: string | null;
  /** The build identifiers publish expects (one wheel each). */
  identifiers: string[];
  /** The tag value validate-wheels would check (option tag / GITHUB_REF*), or null. */
  tag: string | null;
  /** The size limit in bytes validate-wheels would apply. */
  maxSize: number;
  /** true: twine check (and, on a Linux host, auditwheel show) must have run. */
  externalChecks: boolean;
  /** The host is Linux (auditwheel can run). */
  linuxHost: boolean;
  /** An sdist is expected beside the wheels (`[tool.nx-wheels] sdist`). */
  sdist: boolean;
}

/** One file of the upload set on disk. */
export interface DiskFile {
  file: string;
  sha256: string;
  size: number;
}

/** The decision: reuse (with the files, in name order) or validate, with the reason. */
export type ReuseDecision = { reuse: true; files: DiskFile[]; createdAt: string } | { reuse: false; reason: string };

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * Decide whether a validation report can stand for validating `onDisk` again.
 * @param report the parsed `validation-report.json` (anything: a wrong shape is a "validate" answer)
 * @param want the expectation publish would validate against
 * @param onDisk the upload set: every `*.whl` in the wheel directory, plus `*.tar.gz` files there
 * @returns `{ reuse: true, files }` only when every condition holds, else the first reason not to.
 */
export function decideReuse(report: unknown, want: ReuseExpectation, onDisk: readonly DiskFile[]): ReuseDecision {
  const no = (reason: string): ReuseDecision => ({ reuse: false, reason });
  const r = report as Partial<ValidationReport> | null;
  if (!r || typeof r !== 'object' || r.reportVersion !== 1 || !Array.isArray(r.wheels) || !Array.isArray(r.identifiers)) return no('the report is not a validation report (version 1)');
  if (r.ok !== true) return no('the report records a failed validation');
  if (r.distribution !== want.distribution) return no(`the report is for ${String(r.distribution)}, not ${want.distribution}`);
  if ((r.version ?? null) !== want.version) return no(`the report is for version ${String(r.version)}, pyproject.toml says ${String(want.version)}`);
  if (!sameSet(r.identifiers, want.identifiers)) return no('the report expected other build identifiers');
  if ((r.tag?.value ?? null) !== want.tag) return no(`the report checked tag ${String(r.tag?.value ?? 'none')}, this run checks ${want.tag ?? 'none'}`);
  if (typeof r.maxSize !== 'number' || r.maxSize > want.maxSize) return no('the report used a larger size limit');
  if (want.externalChecks) {
    if (r.externalChecks?.twine !== 'ran') return no('twine check did not run for the report');
    if (want.linuxHost && r.externalChecks?.auditwheel !== 'ran') return no('auditwheel show did not run for the report');
  }
  const reported = new Map<string, string | null>(r.wheels.map((w) => [w.file, w.sha256]));
  if (want.sdist) {
    if (!r.sdist) return no('the report has no sdist, which [tool.nx-wheels] sdist expects');
    reported.set(r.sdist.file, r.sdist.sha256);
  } else if (r.sdist) return no('the report has an sdist, which this run does not expect');
  const files = [...onDisk].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const f of files) {
    if (!reported.has(f.file)) return no(`${f.file} is not in the report`);
    if (reported.get(f.file) !== f.sha256) return no(`${f.file} has changed since the report (sha256 ${f.sha256})`);
  }
  const missing = [...reported.keys()].filter((n) => !files.some((f) => f.file === n));
  if (missing.length) return no(`the report lists ${missing.join(', ')}, which is not in the directory`);
  return { reuse: true, files, createdAt: String(r.createdAt ?? '') };
}
