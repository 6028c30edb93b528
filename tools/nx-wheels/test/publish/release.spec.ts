/**
 * Release completeness and the preflight, against a REAL package index (pypiserver) with the real
 * pinned cibuildwheel (expected identifiers for linux and windows), validate-wheels and twine:
 *  - quiverdb with only its Linux wheel: RELEASE_INCOMPLETE before anything is read or uploaded;
 *    --allowPartial uploads it as a PARTIAL RELEASE;
 *  - a complete linux + windows release: a real third-party pair downloaded from PyPI
 *    (markupsafe 3.0.3, cp313 manylinux x86_64 + win_amd64; no Windows wheel of ours can be built
 *    here) with a test project of its own, published with default options, read back from the
 *    index's simple page and with pip, byte-identical;
 *  - the preflight: no credentials, anonymous read, <uploadDir>/dist + SHA256SUMS (checked with
 *    the real coreutils sha256sum) + publish-plan.json, replaced as a whole, nothing written on a
 *    conflict, and a canary PYPI_API_TOKEN reaches no output or file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isQuiverError } from '../../src/core/errors';
import { parseSimplePage, SIMPLE_ACCEPT } from '../../src/core/publish/simple-index';
import { publish, PublishOptions } from '../../src/pipeline/publish';
import { validateWheels } from '../../src/pipeline/validate-wheels';
import { ensureWorkspaceToolchain } from '../helpers/toolchain';
import { copyReal, tempWorkspace } from '../validate-wheels/fixtures';
import { WORKSPACE } from '../helpers/workspace';
import { CANARY, cleanEnv, filesContaining, indexContents, localContents, recordingSink, sha256, THIRD_PARTY, thirdPartyWorkspace } from './fixtures';
import { proxiedIndexes } from './servers';

jest.setTimeout(600_000);

const indexes = proxiedIndexes(CANARY, ensureWorkspaceToolchain);


/** quiverdb's workspace with only its real Linux wheel (the real pyproject: cp313 linux + windows). */
function linuxOnlyWorkspace() {
  const t = tempWorkspace();
  copyReal(t.wheelDir);
  mkdirSync(join(t.ws, '.nx-wheels'), { recursive: true });
  require('node:fs').symlinkSync(join(WORKSPACE, '.nx-wheels', 'toolchain'), join(t.ws, '.nx-wheels', 'toolchain'), 'dir');
  return t;
}

async function run(w: { ws: string; projectRoot: string; wheelDir: string }, extra: Partial<PublishOptions>, env: Record<string, string>) {
  const sink = recordingSink();
  try {
    const report = await publish({ workspaceRoot: w.ws, projectRoot: w.projectRoot, projectName: 'p', wheelDir: w.wheelDir, repositoryUrl: indexes.proxy.url, backoffMs: 200, retries: 1, env: cleanEnv(env), ...extra }, sink);
    return { report, error: null, sink };
  } catch (e) {
    if (!isQuiverError(e)) throw e;
    return { report: null, error: e, sink };
  }
}

/** Everything under `dir`, as relative paths (files and directories). */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('release completeness (real cibuildwheel identifiers for linux and windows)', () => {
  test('only the Linux wheel, default options: RELEASE_INCOMPLETE naming cp313-win_amd64 and the fix; nothing read or uploaded', async () => {
    const s = await indexes.fresh();
    const w = linuxOnlyWorkspace();
    const r = await run(w, { externalChecks: false, reportFile: join(w.ws, 'out', 'publish-report.json') }, { PYPI_API_TOKEN: CANARY });
    expect(r.error?.code).toBe('RELEASE_INCOMPLETE');
    expect(r.error!.message).not.toContain('\n');
    expect(r.error!.message).toMatch(/^RELEASE_INCOMPLETE: release quiverdb 0\.1\.0 is incomplete in bindings\/python\/wheelhouse: no wheel for cp313-win_amd64; a release is every identifier of linux, windows .*nothing was uploaded: build the missing wheels on their hosts .*--allowPartial to upload only cp313-manylinux_x86_64/);
    expect(indexes.proxy.seen).toEqual([]); // not even read
    expect(indexContents(s.packagesDir)).toEqual({});
    expect(existsSync(join(w.ws, 'out'))).toBe(false);
    expect(r.sink.text()).not.toContain(CANARY);
  });

  test('--allowPartial: the plan starts with PARTIAL RELEASE, the Linux wheel is uploaded, the report says partial', async () => {
    const s = await indexes.fresh();
    const w = linuxOnlyWorkspace();
    const r = await run(w, { externalChecks: false, allowPartial: true }, { PYPI_API_TOKEN: CANARY });
    expect(r.error).toBeNull();
    const first = r.sink.lines.findIndex((l) => l.startsWith('PARTIAL RELEASE'));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThanOrEqual(2); // after the header and credentials lines, before validation
    expect(r.sink.lines[first]).toContain('no wheel for cp313-win_amd64');
    expect(r.report!.release).toEqual({ platforms: ['linux', 'windows'], expected: ['cp313-manylinux_x86_64', 'cp313-win_amd64'], missing: ['cp313-win_amd64'], partial: true });
    expect(r.report!.notes[0]).toMatch(/^PARTIAL RELEASE/);
    expect(indexContents(s.packagesDir)).toEqual(localContents(w.wheelDir));
  });

  test('[tool.nx-wheels] release-platforms = ["linux"]: the Linux wheel is the whole release; a bad value is one line naming file, field and fix', async () => {
    const s = await indexes.fresh();
    const w = linuxOnlyWorkspace();
    const pyproject = join(w.ws, w.projectRoot, 'pyproject.toml');
    const text = readFileSync(pyproject, 'utf8');
    writeFileSync(pyproject, text + '\n[tool.nx-wheels]\nrelease-platforms = ["linux", "macos"]\n');
    const bad = await run(w, { externalChecks: false }, { PYPI_API_TOKEN: CANARY });
    expect(bad.error?.code).toBe('PYPROJECT_BAD_FIELD');
    expect(bad.error!.message).toBe('PYPROJECT_BAD_FIELD: bindings/python/pyproject.toml: [tool.nx-wheels].release-platforms: "macos" is not "linux" or "windows" (the platforms quiver builds); write e.g. release-platforms = ["linux", "windows"].');
    writeFileSync(pyproject, text + '\n[tool.nx-wheels]\nrelease-platforms = ["linux"]\n');
    const ok = await run(w, { externalChecks: false }, { PYPI_API_TOKEN: CANARY });
    expect(ok.error).toBeNull();
    expect(ok.report!.release).toMatchObject({ platforms: ['linux'], missing: [], partial: false });
    expect(indexContents(s.packagesDir)).toEqual(localContents(w.wheelDir));
  });
});

describe('a complete linux + windows release (third-party pair from PyPI, test project of its own)', () => {
  test('default options upload both; the simple page lists their sha256s and pip downloads them back byte-identical', async () => {
    const s = await indexes.fresh();
    const w = thirdPartyWorkspace();
    const r = await run(w, {}, { PYPI_API_TOKEN: CANARY });
    expect(r.error).toBeNull();
    expect(r.report!.release).toEqual({ platforms: ['linux', 'windows'], expected: THIRD_PARTY.identifiers, missing: [], partial: false });
    expect(r.report!.files.map((f) => [f.file, f.status])).toEqual(w.files.map((f) => [f, 'uploaded']));
    expect(r.sink.text()).not.toContain('PARTIAL RELEASE');
    expect(r.report!.validation).toMatch(/^validate-wheels passed/);
    const local = localContents(w.wheelDir);
    expect(indexContents(s.packagesDir)).toEqual(local);

    // The index's own simple page (PEP 503, through the real server) names both files with their sha256.
    const auth = 'Basic ' + Buffer.from(`__token__:${CANARY}`).toString('base64');
    const res = await fetch(`${s.url}simple/${THIRD_PARTY.name}/`, { headers: { Accept: SIMPLE_ACCEPT, Authorization: auth } });
    expect(res.status).toBe(200);
    const listed = parseSimplePage(await res.text(), res.headers.get('content-type') ?? 'text/html', res.url);
    expect(Object.fromEntries(listed.map((f) => [f.filename, f.sha256]))).toEqual(local);

    // pip downloads each platform's wheel back from the index: the same bytes.
    const back = mkdtempSync(join(tmpdir(), 'quiver-pip-back-'));
    const idx = `http://__token__:${encodeURIComponent(CANARY)}@127.0.0.1:${s.port}/simple/`;
    for (const platform of THIRD_PARTY.platforms) {
      execFileSync('python3', ['-m', 'pip', 'download', '-q', '--disable-pip-version-check', '--no-cache-dir', '--no-deps', '--only-binary=:all:', '--platform', platform, '--python-version', '3.13', '--implementation', 'cp', '--abi', 'cp313', '--index-url', idx, '-d', back, `${THIRD_PARTY.name}==${THIRD_PARTY.version}`], { stdio: 'pipe' });
    }
    expect(Object.fromEntries(readdirSync(back).map((f) => [f, sha256(join(back, f))]))).toEqual(local);
    rmSync(back, { recursive: true, force: true });
    expect(filesContaining(w.ws, CANARY)).toEqual([]);
  });
});

describe('validate-wheels --platforms=release', () => {
  test('expects every identifier of the release platforms (real cibuildwheel); release-platforms = ["linux"] makes the Windows wheel extra', async () => {
    const w = thirdPartyWorkspace();
    const quiet = recordingSink();
    const all = await validateWheels({ workspaceRoot: w.ws, projectRoot: w.projectRoot, projectName: 'p', platforms: 'release', externalChecks: false }, quiet, { env: cleanEnv() });
    expect(all.ok).toBe(true);
    expect(all.identifiers).toEqual(THIRD_PARTY.identifiers);
    const pyproject = join(w.ws, w.projectRoot, 'pyproject.toml');
    writeFileSync(pyproject, readFileSync(pyproject, 'utf8') + '\n[tool.nx-wheels]\nrelease-platforms = ["linux"]\n');
    const linux = await validateWheels({ workspaceRoot: w.ws, projectRoot: w.projectRoot, projectName: 'p', platforms: 'release', externalChecks: false }, quiet, { env: cleanEnv() });
    expect(linux.ok).toBe(false);
    expect(linux.identifiers).toEqual(['cp313-manylinux_x86_64']);
    expect(linux.findings.filter((f) => f.severity === 'error').map((f) => [f.code, f.file])).toEqual([['WHEEL_EXTRA', w.files[1]]]);
  });
});

describe('publish --preflight (no credentials; anonymous read of an index that, like PyPI, lists publicly)', () => {
  const sumsCheck = (uploadDir: string) => spawnSync('sha256sum', ['-c', '--strict', '../SHA256SUMS'], { cwd: join(uploadDir, 'dist'), encoding: 'utf8' });

  test('empty index: dist/ has every file, sha256sum -c --strict passes, uploads=2 in GITHUB_OUTPUT; the canary token is nowhere; then one uploaded: dist/ holds only the rest', async () => {
    const s = await indexes.fresh({ publicRead: true });
    const w = thirdPartyWorkspace();
    const uploadDir = join(w.ws, 'dist', 'pypi-upload');
    const ghOutput = join(w.ws, 'gh-output');
    const summary = join(w.ws, 'summary.md');
    const env = { PYPI_API_TOKEN: CANARY, GITHUB_OUTPUT: ghOutput, GITHUB_STEP_SUMMARY: summary };
    const r = await run(w, { preflight: true, uploadDir: 'dist/pypi-upload' }, env);
    expect(r.error).toBeNull();
    expect(tree(uploadDir)).toEqual(['SHA256SUMS', 'dist', ...w.files.map((f) => `dist/${f}`), 'publish-plan.json'].sort());
    for (const f of w.files) expect(sha256(join(uploadDir, 'dist', f))).toBe(sha256(join(w.wheelDir, f)));
    const check = sumsCheck(uploadDir);
    expect(check.status).toBe(0);
    expect(check.stdout.trim().split('\n').sort()).toEqual(w.files.map((f) => `${f}: OK`).sort());
    expect(readFileSync(join(uploadDir, 'SHA256SUMS'), 'utf8')).toBe(w.files.map((f) => `${sha256(join(w.wheelDir, f))}  ${f}\n`).join(''));
    expect(readFileSync(ghOutput, 'utf8')).toBe('uploads=2\n');
    const plan = JSON.parse(readFileSync(join(uploadDir, 'publish-plan.json'), 'utf8'));
    expect(plan).toMatchObject({ ok: true, preflight: true, dryRun: true, credentials: 'none (preflight: the index is read anonymously)', release: { missing: [], partial: false } });
    expect(plan.files.map((f: { status: string }) => f.status)).toEqual(['would-upload', 'would-upload']);
    expect(r.sink.text()).toMatch(/2 to upload, 0 skipped .*; nothing was uploaded: 2 file\(s\) in dist\/pypi-upload\/dist/);
    expect(readFileSync(summary, 'utf8')).toContain('(preflight)');
    expect(indexContents(s.packagesDir)).toEqual({});
    expect(indexes.proxy.seen.filter((q) => q.method !== 'GET')).toEqual([]);
    expect(indexes.proxy.seen.every((q) => q.path.startsWith('/simple/'))).toBe(true);
    // The canary token is in no output and no file (the preflight never needed it).
    expect(r.sink.text()).not.toContain(CANARY);
    expect(filesContaining(w.ws, CANARY)).toEqual([]);

    // One of them reaches the index (the real twine, the real server); a stray file in uploadDir must go.
    const [linux, win] = w.files;
    const tc = await ensureWorkspaceToolchain();
    execFileSync(tc.bin('twine'), ['upload', '--non-interactive', '--disable-progress-bar', '--repository-url', s.url, join(w.wheelDir, linux)], { env: { ...process.env, TWINE_USERNAME: '__token__', TWINE_PASSWORD: CANARY }, stdio: 'pipe' });
    writeFileSync(join(uploadDir, 'stray.txt'), 'from an earlier run');
    writeFileSync(ghOutput, '');
    const again = await run(w, { preflight: true, uploadDir }, env);
    expect(again.error).toBeNull();
    expect(tree(uploadDir)).toEqual(['SHA256SUMS', 'dist', `dist/${win}`, 'publish-plan.json']);
    expect(sumsCheck(uploadDir).status).toBe(0);
    expect(readFileSync(join(uploadDir, 'SHA256SUMS'), 'utf8')).toBe(`${sha256(join(w.wheelDir, win))}  ${win}\n`);
    expect(readFileSync(ghOutput, 'utf8')).toBe('uploads=1\n');
    const plan2 = JSON.parse(readFileSync(join(uploadDir, 'publish-plan.json'), 'utf8'));
    expect(plan2.files.map((f: { file: string; status: string }) => [f.file, f.status])).toEqual([
      [linux, 'skipped'],
      [win, 'would-upload'],
    ]);
    expect(readdirSync(dirname(uploadDir))).toEqual(['pypi-upload']); // no temporary siblings left
    expect(Object.keys(indexContents(s.packagesDir))).toEqual([linux]);
  });

  test('other bytes under the same name on the index: INDEX_FILE_CONFLICT, non-zero, uploadDir not written', async () => {
    const s = await indexes.fresh({ publicRead: true });
    const w = thirdPartyWorkspace();
    const [linux, win] = w.files;
    writeFileSync(join(s.packagesDir, win), readFileSync(join(w.wheelDir, linux)));
    const uploadDir = join(w.ws, 'dist', 'pypi-upload');
    mkdirSync(uploadDir, { recursive: true });
    writeFileSync(join(uploadDir, 'previous.txt'), 'an earlier plan');
    const r = await run(w, { preflight: true, uploadDir }, { PYPI_API_TOKEN: CANARY, GITHUB_OUTPUT: join(w.ws, 'gh-output') });
    expect(r.error?.code).toBe('INDEX_FILE_CONFLICT');
    expect(r.error!.message).not.toContain('\n');
    expect(r.error!.message).toContain(sha256(join(w.wheelDir, linux)));
    expect(r.error!.message).toContain(sha256(join(w.wheelDir, win)));
    expect(r.error!.message).toContain('nothing was written to dist/pypi-upload');
    expect(tree(uploadDir)).toEqual(['previous.txt']);
    expect(readdirSync(dirname(uploadDir))).toEqual(['pypi-upload']);
    expect(existsSync(join(w.ws, 'gh-output'))).toBe(false);
    expect(r.sink.text()).not.toContain(CANARY);
  });

  test('incomplete release: RELEASE_INCOMPLETE, no index read, nothing written; option errors are one line', async () => {
    await indexes.fresh({ publicRead: true });
    const w = linuxOnlyWorkspace();
    const uploadDir = join(w.ws, 'dist', 'pypi-upload');
    const r = await run(w, { preflight: true, uploadDir, externalChecks: false }, { PYPI_API_TOKEN: CANARY });
    expect(r.error?.code).toBe('RELEASE_INCOMPLETE');
    expect(r.error!.message).toContain('no wheel for cp313-win_amd64');
    expect(indexes.proxy.seen).toEqual([]);
    expect(existsSync(join(w.ws, 'dist'))).toBe(false);

    const noDir = await run(w, { preflight: true }, {});
    expect(noDir.error?.code).toBe('BAD_OPTION_UPLOAD_DIR');
    expect(noDir.error!.message).toMatch(/option preflight needs --uploadDir=<directory>/);
    const inWheels = await run(w, { preflight: true, uploadDir: join(w.wheelDir, 'up') }, {});
    expect(inWheels.error?.code).toBe('BAD_OPTION_UPLOAD_DIR');
    expect(inWheels.error!.message).toMatch(/is inside the wheel directory/);
    const wsRoot = await run(w, { preflight: true, uploadDir: '.' }, {});
    expect(wsRoot.error!.message).toMatch(/is the workspace root or contains it/);
    const withoutPreflight = await run(w, { uploadDir }, { PYPI_API_TOKEN: CANARY });
    expect(withoutPreflight.error?.code).toBe('BAD_OPTION_UPLOAD_DIR');
    expect(existsSync(join(w.ws, 'dist'))).toBe(false);
  });
});
