/**
 * The validate-wheels report: its JSON shape (`validation-report.json`), the terminal lines
 * (findings first, one line per wheel), the Markdown summary for `$GITHUB_STEP_SUMMARY`, and `SHA256SUMS`.
 */
import { formatSize } from '../build-report';
import { Code } from './codes';
import { Finding } from './findings';
import { ValidationOutcome, WheelResult } from './rules';

/** Default file names inside the wheel directory. */
export const VALIDATION_REPORT_FILE = 'validation-report.json';
export const SHA256SUMS_FILE = 'SHA256SUMS';

/** One wheel in the JSON report. */
interface ReportedWheel {
  file: string;
  /** Build identifier the wheel was matched to, or null. */
  identifier: string | null;
  /** Expanded `python-abi-platform` tags. */
  tags: string[];
  size: number;
  sha256: string | null;
  /** Claimed manylinux/musllinux policy, e.g. `manylinux_2_34 (glibc >= 2.34)`; empty for other platforms. */
  policy: string;
  /** Tag `auditwheel show` found the wheel consistent with, when it ran. */
  auditwheelTag: string | null;
  /** RECORD rows whose hash and size were verified. */
  recordVerified: number;
  checks: WheelResult['checks'];
  ok: boolean;
  findings: Finding[];
}

/** `validation-report.json` (version 1). */
export interface ValidationReport {
  reportVersion: 1;
  ok: boolean;
  project: string;
  /** Normalized distribution name. */
  distribution: string;
  /** Normalized `[project].version`, or null. */
  version: string | null;
  /** The tag or ref checked, and where it came from; null when no tag was checked. */
  tag: { value: string; source: string; version: string | null } | null;
  /** Platforms whose identifiers were expected. */
  platforms: string[];
  /** Expected identifiers (one wheel each). */
  identifiers: string[];
  wheelDir: string;
  maxSize: number;
  /** External checks: `ran`, or why not. */
  externalChecks: { twine: string; auditwheel: string };
  createdAt: string;
  counts: { wheels: number; errors: number; warnings: number };
  /** Findings about the set or the configuration (missing identifiers, stray files). */
  wheelhouse: Finding[];
  wheels: ReportedWheel[];
  /** Every finding, wheelhouse first then per wheel. */
  findings: Finding[];
  /** The source distribution, when one was expected and found (option sdist). */
  sdist?: { file: string; size: number; sha256: string | null } | null;
}

/** Build the JSON report from the rules' outcome. */
export function buildReport(
  outcome: ValidationOutcome,
  meta: {
    project: string;
    distribution: string;
    tag: { value: string; source: string } | null;
    platforms: string[];
    identifiers: string[];
    wheelDir: string;
    maxSize: number;
    externalChecks: { twine: string; auditwheel: string };
    createdAt?: string;
  },
): ValidationReport {
  const errors = outcome.findings.filter((f) => f.severity === 'error').length;
  return {
    reportVersion: 1,
    ok: errors === 0,
    project: meta.project,
    distribution: meta.distribution,
    version: outcome.projectVersion,
    tag: meta.tag ? { ...meta.tag, version: outcome.tagVersion } : null,
    platforms: meta.platforms,
    identifiers: meta.identifiers,
    wheelDir: meta.wheelDir,
    maxSize: meta.maxSize,
    externalChecks: meta.externalChecks,
    createdAt: meta.createdAt ?? new Date().toISOString(),
    counts: { wheels: outcome.wheels.length, errors, warnings: outcome.findings.length - errors },
    wheelhouse: outcome.wheelhouseFindings,
    wheels: outcome.wheels.map((w) => ({
      file: w.file,
      identifier: w.identifier,
      tags: w.parsed?.tags ?? [],
      size: w.size,
      sha256: w.sha256,
      policy: w.policy,
      auditwheelTag: w.auditwheelTag,
      recordVerified: w.recordVerified,
      checks: w.checks,
      ok: !w.findings.some((f) => f.severity === 'error'),
      findings: w.findings,
    })),
    findings: outcome.findings,
  };
}

/** The codes of a report's findings, sorted and unique (handy for tests and summaries). */
export function reportCodes(report: Pick<ValidationReport, 'findings'>): Code[] {
  return [...new Set(report.findings.map((f) => f.code))].sort();
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One terminal line per finding: result, where, code, what, and the fix beside it. */
function findingLine(f: Finding): string {
  const where = f.file ?? 'wheel directory';
  return `  ${f.severity === 'error' ? 'FAIL' : 'warn'}  ${where}: ${f.code}: ${f.message}  -> fix: ${f.fix}`;
}

/** One line for a wheel: result, file, identifier it serves, size in bytes, sha256, and what was verified or what failed. */
function wheelLine(w: ReportedWheel): string {
  const errors = w.findings.filter((f) => f.severity === 'error');
  const warnings = w.findings.length - errors.length;
  const failedChecks = [...new Set(errors.map((f) => f.check))];
  const served = w.checks.find((c) => c.check === 'wheelhouse')?.detail || w.identifier || 'no identifier';
  const what = errors.length
    ? `${plural(errors.length, 'error')} in ${failedChecks.join(', ')}`
    : `${w.recordVerified} RECORD hashes verified${warnings ? `, ${plural(warnings, 'warning')}` : ''}`;
  return `  ${w.ok ? 'ok  ' : 'FAIL'}  ${w.file}  ${served}  ${formatSize(w.size)} (${w.size} bytes)  sha256 ${w.sha256 ?? '?'}  ${what}`;
}

/**
 * The terminal output: a header; the findings first, errors before warnings, one line each with
 * its fix beside it; then one line per wheel; then the verdict with counts that say what they
 * count. The per-check table stays in the JSON report and the step summary.
 */
export function formatTerminal(r: ValidationReport): string {
  const out: string[] = [];
  const tag = r.tag ? `, tag ${r.tag.value} (${r.tag.source})` : ', no tag check';
  out.push(`validate-wheels: ${r.distribution} ${r.version ?? '(version ?)'}${tag}`);
  out.push(`expected ${plural(r.identifiers.length, 'build identifier')} for ${r.platforms.join(', ')}: ${r.identifiers.join(', ') || '(none)'}; directory ${r.wheelDir}`);
  const ordered = [...r.findings.filter((f) => f.severity === 'error'), ...r.findings.filter((f) => f.severity !== 'error')];
  if (ordered.length) {
    out.push('');
    out.push(`${[r.counts.errors ? plural(r.counts.errors, 'error') : '', r.counts.warnings ? plural(r.counts.warnings, 'warning') : ''].filter(Boolean).join(' and ')}:`);
    for (const f of ordered) out.push(findingLine(f));
  }
  if (r.wheels.length) {
    out.push('');
    out.push('wheels:');
    for (const w of [...r.wheels.filter((x) => !x.ok), ...r.wheels.filter((x) => x.ok)]) out.push(wheelLine(w));
  }
  out.push('');
  if (r.ok) {
    out.push(`validate-wheels: PASSED: ${plural(r.wheels.length, 'wheel')}, every check passed${r.counts.warnings ? ` (${plural(r.counts.warnings, 'warning')})` : ''}`);
  } else {
    const errors = r.findings.filter((f) => f.severity === 'error');
    const failedWheels = r.wheels.filter((w) => !w.ok).length;
    const otherFiles = new Set(errors.filter((f) => f.file !== null && !r.wheels.some((w) => w.file === f.file)).map((f) => f.file)).size;
    const directory = errors.filter((f) => f.file === null).length;
    const where = [
      failedWheels ? `${failedWheels} of ${plural(r.wheels.length, 'wheel')} failed` : '',
      otherFiles ? `${plural(otherFiles, 'other file')}` : '',
      directory ? `${plural(directory, 'error')} about the directory or configuration` : '',
    ].filter(Boolean).join('; ');
    out.push(`validate-wheels: FAILED: ${plural(r.counts.errors, 'error')}${r.counts.warnings ? ` and ${plural(r.counts.warnings, 'warning')}` : ''} (${where})`);
  }
  return out.join('\n');
}

const md = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The Markdown summary appended to `$GITHUB_STEP_SUMMARY`. */
export function formatMarkdown(r: ValidationReport): string {
  const out: string[] = [];
  out.push(`## validate-wheels: ${r.ok ? '✅ passed' : `❌ failed (${r.counts.errors} error(s))`}`);
  out.push('');
  out.push(`**${md(r.distribution)} ${md(r.version ?? '?')}**${r.tag ? `, tag \`${md(r.tag.value)}\`` : ''}; expected ${r.identifiers.length} wheel(s) for ${md(r.platforms.join(', '))}: ${r.identifiers.map((i) => `\`${md(i)}\``).join(', ')}`);
  out.push('');
  out.push('| | wheel | identifier | size | policy | RECORD | sha256 |');
  out.push('|---|---|---|---|---|---|---|');
  for (const w of r.wheels) {
    out.push(`| ${w.ok ? '✅' : '❌'} | \`${md(w.file)}\` | ${md(w.identifier ?? '—')} | ${formatSize(w.size)} | ${md(w.policy || '—')} | ${w.recordVerified} verified | \`${w.sha256 ?? '?'}\` |`);
  }
  for (const w of r.wheels) {
    out.push('');
    out.push(`<details${w.ok ? '' : ' open'}><summary>${w.ok ? '✅' : '❌'} <code>${md(w.file)}</code>: every check</summary>`);
    out.push('');
    out.push('| check | result | detail |');
    out.push('|---|---|---|');
    for (const c of w.checks) {
      const fs = w.findings.filter((f) => f.check === c.check);
      const name = c.check === 'wheelhouse' ? 'expected' : c.check;
      if (fs.length === 0) out.push(`| ${name} | ${c.status === 'ok' ? 'ok' : c.status === 'failed' ? 'FAIL' : '—'} | ${md(c.status === 'skipped' && !c.detail ? 'not checked' : c.detail)} |`);
      else for (const f of fs) out.push(`| ${name} | ${f.severity === 'error' ? 'FAIL' : 'warn'} | \`${f.code}\`: ${md(f.message)} |`);
    }
    out.push('');
    out.push('</details>');
  }
  if (r.findings.length) {
    out.push('');
    out.push('| code | file | problem | fix |');
    out.push('|---|---|---|---|');
    for (const f of r.findings) out.push(`| \`${f.code}\` | ${md(f.file ?? f.subject ?? '(wheelhouse)')} | ${md(f.message)} | ${md(f.fix)} |`);
  }
  out.push('');
  return out.join('\n');
}

/** `SHA256SUMS` in the `sha256sum` format (`<hex>  <file>`), sorted by file name. */
export function formatSha256Sums(wheels: ReadonlyArray<{ file: string; sha256: string | null }>): string {
  return wheels
    .filter((w) => w.sha256)
    .map((w) => `${w.sha256}  ${w.file}`)
    .sort((a, b) => a.slice(66).localeCompare(b.slice(66)))
    .join('\n')
    .concat('\n');
}
