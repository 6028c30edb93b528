/**
 * The error catalog against the docs and the printed lines. The documented side is read from the
 * code column of the pages' tables (not from source literals); the thrown side is proved by tsc
 * (QuiverError's code is ErrorCode) and exercised here through the real wrappers.
 */
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERRORS, FAILURES, type DocPage, isErrorCode, renderErrorCodesPage } from '../../src/core/error-catalog';
import { codeLine, failureLine, QuiverError, secretsFromEnv } from '../../src/core/errors';
import { ALL_CODES } from '../../src/core/validation/codes';
import { runExecutorBody } from '../../src/executors/run';
import ciGenerator from '../../src/generators/ci/generator';

const WORKSPACE = join(__dirname, '..', '..', '..', '..');
const PAGES: DocPage[] = [
  'README.md',
  'docs/publishing.md',
  'docs/release-guide.md',
  'docs/validation-codes.md',
  'docs/windows-from-linux.md',
  'docs/error-codes.md',
];
const read = (page: string) => readFileSync(join(WORKSPACE, page), 'utf8');

/** Codes in the `code` column of every Markdown table of `text` (the column whose header starts with "code", e.g. "code / message"). */
function documentedCodes(text: string): Set<string> {
  const out = new Set<string>();
  let column = -1;
  for (const line of text.split('\n')) {
    if (!line.startsWith('|')) {
      column = -1;
      continue;
    }
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim());
    if (column < 0) column = cells.findIndex((c) => /^code\b/.test(c));
    // A cell that starts with a code lists codes; one that starts with text (a quoted message) does not.
    else if ((cells[column] ?? '').startsWith('`'))
      for (const m of cells[column].matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`/g)) out.add(m[1]);
  }
  return out;
}

describe('docs and catalog', () => {
  it('docs/error-codes.md is the page generated from the catalog', () => {
    const file = join(WORKSPACE, 'docs', 'error-codes.md');
    if (process.env['QUIVER_UPDATE_DOCS'] === '1') writeFileSync(file, renderErrorCodesPage());
    expect(readFileSync(file, 'utf8')).toBe(renderErrorCodesPage());
  });

  it.each(PAGES)('every code in a code column of %s is in the catalog', (page) => {
    const documented = [...documentedCodes(read(page))];
    expect(documented.length).toBeGreaterThan(5);
    expect(documented.filter((c) => !isErrorCode(c))).toEqual([]);
  });

  it('every catalog code is in a code column of the page its entry names', () => {
    const byPage = new Map(PAGES.map((p) => [p, documentedCodes(read(p))]));
    const missing = Object.entries(ERRORS)
      .filter(([code, info]) => !byPage.get(info.doc)!.has(code))
      .map(([code, info]) => `${code} (${info.doc})`);
    expect(missing).toEqual([]);
  });

  it('every validate-wheels finding code is a catalog code documented in docs/validation-codes.md', () => {
    expect(ALL_CODES.filter((c) => !isErrorCode(c) || (ERRORS[c].doc !== 'docs/validation-codes.md' && !(c in FAILURES)))).toEqual([]);
  });

  it('every entry has a one-line summary and fix', () => {
    const bad = Object.entries(ERRORS).filter(([, i]) => !i.summary.trim() || !i.fix.trim() || /\n/.test(i.summary + i.fix));
    expect(bad).toEqual([]);
  });

  it('the compiler refuses a code that is not in the catalog', () => {
    // @ts-expect-error NOT_IN_THE_CATALOG is not an ErrorCode: tsc -p tsconfig.json fails if this line compiles.
    const e = new QuiverError('NOT_IN_THE_CATALOG', 'x');
    expect(isErrorCode(e.code)).toBe(false);
  });
});

describe('the printed line', () => {
  it('is <name>: <CODE>: <message>, with one code when the message already starts with a catalog code', () => {
    expect(failureLine('build-wheels', new QuiverError('NO_PYTHON', 'no usable python; install one.'))).toBe(
      'build-wheels: NO_PYTHON: no usable python; install one.',
    );
    expect(failureLine('publish', new QuiverError('UPLOAD_FAILED', 'UPLOAD_FAILED: a.whl failed; re-run.'))).toBe(
      'publish: UPLOAD_FAILED: a.whl failed; re-run.',
    );
    expect(failureLine('rehearse-release', new QuiverError('REHEARSAL_FAILED', 'TESTS_FAILED: test-command failed.'))).toBe(
      'rehearse-release: TESTS_FAILED: test-command failed.',
    );
    expect(codeLine('validate-release', 'NO_TAG', 'NOT_A_CODE: x')).toBe('validate-release: NO_TAG: NOT_A_CODE: x');
  });

  it('anything else is INTERNAL_ERROR', () => {
    expect(failureLine('test', new TypeError('x is undefined'))).toBe(
      'test: INTERNAL_ERROR: unexpected error: x is undefined (set QUIVER_DEBUG=1 for a stack trace)',
    );
  });

  it('redacts the secrets of the environment in every form', () => {
    const token = 'pypi-AgEIcHlwaS5vcmcCJGQ4ZjM0NjQ2';
    const secrets = secretsFromEnv({ PYPI_API_TOKEN: token, HOME: '/home/x' });
    expect(secrets).toEqual([token]);
    const basic = Buffer.from(`__token__:${token}`).toString('base64');
    const line = failureLine(
      'publish',
      new QuiverError('UPLOAD_AUTH', `refused ${token} (Authorization: Basic ${basic}) and ${encodeURIComponent(token)}`),
      secrets,
    );
    expect(line).toMatch(/^publish: UPLOAD_AUTH: refused \*\*\* \(Authorization: Basic \*\*\*=*\) and \*\*\*$/);
    for (const form of [token, basic.replace(/=+$/, ''), encodeURIComponent(token)]) expect(line).not.toContain(form);
  });

  it('runExecutorBody writes exactly that line to stderr and fails', async () => {
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s) => (writes.push(String(s)), true));
    try {
      const r = await runExecutorBody('build-wheels', async () => {
        throw new QuiverError('BAD_OPTION_ENGINE', 'option engine: "docker" is not one of auto, cibuildwheel, native.');
      });
      expect(r).toEqual({ success: false });
    } finally {
      spy.mockRestore();
    }
    expect(writes.join('')).toBe('\nbuild-wheels: BAD_OPTION_ENGINE: option engine: "docker" is not one of auto, cibuildwheel, native.\n');
  });

  it('a generator fails with that line as message and stack', () => {
    let error: Error | undefined;
    try {
      ciGenerator(createTreeWithEmptyWorkspace());
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(/^ci: CI_NO_WHEEL_PROJECT: no wheel project in this workspace/);
    expect(error?.stack).toBe(`CiGeneratorError: ${error?.message}`);
  });
});
