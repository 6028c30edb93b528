/**
 * publish against a REAL package index (pypiserver, started here) with the real pinned twine.
 * Faults are injected by a STAND-IN proxy in front of the real index (500, 429, dropped
 * connections) or by stopping the real index; the OIDC endpoints are a STAND-IN (GitHub's token
 * endpoint and PyPI's /_/oidc/* cannot be reached from here). After each fault, a re-run with the
 * fault gone must leave the index with exactly the local wheels, byte-identical, none uploaded twice.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isQuiverError } from '../../src/core/errors';
import { publish, PublishOptions } from '../../src/pipeline/publish';
import { CANARY, cleanEnv, filesContaining, IDENTIFIERS, indexContents, localContents, publishWorkspace, recordingSink } from './fixtures';
import { freePort, proxiedIndexes, PypiServer, startOidcStandIn, startPypiServer } from './servers';
import { buildSdist } from '../../src/runners/native';
import { ensureWorkspaceToolchain } from '../helpers/toolchain';

jest.setTimeout(300_000);

const indexes = proxiedIndexes(CANARY);

async function run(w: { ws: string; projectRoot: string; wheelDir: string }, extra: Partial<PublishOptions> = {}, env: Record<string, string> = { PYPI_API_TOKEN: CANARY }) {
  const sink = recordingSink();
  const reportFile = join(w.ws, 'out', 'publish-report.json');
  try {
    const report = await publish(
      { workspaceRoot: w.ws, projectRoot: w.projectRoot, projectName: 'python', wheelDir: w.wheelDir, repositoryUrl: indexes.proxy.url, identifiers: IDENTIFIERS, externalChecks: false, backoffMs: 200, retries: 2, reportFile, env: cleanEnv(env), ...extra },
      sink,
    );
    return { report, error: null, sink, reportFile };
  } catch (e) {
    if (!isQuiverError(e)) throw e;
    return { report: null, error: e, sink, reportFile };
  }
}

function readReport(file: string) {
  return JSON.parse(readFileSync(file, 'utf8')) as { ok: boolean; files: Array<{ file: string; status: string; detail: string; attempts: number; code?: string }>; error: string | null };
}

/** The index holds exactly the local wheels, byte-identical, each stored once. */
function expectComplete(s: PypiServer, wheelDir: string) {
  expect(indexContents(s.packagesDir)).toEqual(localContents(wheelDir));
  for (const n of Object.values(indexes.proxy.stored())) expect(n).toBe(1);
}

describe('publish with a token to a real pypiserver', () => {
  test('uploads both wheels, skips them on a re-run, pip installs from the index, and the token appears nowhere', async () => {
    const s = await indexes.fresh();
    const w = await publishWorkspace();
    const summary = join(w.ws, 'step-summary.md');
    const first = await run(w, {}, { PYPI_API_TOKEN: CANARY, GITHUB_STEP_SUMMARY: summary });
    expect(first.error).toBeNull();
    expect(first.report!.files.map((f) => f.status)).toEqual(['uploaded', 'uploaded']);
    expectComplete(s, w.wheelDir);
    expect(Object.keys(indexes.proxy.stored()).sort()).toEqual(w.files);

    const second = await run(w, {}, { PYPI_API_TOKEN: CANARY, GITHUB_STEP_SUMMARY: summary });
    expect(second.error).toBeNull();
    expect(second.report!.files.map((f) => f.status)).toEqual(['skipped', 'skipped']);
    expect(indexes.proxy.seen.filter((r) => r.upload).length).toBe(2); // none in the second run
    expectComplete(s, w.wheelDir);

    const report = readReport(second.reportFile);
    expect(report.ok).toBe(true);
    expect(readFileSync(summary, 'utf8')).toContain('| skipped |');
    // The canary token is in no output, report, summary or file of the workspace; outside Actions nothing is masked.
    for (const r of [first, second]) {
      expect(r.sink.text()).not.toContain(CANARY);
      expect(r.sink.text()).not.toContain('::add-mask::');
    }
    expect(filesContaining(w.ws, CANARY)).toEqual([]);

    // pip installs quiverdb from the index into a fresh CPython 3.13 venv, and it works.
    const venv = mkdtempSync(join(tmpdir(), 'quiver-pip-'));
    const py313 = process.env['QUIVER_TEST_PYTHON313'] ?? '/root/.pyenv/versions/3.13.0/bin/python3.13';
    execFileSync(py313, ['-m', 'venv', venv]);
    const idx = `http://__token__:${encodeURIComponent(CANARY)}@127.0.0.1:${s.port}/simple/`;
    execFileSync(join(venv, 'bin', 'pip'), ['install', '-q', '--disable-pip-version-check', '--no-cache-dir', 'quiverdb==0.1.0', '--index-url', idx, '--only-binary', ':all:']);
    const out = execFileSync(
      join(venv, 'bin', 'python'),
      ['-c', 'import quiverdb\nix = quiverdb.Index(2, metric="l2")\nix.add(1, [0.0, 0.0])\nix.add(2, [5.0, 5.0])\nprint(quiverdb.__file__)\nprint(ix.search([4.0, 4.0], 1))'],
      { encoding: 'utf8', env: { PATH: process.env['PATH'] } },
    ).trim();
    expect(out.split('\n')[0]).toContain(join(venv, 'lib'));
    expect(out.split('\n')[1]).toMatch(/^\[\(2, 2\.0\d*\)\]$/);
    rmSync(venv, { recursive: true, force: true });
  });
});

describe('dry run', () => {
  test.each([
    ['option dryRun', { dryRun: true }, {}],
    ['NX_DRY_RUN=true (nx release publish --dry-run)', {}, { NX_DRY_RUN: 'true' }],
  ])('%s: everything but the upload; the index is untouched', async (_n, opts, env) => {
    const s = await indexes.fresh();
    const w = await publishWorkspace();
    const r = await run(w, opts, { PYPI_API_TOKEN: CANARY, ...env });
    expect(r.error).toBeNull();
    expect(r.report!.dryRun).toBe(true);
    expect(r.report!.files.map((f) => f.status)).toEqual(['would-upload', 'would-upload']);
    expect(indexes.proxy.seen.some((q) => q.method === 'GET' && q.path.startsWith('/simple/quiverdb/'))).toBe(true); // it did read the index
    expect(indexes.proxy.seen.filter((q) => q.method === 'POST')).toEqual([]);
    expect(indexContents(s.packagesDir)).toEqual({});
    expect(r.sink.text()).not.toContain(CANARY);
  });
});

describe('reports in the wheel directory (the default report path)', () => {
  test('two dry runs in a row, then a real publish: validation ignores our own reports, and only the wheels are uploaded', async () => {
    const s = await indexes.fresh();
    const w = await publishWorkspace();
    const inWheelDir = { reportFile: undefined };
    for (const attempt of [1, 2]) {
      const dry = await run(w, { ...inWheelDir, dryRun: true });
      expect([attempt, dry.error?.message ?? null]).toEqual([attempt, null]);
      expect(existsSync(join(w.wheelDir, 'publish-report.dry-run.json'))).toBe(true);
    }
    const real = await run(w, inWheelDir);
    expect(real.error).toBeNull();
    expect(real.report!.files.map((f) => [f.file, f.status])).toEqual(w.files.map((f) => [f, 'uploaded']));
    expectComplete(s, w.wheelDir);
    // A file that is not ours is still refused.
    writeFileSync(join(w.wheelDir, 'notes.txt'), 'not a release file\n');
    const stray = await run(w, { ...inWheelDir, dryRun: true });
    expect(stray.error?.code).toBe('VALIDATION_FAILED');
    expect(stray.sink.text()).toMatch(/FILE_UNEXPECTED.*notes\.txt/);
  });
});

describe('faults, each followed by a re-run with the fault gone', () => {
  test('token missing: stops before anything with one line naming both fixes; in Actions it names the job', async () => {
    const s = await indexes.fresh();
    const w = await publishWorkspace();
    const r = await run(w, {}, {});
    expect(r.error?.code).toBe('NO_CREDENTIALS');
    expect(r.error!.message).not.toContain('\n');
    expect(r.error!.message).toMatch(/id-token: write.*PYPI_API_TOKEN.*TWINE_USERNAME\/TWINE_PASSWORD/);
    const gha = await run(w, {}, { GITHUB_ACTIONS: 'true', GITHUB_JOB: 'publish-pypi' });
    expect(gha.error!.message).toContain('job "publish-pypi"');
    expect(indexes.proxy.seen).toEqual([]);
    const again = await run(w);
    expect(again.error).toBeNull();
    expectComplete(s, w.wheelDir);
  });

  test('wrong password: refused before any upload, names the variables; the right one then uploads', async () => {
    const s = await indexes.fresh();
    const w = await publishWorkspace();
    const wrong = 'pypi-WRONG-password-0000';
    const r = await run(w, {}, { PYPI_API_TOKEN: wrong });
    expect(r.error?.code).toBe('INDEX_AUTH');
    expect(r.error!.message).toContain('PYPI_API_TOKEN');
    expect(r.sink.text() + r.error!.message).not.toContain(wrong);
    expect(indexContents(s.packagesDir)).toEqual({});
    const again = await run(w);
    expect(again.error).toBeNull();
    expectComplete(s, w.wheelDir);
  });

  test('500s within our retries, then success: the upload goes through once', async () => {
    const s = await indexes.fresh();
    const w = await publishWorkspace();
    indexes.proxy.fault = (q) => (q.upload && q.n <= 2 ? { status: 500, body: 'stand-in: internal error' } : null);
    const r = await run(w);
    expect(r.error).toBeNull();
    expect(r.report!.files.map((f) => f.status)).toEqual(['uploaded', 'uploaded']);
    expect(indexes.proxy.seen.filter((q) => q.upload && q.status === 500).length).toBe(2); // our retries (2) and no others: twine's are off
    expectComplete(s, w.wheelDir);
  });

  test('429: backs off (Retry-After) and retries', async () => {
    const s = await indexes.fresh();
    const w = await publishWorkspace();
    indexes.proxy.fault = (q) => (q.upload && q.n === 1 ? { status: 429, headers: { 'Retry-After': '1' }, body: 'slow down' } : null);
    const r = await run(w);
    expect(r.error).toBeNull();
    expect(r.report!.files.map((f) => [f.status, f.attempts])).toEqual([
      ['uploaded', 2],
      ['uploaded', 1],
    ]);
    expect(r.sink.text()).toMatch(/429.*retry 1\/2/);
    expectComplete(s, w.wheelDir);
  });

  test('server stopped right after the first upload: nothing can be read back, so nothing counts as uploaded (the report says why); after a restart the re-run completes', async () => {
    let s = await indexes.fresh();
    const w = await publishWorkspace();
    indexes.proxy.afterUpload = async () => {
      indexes.proxy.afterUpload = () => undefined;
      await s.stop();
    };
    const r = await run(w, { retries: 1 });
    // twine said the first file went through, but the index could not be read back: unconfirmed, not "uploaded".
    expect(r.error?.code).toBe('UPLOAD_UNCONFIRMED');
    expect(r.error!.message).toMatch(/could not be read back.*UPLOAD_FAILED.*re-run/);
    const rep = readReport(r.reportFile);
    expect(rep.ok).toBe(false);
    expect(rep.files.map((f) => [f.status, f.code])).toEqual([
      ['failed', 'UPLOAD_UNCONFIRMED'],
      ['failed', 'UPLOAD_FAILED'],
    ]);
    expect(Object.keys(indexContents(s.packagesDir))).toEqual([w.files[0]]);

    const restarted = await startPypiServer({ password: CANARY, packagesDir: s.packagesDir });
    indexes.stopAtEnd(restarted);
    indexes.proxy.target = restarted.url;
    s = restarted;
    const again = await run(w);
    expect(again.error).toBeNull();
    expect(again.report!.files.map((f) => f.status)).toEqual(['skipped', 'uploaded']);
    expectComplete(s, w.wheelDir);
  });

  test('same name with different bytes on the index: hard error naming both digests, nothing uploaded', async () => {
    const s = await indexes.fresh();
    const w = await publishWorkspace();
    const local = localContents(w.wheelDir);
    const [a, b] = w.files;
    // Another build of the first file is already on the index (its bytes: the second wheel's).
    writeFileSync(join(s.packagesDir, a), readFileSync(join(w.wheelDir, b)));
    const r = await run(w);
    expect(r.error?.code).toBe('INDEX_FILE_CONFLICT');
    expect(r.error!.message).toContain(local[a]);
    expect(r.error!.message).toContain(local[b]);
    expect(indexes.proxy.seen.filter((q) => q.method === 'POST')).toEqual([]);
    expect(readReport(r.reportFile).files.find((f) => f.file === a)!.status).toBe('failed');
    rmSync(join(s.packagesDir, a));
    const again = await run(w);
    expect(again.error).toBeNull();
    expectComplete(s, w.wheelDir);
  });

  test('network refused: a clear error naming the URL; with the right URL the re-run completes', async () => {
    const s = await indexes.fresh();
    const w = await publishWorkspace();
    const dead = `http://127.0.0.1:${await freePort()}/`;
    const r = await run(w, { repositoryUrl: dead, retries: 1 });
    expect(r.error?.code).toBe('INDEX_UNREACHABLE');
    expect(r.error!.message).toContain(dead);
    expect(r.error!.message).toMatch(/ECONNREFUSED/);
    const again = await run(w);
    expect(again.error).toBeNull();
    expectComplete(s, w.wheelDir);
  });
});

describe('trusted publishing (OIDC endpoints: a STAND-IN for GitHub and PyPI)', () => {
  test('invalid-publisher prints the claims; then the minted token uploads, masked in Actions and nowhere else', async () => {
    const minted = `pypi-MINTED-${process.pid}-e4c1a9b7`;
    const s = await indexes.fresh({ password: minted });
    const oidc = await startOidcStandIn(minted);
    const w = await publishWorkspace();
    const summary = join(w.ws, 'summary.md');
    const env = { GITHUB_ACTIONS: 'true', ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.requestToken, GITHUB_STEP_SUMMARY: summary, PYPI_API_TOKEN: 'pypi-not-used-when-oidc-works' };
    try {
      oidc.mint = 'invalid-publisher';
      const r = await run(w, { oidcUrl: oidc.indexBase }, env);
      expect(r.error?.code).toBe('OIDC_INVALID_PUBLISHER');
      for (const claim of ['repository=quiver-dev/quiver', 'workflow_ref=quiver-dev/quiver/.github/workflows/release.yml@refs/tags/v0.1.0', 'environment=pypi', 'ref=refs/tags/v0.1.0', 'sub=repo:quiver-dev/quiver:environment:pypi']) {
        expect(r.error!.message).toContain(claim);
      }
      expect(indexes.proxy.seen.filter((q) => q.method === 'POST')).toEqual([]);
      expect(oidc.calls).toEqual(['/_/oidc/audience', '/github-token', '/_/oidc/mint-token']);

      oidc.mint = 'ok';
      const ok = await run(w, { oidcUrl: oidc.indexBase }, env);
      expect(ok.error).toBeNull();
      expect(ok.report!.credentials).toContain('trusted publishing (OIDC');
      expect(ok.report!.attestations).toMatch(/^off/); // not pypi.org / test.pypi.org
      expectComplete(s, w.wheelDir);
      const withToken = ok.sink.lines.filter((l) => l.includes(minted));
      expect(withToken).toEqual([`::add-mask::${minted}`]);
      expect(filesContaining(w.ws, minted)).toEqual([]);
      expect(filesContaining(w.ws, oidc.requestToken)).toEqual([]);
      expect(ok.sink.text()).not.toContain(oidc.requestToken);
    } finally {
      await oidc.close();
    }
  });
});

describe('publish with an sdist ([tool.nx-wheels] sdist = true)', () => {
  test('the sdist is validated and uploaded with the wheels, byte-identical', async () => {
    const s = await indexes.fresh();
    const w = await publishWorkspace();
    // A real sdist named like the project, built by pypa/build from a minimal source tree.
    const src = mkdtempSync(join(tmpdir(), 'quiver-sdist-src-'));
    writeFileSync(join(src, 'pyproject.toml'), '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "quiverdb"\nversion = "0.1.0"\n[tool.setuptools]\npy-modules = []\n');
    const tc = await ensureWorkspaceToolchain();
    const sdist = await buildSdist(tc.bin('python'), { workspaceRoot: src, packageDir: '.', outDir: w.wheelDir, env: process.env }, { out: () => undefined, err: () => undefined });
    rmSync(src, { recursive: true, force: true });
    const pyproject = join(w.ws, w.projectRoot, 'pyproject.toml');
    const without = await run(w);
    expect(without.error?.code).toBe('VALIDATION_FAILED'); // an sdist nobody asked for is SDIST_UNEXPECTED
    writeFileSync(pyproject, readFileSync(pyproject, 'utf8') + '\n[tool.nx-wheels]\nsdist = true\n');
    const r = await run(w);
    expect(r.error).toBeNull();
    expect(r.report!.files.map((f) => f.file)).toContain(sdist.split('/').pop());
    expect(r.report!.files.every((f) => f.status === 'uploaded')).toBe(true);
    expect(indexContents(s.packagesDir)[sdist.split('/').pop()!]).toBe(localContents(w.wheelDir, true)[sdist.split('/').pop()!]);
  });
});
