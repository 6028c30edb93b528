/**
 * Reading the GitHub workflows for the workflow tests: the parsed YAML, step helpers, GitHub's
 * ref/path filter glob, a small evaluator for the `if:` expressions the workflows use, and a
 * runner for a step's inline script with bash exactly as GitHub runs it (`shell: bash`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { WORKSPACE } from '../helpers/workspace';

export type Step = {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
  'continue-on-error'?: boolean | string;
  'working-directory'?: string;
};
export type Job = {
  name?: string;
  needs?: string | string[];
  if?: string;
  'runs-on'?: string;
  'timeout-minutes'?: number;
  permissions?: Record<string, string> | string;
  environment?: string | { name: string; url?: string };
  strategy?: { 'fail-fast'?: boolean; matrix?: { include?: Array<Record<string, string>> } };
  outputs?: Record<string, string>;
  env?: Record<string, string>;
  steps?: Step[];
};
export type Workflow = { name: string; on: Record<string, unknown>; permissions?: unknown; concurrency?: Record<string, unknown>; jobs: Record<string, Job> };

export const DIR = join(WORKSPACE, '.github', 'workflows');
export const FILES = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
export const text = (f: string) => readFileSync(join(DIR, f), 'utf8');
export const load = (f: string) => parse(text(f)) as Workflow;

export const needs = (j: Job) => (j.needs === undefined ? [] : Array.isArray(j.needs) ? j.needs : [j.needs]);
export const steps = (j: Job) => j.steps ?? [];
export const runs = (j: Job) => steps(j).filter((s) => s.run).map((s) => s.run!);
export const uses = (j: Job, action: string) => steps(j).filter((s) => s.uses?.split('@')[0] === action);
export const envName = (j: Job) => (typeof j.environment === 'string' ? j.environment : j.environment?.name);
export const stepById = (j: Job, id: string) => {
  const s = steps(j).find((x) => x.id === id);
  if (!s) throw new Error(`no step with id ${id}`);
  return s;
};

/** The one way a job installs node_modules: `node tools/ci/npm-ci.mjs` (npm ci, then a check of this host's native packages). */
export const INSTALL_STEP = { name: "npm ci (then check this host's native packages)", run: 'node tools/ci/npm-ci.mjs' };

/** GitHub's filter glob for refs and paths: `*` matches any characters except `/`, `**` anything. */
export function globMatches(pattern: string, ref: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\0').replace(/\*/g, '[^/]*').replace(/\0/g, '.*') + '$');
  return re.test(ref);
}

/** The `github` context fields the workflows' conditions read. */
export type GithubContext = { event_name: string; ref: string };

/**
 * More of the expression context, for conditions on job outputs and the matrix: `needs.<job>.outputs.<name>`
 * values (strings, as GitHub passes them) and `matrix.platform`.
 */
export type MoreContext = { needs?: Record<string, Record<string, string>>; matrix?: { platform?: string } };

/**
 * Evaluate a workflow `if:` / `continue-on-error:` expression (with or without `${{ }}`) for a
 * `github` context (and job outputs / the matrix). Supports what the workflows use:
 * `github.event_name`, `github.ref`, `needs.<job>.outputs.<name>`, `matrix.platform`, string
 * literals, `==`, `!=`, `&&`, `||`, `!`, parentheses, `startsWith` (case-insensitive, as GitHub's),
 * `contains` (an array element, or a substring; case-insensitive) and `fromJSON`.
 * @throws Error for anything else (or a job output the context lacks), so a new construct is noticed rather than misread.
 */
export function evaluate(expression: string, github: GithubContext, more: MoreContext = {}): boolean {
  const expr = expression.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1').trim();
  const token = /'[^']*'|github\.(event_name|ref)\b|needs\.([\w-]+)\.outputs\.([\w-]+)|matrix\.platform\b|startsWith|contains|fromJSON|==|!=|&&|\|\||[!(),\s]/g;
  const rest = expr.replace(token, '');
  if (rest !== '') throw new Error(`unsupported expression: ${expression} (left: ${rest})`);
  const js = expr.replace(token, (m, field, job, out) => {
    if (field) return JSON.stringify(github[field as keyof GithubContext]);
    if (job) {
      const v = more.needs?.[job]?.[out];
      if (v === undefined) throw new Error(`${m} is not in the context`);
      return JSON.stringify(v);
    }
    if (m === 'matrix.platform') return JSON.stringify(more.matrix?.platform ?? '');
    if (m === '==' || m === '!=') return `${m}=`;
    return m;
  });
  const startsWith = (a: string, b: string) => a.toLowerCase().startsWith(b.toLowerCase());
  const contains = (a: unknown, b: string) => (Array.isArray(a) ? a.some((x) => String(x).toLowerCase() === b.toLowerCase()) : String(a).toLowerCase().includes(b.toLowerCase()));
  const fromJSON = (x: string) => JSON.parse(x) as unknown;
  return Boolean(new Function('startsWith', 'contains', 'fromJSON', `return (${js});`)(startsWith, contains, fromJSON));
}

/** Result of {@link runStepScript}. */
export type ScriptRun = { status: number | null; stdout: string; stderr: string; output: string; summary: string };

/**
 * Run a step's `run:` script as GitHub does with `shell: bash` (`bash --noprofile --norc -eo
 * pipefail <file>`), in `cwd` (joined with the step's working-directory), with `env` on top of
 * PATH/HOME and fresh GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, whose contents are returned.
 */
export function runStepScript(step: Step, cwd: string, env: Record<string, string>): ScriptRun {
  const tmp = mkdtempSync(join(tmpdir(), 'quiver-step-'));
  const script = join(tmp, 'step.sh');
  const output = join(tmp, 'output');
  const summary = join(tmp, 'summary');
  writeFileSync(script, step.run!);
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    cwd: join(cwd, step['working-directory'] ?? '.'),
    env: { PATH: process.env.PATH!, HOME: tmp, LC_ALL: 'C.UTF-8', GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, ...env },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, output: readFileSync(output, 'utf8'), summary: readFileSync(summary, 'utf8') };
}
