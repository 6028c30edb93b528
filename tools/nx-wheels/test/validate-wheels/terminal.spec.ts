/**
 * What validate-wheels prints, on the real markupsafe 3.0.3 pair from PyPI: failing checks first,
 * one line per finding with its fix beside it, one line per wheel (failing wheels first), a verdict
 * whose counts say what they count; the full per-check table goes to the JSON report and the
 * $GITHUB_STEP_SUMMARY Markdown only. External checks are off and the identifiers are given.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODES } from '../../src/core/validation/codes';
import { validateWheels } from '../../src/pipeline/validate-wheels';
import { THIRD_PARTY, thirdPartyWheels, thirdPartyWorkspace } from '../publish/fixtures';
import { readZip, writeZip } from './fixtures';

const workspaces: string[] = [];
afterAll(() => workspaces.forEach((w) => rmSync(w, { recursive: true, force: true })));
beforeAll(() => {
  thirdPartyWheels();
}, 10 * 60_000);

/** Validate the pair, `alter`ed, as the markupsafe release; what it printed and summarised. */
async function run(alter: (wheelDir: string, files: string[]) => Promise<unknown> | unknown = () => undefined) {
  const t = thirdPartyWorkspace();
  workspaces.push(t.ws);
  await alter(t.wheelDir, t.files);
  const summary = join(t.ws, 'step-summary.md');
  writeFileSync(summary, '');
  const lines: string[] = [];
  const report = await validateWheels(
    { workspaceRoot: t.ws, projectRoot: t.projectRoot, projectName: 'pkg', externalChecks: false },
    { out: (l) => lines.push(l), err: (l) => lines.push(l) },
    { env: { GITHUB_STEP_SUMMARY: summary }, identifiers: THIRD_PARTY.identifiers },
  );
  return { report, lines, summary: readFileSync(summary, 'utf8'), files: t.files };
}

describe('terminal layout (real markupsafe 3.0.3 wheels)', () => {
  it('one changed file in one wheel: the finding first with its fix, then one line per wheel, failing first; no per-check table', async () => {
    const { report, lines, summary, files } = await run(async (d, fs) => {
      // Change one byte of a file of the Linux wheel without updating RECORD.
      const path = join(d, fs[0]);
      const es = await readZip(path);
      const init = es.find((e) => e.name === 'markupsafe/__init__.py')!;
      init.data = Buffer.concat([init.data, Buffer.from('#')]);
      writeFileSync(path, writeZip(es));
    });
    const [linux, windows] = files;
    expect(report.ok).toBe(false);
    const codes = report.findings.map((f) => f.code);
    expect(codes).toEqual(['RECORD_HASH_MISMATCH', 'RECORD_SIZE_MISMATCH']);
    const text = lines.join('\n');
    // Header, findings (one line each, fix beside it), wheels (failing first), verdict, report path.
    expect(lines[2]).toBe('');
    expect(lines[3]).toBe('2 errors:');
    expect(lines[4]).toMatch(new RegExp(`^  FAIL  ${linux.replace(/\./g, '\\.')}: RECORD_HASH_MISMATCH: markupsafe/__init__\\.py.*  -> fix: ${escape(CODES.RECORD_HASH_MISMATCH.fix)}$`));
    expect(lines[5]).toMatch(/^ {2}FAIL {2}.*: RECORD_SIZE_MISMATCH: .* -> fix: /);
    expect(lines.slice(6, 8)).toEqual(['', 'wheels:']);
    expect(lines[8]).toMatch(new RegExp(`^  FAIL  ${escape(linux)}  cp313-manylinux_x86_64  .* \\(${report.wheels[0].size} bytes\\)  sha256 [0-9a-f]{64}  2 errors in RECORD$`));
    expect(lines[9]).toMatch(new RegExp(`^  ok    ${escape(windows)}  cp313-win_amd64  .*  sha256 [0-9a-f]{64}  \\d+ RECORD hashes verified$`));
    expect(lines[11]).toBe('validate-wheels: FAILED: 2 errors (1 of 2 wheels failed)');
    expect(lines).toHaveLength(13);
    // The passing checks of each wheel are not on the terminal, but in the step summary.
    expect(text).not.toMatch(/METADATA|dist-info/);
    expect(summary).toContain('| RECORD | FAIL | `RECORD_HASH_MISMATCH`: markupsafe/__init__.py');
    expect(summary).toContain('| METADATA | ok |');
    expect(summary.match(/\| check \| result \| detail \|/g)).toHaveLength(2);
  });

  it('a passing release: one line per wheel and PASSED with the wheel count', async () => {
    const { lines } = await run();
    expect(lines.slice(2, 6)).toEqual(['', 'wheels:', expect.stringMatching(/^ {2}ok {4}markupsafe-3\.0\.3-cp313-cp313-manylinux.*cp313-manylinux_x86_64/), expect.stringMatching(/^ {2}ok {4}markupsafe-3\.0\.3-cp313-cp313-win_amd64\.whl {2}cp313-win_amd64/)]);
    expect(lines[7]).toBe('validate-wheels: PASSED: 2 wheels, every check passed');
  });

  it('an error about the directory and a stray file are counted as such, not as wheels', async () => {
    const { lines, report } = await run((d, fs) => {
      rmSync(join(d, fs[1]));
      writeFileSync(join(d, 'notes.txt'), 'x');
    });
    expect(report.findings.map((f) => f.code).sort()).toEqual(['FILE_UNEXPECTED', 'WHEEL_MISSING']);
    expect(lines[lines.length - 2]).toBe('validate-wheels: FAILED: 2 errors (1 other file; 1 error about the directory or configuration)');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}FAIL {2}wheel directory: WHEEL_MISSING: .* -> fix: /));
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
