/**
 * rehearse-release's record: the steps of a whole release run on one machine before any tag
 * (bump, build per platform, validate in tag mode, publish to a throwaway index twice, install by
 * name and exact version and test per platform), their verdicts and the report. Pure: the pipeline
 * (pipeline/rehearse-release.ts) runs the steps and records them here.
 */
import { formatTable } from './build-report';
import { Platform } from './identifiers';

/** The steps, in the order they run. */
export type RehearsalStepName = 'prepare' | 'build' | 'validate-release' | 'validate-wheels' | 'publish' | 'publish again' | 'install + test';

/** One step's outcome (per platform where the step is per platform). */
export interface RehearsalStep {
  step: RehearsalStepName;
  /** `linux` / `windows` for per-platform steps, null otherwise. */
  platform: Platform | null;
  verdict: 'passed' | 'failed' | 'not run';
  seconds: number;
  /** One line: what was done or why it failed (starts with the error code on failure). */
  detail: string;
}

/** rehearsal-report.json (version 1). */
export interface RehearsalReport {
  reportVersion: 1;
  project: string;
  distribution: string | null;
  /** The version the rehearsal released (PEP 440, normalized), once known. */
  version: string | null;
  tag: string | null;
  /** HEAD of the user's tree that was rehearsed. */
  commit: string;
  /** The release platforms ([tool.nx-wheels] release-platforms) and those rehearsed. */
  releasePlatforms: Platform[];
  platforms: Platform[];
  /** True when `--platforms` left out a release platform on purpose. */
  partial: boolean;
  ok: boolean;
  steps: RehearsalStep[];
  /** Wheels released: file, platform, engine, sha256. */
  wheels: Array<{ file: string; platform: Platform; engine: string; sha256: string }>;
  /** The scratch workspace, when kept (`--keep`). */
  scratch: string | null;
  startedAt: string;
  seconds: number;
  error: string | null;
}

/** The verdict line printed last. */
export function rehearsalVerdict(r: Pick<RehearsalReport, 'ok' | 'partial' | 'version' | 'platforms' | 'releasePlatforms' | 'steps' | 'seconds'>): string {
  const failed = r.steps.find((s) => s.verdict === 'failed');
  const where = (s: RehearsalStep) => `${s.step}${s.platform ? ` (${s.platform})` : ''}`;
  if (failed) return `REHEARSAL FAILED at ${where(failed)}: ${failed.detail}`;
  const left = r.releasePlatforms.filter((p) => !r.platforms.includes(p));
  const partial = r.partial ? ` PARTIAL: ${left.join(', ')} not rehearsed (--platforms).` : '';
  return `REHEARSAL PASSED: ${r.version ?? '?'} built, validated, published, installed and tested on ${r.platforms.join(' and ')} in ${Math.round(r.seconds)} s.${partial}`;
}

/** The steps as a terminal table: step, platform, verdict, seconds, detail. */
export function formatRehearsalTable(steps: readonly RehearsalStep[]): string {
  return formatTable(
    ['step', 'platform', 'verdict', 'seconds', 'detail'],
    steps.map((s) => [s.step, s.platform ?? '-', s.verdict, s.seconds.toFixed(1), s.detail]),
  );
}

/** The report as Markdown for `$GITHUB_STEP_SUMMARY`. */
export function rehearsalMarkdown(r: RehearsalReport): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = r.steps.map((s) => `| ${s.step} | ${s.platform ?? '-'} | ${s.verdict} | ${s.seconds.toFixed(1)} | ${cell(s.detail)} |`);
  return [`### Release rehearsal: ${r.project} ${r.version ?? ''}`.trimEnd(), '', rehearsalVerdict(r), '', '| step | platform | verdict | seconds | detail |', '|---|---|---|---|---|', ...rows, ''].join('\n');
}

/**
 * The platforms to rehearse: `requested` (the `platforms` option, comma-separated) or all release
 * platforms; each must be a release platform.
 * @returns the platforms and whether the rehearsal is partial
 * @throws Error with one line naming the option and the fix (the caller wraps it in its code)
 */
export function rehearsalPlatforms(requested: string | undefined, releasePlatforms: readonly Platform[]): { platforms: Platform[]; partial: boolean } {
  if (requested === undefined || requested.trim() === '' || requested === 'release') return { platforms: [...releasePlatforms], partial: false };
  const asked = [...new Set(requested.split(',').map((p) => p.trim()).filter(Boolean))];
  const bad = asked.filter((p) => !(releasePlatforms as readonly string[]).includes(p));
  if (bad.length) throw new Error(`option platforms: ${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} not among the release platforms (${releasePlatforms.join(', ')}); pass a subset of them, e.g. --platforms=${releasePlatforms[0]}.`);
  const platforms = releasePlatforms.filter((p) => asked.includes(p));
  return { platforms, partial: platforms.length < releasePlatforms.length };
}
