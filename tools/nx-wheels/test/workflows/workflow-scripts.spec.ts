/**
 * The workflows' inline scripts, taken out of the YAML and run with bash as GitHub runs them,
 * against real git repositories and real files: the release-readiness verdict, the release's
 * default-branch guard, and the publish job's check of the pypi-upload artifact. And
 * tools/ci/zizmor.mjs (the zizmor half of ci:lint) on a workflow with a known finding.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKSPACE } from '../helpers/workspace';
import { commitAll, git, tempRepo, write } from '../release/git-fixture';
import { load, runStepScript, stepById, steps } from './load';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

describe('release-readiness.yml verdict', () => {
  const job = load('release-readiness.yml').jobs['release-readiness'];
  const verdict = steps(job).find((s) => s.name === 'Verdict')!;
  let repo: string;
  beforeAll(() => {
    // A repository whose 1.3.0 is released (tag v1.3.0); 1.2.0 is older but was never tagged.
    repo = tempRepo('quiver-readiness-');
    dirs.push(repo);
    write(repo, 'README.md', 'x\n');
    commitAll(repo, 'feat: initial');
    git(repo, 'tag', 'v1.3.0');
  });
  /** Run the verdict as after `validate-release` ended with `outcome` and wrote these outputs. */
  const judge = (outcome: string, codes: string, version: string, tag = version ? `v${version}` : '') =>
    runStepScript(verdict, repo, { OUTCOME: outcome, CODES: codes, VERSION: version, TAG: tag });

  it('fails when the changelog is gone even though the version is tagged (the hole of the old verdict)', () => {
    const r = judge('failure', 'VERSION_NOT_NEWER,CHANGELOG_MISSING', '1.3.0');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^::error title=release readiness::failed checks: VERSION_NOT_NEWER,CHANGELOG_MISSING; /m);
    expect(r.summary).toContain('- ❌ the changelog exists');
    expect(r.summary).toContain('- ❌ the changelog has a section for 1.3.0');
    expect(r.summary).toContain('Not ready: failed checks: VERSION_NOT_NEWER,CHANGELOG_MISSING.');
  });

  it('fails for a missing changelog section of a tagged version, in either order of codes', () => {
    expect(judge('failure', 'CHANGELOG_NO_SECTION,VERSION_NOT_NEWER', '1.3.0').status).toBe(1);
    expect(judge('failure', 'VERSION_NOT_NEWER,CHANGELOG_NO_SECTION', '1.3.0').status).toBe(1);
  });

  it('passes when VERSION_NOT_NEWER is the only finding and the version is tagged (a pull request that does not release)', () => {
    const r = judge('failure', 'VERSION_NOT_NEWER', '1.3.0');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Not a release: quiverdb 1.3.0 is already released (tag v1.3.0)');
    expect(r.summary).toContain('- ❌ the version is newer than the latest release tag');
    expect(r.summary).toContain('- ❌ the tag v1.3.0 does not exist yet');
    expect(r.summary).toContain('- ✅ the changelog has a section for 1.3.0');
  });

  it('fails for VERSION_NOT_NEWER when that version was never tagged (a downgrade, not an old release)', () => {
    const r = judge('failure', 'VERSION_NOT_NEWER', '1.2.0');
    expect(r.status).toBe(1);
    expect(r.summary).toContain('- ✅ the tag v1.2.0 does not exist yet');
  });

  it('passes a ready release and writes an all-green checklist', () => {
    const r = judge('success', '', '1.4.0');
    expect(r.status).toBe(0);
    expect(r.summary).toContain('### Release readiness checklist');
    expect(r.summary).not.toContain('❌');
    expect(r.summary.match(/✅/g)).toHaveLength(5);
    expect(r.summary).toContain('Ready: quiverdb 1.4.0 can be released (tag v1.4.0 after the merge).');
  });

  it('fails when validate-release did not finish (no codes at all), and for codes it does not know, listing them', () => {
    const crashed = judge('failure', '', '');
    expect(crashed.status).toBe(1);
    expect(crashed.stdout).toContain('validate-release did not finish (outcome: failure)');
    expect(crashed.summary).toContain('- ❌ `[project].version` is a static PEP 440 version: (unreadable)');
    const bad = judge('failure', 'PYPROJECT_BAD_VERSION', '');
    expect(bad.status).toBe(1);
    expect(bad.summary).toContain('- ❌ `PYPROJECT_BAD_VERSION` (see the findings above)');
  });
});

describe('ci.yml CI result: the one required check', () => {
  const step = steps(load('ci.yml').jobs['ci-result'])[0];
  const cwd = tmp('quiver-ci-result-');
  type Results = { WHEELS: string; AFFECTED: string; CHECKS: string; E2E: string; BUILD_WHEELS: string; MERGE_WHEELS: string };
  const ok: Results = { WHEELS: 'true', AFFECTED: 'success', CHECKS: 'success', E2E: 'success', BUILD_WHEELS: 'success', MERGE_WHEELS: 'success' };
  const docsOnly: Results = { ...ok, WHEELS: 'false', BUILD_WHEELS: 'skipped', MERGE_WHEELS: 'skipped' };
  const judge = (r: Results) => {
    const run = runStepScript(step, cwd, r);
    return { status: run.status, errors: run.stdout.split('\n').filter((l) => l.startsWith('::error')), summary: run.summary };
  };

  it.each([
    ['a wheel project is affected and every job passed', ok],
    ['no wheel project is affected and the wheel jobs were rightly skipped (a docs-only pull request)', docsOnly],
  ])('passes: %s', (_, r) => {
    const v = judge(r);
    expect(v).toEqual({ status: 0, errors: [], summary: expect.stringContaining('| build-wheels | ' + r.BUILD_WHEELS + ' | ok |') });
    expect(v.summary).toContain('### CI result');
  });

  it.each([
    ['one build leg failed (the matrix job reports failure)', { ...ok, BUILD_WHEELS: 'failure', MERGE_WHEELS: 'skipped' }, ['build-wheels is failure, but it should be success (a wheel project is affected).', 'merge wheels is skipped, but it should be success (a wheel project is affected).']],
    ['build-wheels was skipped although a wheel project is affected', { ...ok, BUILD_WHEELS: 'skipped', MERGE_WHEELS: 'skipped' }, ['build-wheels is skipped, but it should be success (a wheel project is affected).', 'merge wheels is skipped, but it should be success (a wheel project is affected).']],
    ['build-wheels ran although no wheel project is affected', { ...docsOnly, BUILD_WHEELS: 'success', MERGE_WHEELS: 'success' }, ['build-wheels is success, but it should be skipped (no wheel project is affected).', 'merge wheels is success, but it should be skipped (no wheel project is affected).']],
    ['the tests failed on a docs-only pull request', { ...docsOnly, CHECKS: 'failure' }, ['lint, typecheck, test (affected) is failure, but it should be success.']],
    ['the e2e job was cancelled', { ...ok, E2E: 'cancelled' }, ['e2e (affected) is cancelled, but it should be success.']],
    ['affected projects failed (no verdict, everything after it skipped)', { WHEELS: '', AFFECTED: 'failure', CHECKS: 'skipped', E2E: 'skipped', BUILD_WHEELS: 'skipped', MERGE_WHEELS: 'skipped' }, ['affected projects is failure, but it should be success.', 'lint, typecheck, test (affected) is skipped, but it should be success.', 'e2e (affected) is skipped, but it should be success.', "affected projects gave no wheels verdict (output ''), so whether build-wheels had to run is unknown; see that job."]],
  ] as Array<[string, Results, string[]]>)('fails: %s, one ::error line per wrong job', (_, r, why) => {
    const v = judge(r);
    expect(v.status).toBe(1);
    expect(v.errors).toEqual(why.map((w) => `::error title=CI result::${w}`));
  });
});

describe('release.yml validate: the default-branch guard', () => {
  const guard = stepById(load('release.yml').jobs['validate'], 'on-default-branch');
  let repo: string;
  let onMain: string;
  let offMain: string;
  beforeAll(() => {
    // main: A - B; a side branch: A - C. origin/main is main, as actions/checkout with fetch-depth 0 leaves it.
    repo = tempRepo('quiver-guard-');
    dirs.push(repo);
    write(repo, 'a.txt', 'a\n');
    commitAll(repo, 'A');
    write(repo, 'b.txt', 'b\n');
    commitAll(repo, 'B');
    onMain = git(repo, 'rev-parse', 'HEAD').trim();
    git(repo, 'switch', '-q', '-c', 'side', 'HEAD~1');
    write(repo, 'c.txt', 'c\n');
    commitAll(repo, 'C');
    offMain = git(repo, 'rev-parse', 'HEAD').trim();
    git(repo, 'update-ref', 'refs/remotes/origin/main', 'main');
  });
  const check = (sha: string, env: Record<string, string> = {}) =>
    runStepScript(guard, repo, { GITHUB_SHA: sha, DEFAULT_BRANCH: 'main', TAG: 'v1.2.3', ...env });

  it('passes a tag on a commit of the default branch (also an older one)', () => {
    const r = check(onMain);
    expect(r.status).toBe(0);
    expect(r.summary).toContain(`tag v1.2.3: ${onMain} is on main`);
    expect(check(git(repo, 'rev-parse', 'main~1').trim()).status).toBe(0);
  });

  it('refuses a tag on a commit that is not on the default branch, with one ::error line naming the fix', () => {
    const r = check(offMain);
    expect(r.status).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toEqual([
      `::error title=Release guard::tag v1.2.3 points at ${offMain}, which is not on main; delete the tag (git push --delete origin v1.2.3) and tag the merged release commit on main (docs/release-guide.md#cutting-a-release).`,
    ]);
  });

  it('uses the repository default branch it is given, and says so when that branch is not in the checkout', () => {
    expect(check(offMain, { DEFAULT_BRANCH: 'side' }).status).toBe(1); // origin/side does not exist
    const r = check(onMain, { DEFAULT_BRANCH: 'trunk' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('::error title=Release guard::origin/trunk is not in the checkout; the validate job\'s actions/checkout needs fetch-depth: 0.');
  });
});

describe('release.yml publish: verifying the pypi-upload artifact', () => {
  const verify = stepById(load('release.yml').jobs['publish'], 'verify');
  const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
  /** A downloaded artifact: pypi-upload/dist/<files> and pypi-upload/SHA256SUMS (when `sums` is not null). */
  function artifact(files: Record<string, string>, sums: string | null): string {
    const root = tmp('quiver-pypi-upload-');
    const dir = join(root, 'pypi-upload');
    mkdirSync(dir);
    if (Object.keys(files).length) mkdirSync(join(dir, 'dist'));
    for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, 'dist', name), body);
    if (sums !== null) writeFileSync(join(dir, 'SHA256SUMS'), sums);
    return root;
  }
  const A = 'quiverdb-1.0.0-cp313-cp313-manylinux_2_28_x86_64.whl';
  const B = 'quiverdb-1.0.0-cp313-cp313-win_amd64.whl';
  const sums = (files: Record<string, string>) => Object.entries(files).map(([n, b]) => `${sha(b)}  ${n}\n`).join('');
  /** The validate job's fingerprint of a SHA256SUMS text (the EXPECTED_SUMS the step gets). */
  const made = (text: string) => ({ EXPECTED_SUMS: sha(text) });

  it('passes when every file matches SHA256SUMS and both list the same names; count for the upload step', () => {
    const files = { [A]: 'linux wheel bytes', [B]: 'windows wheel bytes' };
    const r = runStepScript(verify, artifact(files, sums(files)), made(sums(files)));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${A}: OK`);
    expect(r.output).toBe('count=2\n');
    expect(r.summary).toContain('Uploading 2 file(s) to PyPI:');
  });

  it('the fingerprint the validate job writes for dist/pypi-upload is the one the publish job accepts', () => {
    const files = { [A]: 'linux wheel bytes', [B]: 'windows wheel bytes' };
    const root = artifact(files, sums(files));
    // validate sees the same files at dist/pypi-upload (the artifact's root there)
    const validateRoot = tmp('quiver-validate-');
    mkdirSync(join(validateRoot, 'dist'));
    cpSync(join(root, 'pypi-upload'), join(validateRoot, 'dist', 'pypi-upload'), { recursive: true });
    const fingerprint = runStepScript(stepById(load('release.yml').jobs['validate'], 'fingerprint'), validateRoot, {});
    expect(fingerprint.status).toBe(0);
    const m = /^sha256=([0-9a-f]{64})\n$/.exec(fingerprint.output)!;
    expect(m).not.toBeNull();
    expect(runStepScript(verify, root, { EXPECTED_SUMS: m[1] }).status).toBe(0);
  });

  it('an empty upload (PyPI has everything) passes with count 0: the dist/ directory did not survive the artifact', () => {
    const r = runStepScript(verify, artifact({}, ''), made(''));
    expect(r.status).toBe(0);
    expect(r.output).toBe('count=0\n');
    expect(r.summary).toContain('Nothing to upload: PyPI already has every file of this release with identical bytes');
  });

  it('fails when a file\'s bytes differ from its SHA256SUMS line', () => {
    const files = { [A]: 'linux wheel bytes', [B]: 'windows wheel bytes' };
    const root = artifact(files, sums(files));
    writeFileSync(join(root, 'pypi-upload', 'dist', B), 'tampered');
    const r = runStepScript(verify, root, made(sums(files)));
    expect(r.status).not.toBe(0);
    expect(r.stdout).toContain(`${B}: FAILED`);
    expect(r.output).toBe('');
  });

  it('fails when dist/ has a file SHA256SUMS does not list, or SHA256SUMS lists a file that is missing', () => {
    const listed = { [A]: 'linux wheel bytes' };
    const extra = runStepScript(verify, artifact({ ...listed, [B]: 'unlisted' }, sums(listed)), made(sums(listed)));
    expect(extra.status).toBe(1);
    expect(extra.stdout).toMatch(/^::error title=pypi-upload::dist\/ and SHA256SUMS of the pypi-upload artifact do not name the same files; /m);
    expect(extra.stdout).toContain(`> ${B}`);
    const missing = runStepScript(verify, artifact(listed, sums({ ...listed, [B]: 'gone' })), made(sums({ ...listed, [B]: 'gone' })));
    expect(missing.status).toBe(1);
    expect(missing.stdout).toContain(`< ${B}`);
    expect(missing.output).toBe('');
  });

  it('fails when SHA256SUMS is not the one the validate job fingerprinted (replaced together with the files), or no fingerprint came', () => {
    const files = { [A]: 'other linux wheel bytes' };
    const swapped = runStepScript(verify, artifact(files, sums(files)), made(sums({ [A]: 'linux wheel bytes' })));
    expect(swapped.status).toBe(1);
    expect(swapped.stdout).toMatch(/^::error title=pypi-upload::SHA256SUMS of the pypi-upload artifact has sha256 [0-9a-f]{64}, but the validate job made one with [0-9a-f]{64}; /m);
    expect(swapped.output).toBe('');
    expect(runStepScript(verify, artifact(files, sums(files)), { EXPECTED_SUMS: '' }).status).toBe(1);
  });

  it('fails on a malformed SHA256SUMS line and on a missing SHA256SUMS', () => {
    const files = { [A]: 'linux wheel bytes' };
    const malformed = `${sha('x')} ${A}\n`;
    expect(runStepScript(verify, artifact(files, malformed), made(malformed)).status).not.toBe(0);
    const none = runStepScript(verify, artifact(files, null), made(''));
    expect(none.status).toBe(1);
    expect(none.stdout).toMatch(/^::error title=pypi-upload::SHA256SUMS is missing/m);
  });
});

/**
 * Stand-in for the GitHub CLI (GitHub is out of reach here): the `gh release` subcommands the
 * GitHub Release step uses, against a release kept in a directory. `view --json --jq` builds the
 * JSON fields gh returns (isDraft; assets with name and `digest` "sha256:<hex>", null for an asset
 * recorded without one, as GitHub has for assets uploaded before it computed digests) and runs the
 * step's own --jq program through the real jq. `upload` refuses --clobber (as an immutable release
 * does) and an asset name that is already attached (as GitHub does without --clobber). Every call
 * is logged to calls.log.
 */
const GH_STANDIN = `#!/usr/bin/env node
// Stand-in gh (test only): see workflow-scripts.spec.ts.
const fs = require('fs'), path = require('path'), crypto = require('crypto'), cp = require('child_process');
const dir = process.env.GH_STANDIN_DIR;
const args = process.argv.slice(2);
fs.appendFileSync(path.join(dir, 'calls.log'), args.join(' ') + '\\n');
const file = path.join(dir, 'release.json');
const rel = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
const save = (r) => fs.writeFileSync(file, JSON.stringify(r));
const store = path.join(dir, 'assets');
const opt = (name) => { const i = args.indexOf(name); return i < 0 ? undefined : args[i + 1]; };
const files = (from) => args.slice(from).filter((a, i, all) => !a.startsWith('-') && !(all[i - 1] || '').match(/^--(title|notes-file|pattern|dir)$/));
const attach = (r, f, digest) => { fs.mkdirSync(store, { recursive: true }); fs.copyFileSync(f, path.join(store, path.basename(f))); r.assets[path.basename(f)] = { digest }; };
if (args[0] !== 'release') { console.error('stand-in gh: only "gh release" is implemented'); process.exit(2); }
const [, sub, tag] = args;
if (sub === 'view') {
  if (!rel) { console.error('release not found'); process.exit(1); }
  const json = { isDraft: rel.isDraft, assets: Object.entries(rel.assets).map(([name, a]) => ({ name, digest: a.digest ? 'sha256:' + crypto.createHash('sha256').update(fs.readFileSync(path.join(store, name))).digest('hex') : null })) };
  const r = cp.spawnSync('jq', ['-r', opt('--jq')], { input: JSON.stringify(json), encoding: 'utf8' });
  process.stdout.write(r.stdout); process.stderr.write(r.stderr); process.exit(r.status);
}
if (sub === 'create') {
  if (rel) { console.error('a release with the same tag name already exists: ' + tag); process.exit(1); }
  const r = { tag, isDraft: false, assets: {} };
  for (const f of files(3)) attach(r, f, true);
  save(r); process.exit(0);
}
if (!rel) { console.error('release not found'); process.exit(1); }
if (sub === 'upload') {
  if (args.includes('--clobber')) { console.error('HTTP 422: Cannot delete asset from an immutable release.'); process.exit(1); }
  for (const f of files(3)) if (rel.assets[path.basename(f)]) { console.error('asset under the same name already exists: ' + path.basename(f)); process.exit(1); }
  if (rel.immutable && !rel.isDraft) { console.error('HTTP 422: Cannot upload assets to an immutable release.'); process.exit(1); }
  for (const f of files(3)) attach(rel, f, true);
  save(rel); process.exit(0);
}
if (sub === 'download') {
  const name = opt('--pattern'), out = opt('--dir');
  fs.mkdirSync(out, { recursive: true }); fs.copyFileSync(path.join(store, name), path.join(out, name)); process.exit(0);
}
if (sub === 'edit') { if (args.includes('--draft=false')) rel.isDraft = false; save(rel); process.exit(0); }
console.error('stand-in gh: release ' + sub + ' is not implemented'); process.exit(2);
`;

describe('release.yml GitHub Release: assets skipped by sha256, never replaced (stand-in gh)', () => {
  const step = steps(load('release.yml').jobs['release']).find((s) => s.name === 'gh release create')!;
  const sha = (b: string) => createHash('sha256').update(b).digest('hex');
  const LINUX = 'quiverdb-1.0.0-cp313-cp313-manylinux_2_28_x86_64.whl';
  const WINDOWS = 'quiverdb-1.0.0-cp313-cp313-win_amd64.whl';
  const built = { [LINUX]: 'linux wheel bytes', [WINDOWS]: 'windows wheel bytes' };
  const SUMS = Object.entries(built).map(([n, b]) => `${sha(b)}  ${n}\n`).join('');

  /**
   * The job's working directory after its downloads (wheels/, release/) and a stand-in release:
   * `release` null when none exists yet, else its draft state and attached assets (bytes, and
   * whether GitHub recorded a digest).
   */
  function setup(release: null | { isDraft?: boolean; immutable?: boolean; assets: Record<string, { bytes: string; digest?: boolean }> }) {
    const root = tmp('quiver-gh-release-');
    mkdirSync(join(root, 'wheels'));
    mkdirSync(join(root, 'release'));
    for (const [n, b] of Object.entries(built)) writeFileSync(join(root, 'wheels', n), b);
    writeFileSync(join(root, 'release', 'SHA256SUMS'), SUMS);
    writeFileSync(join(root, 'release', 'release-notes.md'), '## 1.0.0\n- first\n');
    const gh = join(root, '.gh');
    mkdirSync(join(gh, 'bin'), { recursive: true });
    mkdirSync(join(gh, 'assets'));
    writeFileSync(join(gh, 'bin', 'gh'), GH_STANDIN, { mode: 0o755 });
    writeFileSync(join(gh, 'calls.log'), '');
    if (release) {
      const assets: Record<string, { digest: boolean }> = {};
      for (const [n, a] of Object.entries(release.assets)) {
        writeFileSync(join(gh, 'assets', n), a.bytes);
        assets[n] = { digest: a.digest ?? true };
      }
      writeFileSync(join(gh, 'release.json'), JSON.stringify({ tag: 'v1.0.0', isDraft: release.isDraft ?? false, immutable: release.immutable ?? false, assets }));
    }
    return { root, gh };
  }
  function run(root: string, gh: string, prerelease = 'false') {
    const r = runStepScript(step, root, { PATH: `${join(gh, 'bin')}:${process.env.PATH}`, GH_STANDIN_DIR: gh, TAG: 'v1.0.0', VERSION: '1.0.0', PRERELEASE: prerelease });
    const calls = readFileSync(join(gh, 'calls.log'), 'utf8').split('\n').filter(Boolean).map((c) => c.split(' ').slice(0, 2).join(' '));
    const release = existsSync(join(gh, 'release.json')) ? JSON.parse(readFileSync(join(gh, 'release.json'), 'utf8')) : null;
    const attached = release ? Object.fromEntries(Object.keys(release.assets).map((n) => [n, readFileSync(join(gh, 'assets', n), 'utf8')])) : null;
    return { ...r, calls, release, attached, errors: r.stdout.split('\n').filter((l) => l.startsWith('::error')) };
  }
  const all = { ...built, SHA256SUMS: SUMS };

  it('no release yet: gh release create with the notes and every asset', () => {
    const { root, gh } = setup(null);
    const r = run(root, gh);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.calls).toEqual(['release view', 'release create']);
    expect(readFileSync(join(gh, 'calls.log'), 'utf8')).toContain('--verify-tag --title quiverdb 1.0.0 --notes-file release/release-notes.md');
    expect(r.attached).toEqual(all);
  });

  it('a re-run after everything was attached: every asset has the same sha256, nothing is uploaded', () => {
    const { root, gh } = setup({ assets: Object.fromEntries(Object.entries(all).map(([n, b]) => [n, { bytes: b }])) });
    const r = run(root, gh);
    expect(r.status).toBe(0);
    expect(r.calls).toEqual(['release view']);
    for (const n of Object.keys(all)) expect(r.stdout).toContain(`${n}: already attached with the same sha256 `);
    expect(r.summary).toBe('release v1.0.0 (published): 0 asset(s) uploaded, 3 already attached\n');
  });

  it('a re-run with the Windows wheel missing uploads only that one, without --clobber', () => {
    const { root, gh } = setup({ assets: { [LINUX]: { bytes: built[LINUX] }, SHA256SUMS: { bytes: SUMS } } });
    const r = run(root, gh);
    expect(r.status).toBe(0);
    expect(r.calls).toEqual(['release view', 'release upload']);
    expect(readFileSync(join(gh, 'calls.log'), 'utf8').split('\n')[1]).toBe(`release upload v1.0.0 wheels/${WINDOWS}`);
    expect(r.attached).toEqual(all);
  });

  it('an asset attached before GitHub recorded digests is downloaded and hashed: same bytes skipped', () => {
    const { root, gh } = setup({ assets: Object.fromEntries(Object.entries(all).map(([n, b]) => [n, { bytes: b, digest: n !== LINUX }])) });
    const r = run(root, gh);
    expect(r.status).toBe(0);
    expect(r.calls).toEqual(['release view', 'release download']);
  });

  it.each([true, false])('an attached asset with other bytes (digest recorded: %s) fails with one ::error line and uploads nothing, not even the missing ones', (digest) => {
    const { root, gh } = setup({ assets: { [LINUX]: { bytes: 'other linux bytes', digest } } });
    const r = run(root, gh);
    expect(r.status).toBe(1);
    expect(r.errors).toEqual([
      `::error title=GitHub Release::release v1.0.0 already has ${LINUX} with sha256 ${sha('other linux bytes')}, but this run's ${LINUX} has sha256 ${sha(built[LINUX])}; assets are never replaced: if the attached file is the wrong one, delete it (gh release delete-asset v1.0.0 ${LINUX}) and re-run this job, otherwise this run did not rebuild the released bytes (docs/release-guide.md#recovering).`,
    ]);
    expect(r.calls).not.toContain('release upload');
    expect(r.attached).toEqual({ [LINUX]: 'other linux bytes' });
  });

  it('a draft left by a failed create gets the missing assets and is published, still a pre-release', () => {
    const { root, gh } = setup({ isDraft: true, immutable: true, assets: { [LINUX]: { bytes: built[LINUX] } } });
    const r = run(root, gh, 'true');
    expect(r.status).toBe(0);
    expect(r.calls).toEqual(['release view', 'release upload', 'release edit']);
    expect(readFileSync(join(gh, 'calls.log'), 'utf8')).toContain('release edit v1.0.0 --draft=false --prerelease --latest=false');
    expect(r.release.isDraft).toBe(false);
    expect(r.attached).toEqual(all);
  });

  it('a published immutable release that lacks an asset: the upload fails with one ::error line saying a new version is needed', () => {
    const { root, gh } = setup({ immutable: true, assets: { [LINUX]: { bytes: built[LINUX] }, SHA256SUMS: { bytes: SUMS } } });
    const r = run(root, gh);
    expect(r.status).toBe(1);
    expect(r.errors).toEqual([expect.stringMatching(new RegExp(`^::error title=GitHub Release::uploading ${WINDOWS.replace(/\./g, '\\.')} to release v1\\.0\\.0 failed .*immutable takes no new assets: publish a new version`))]);
  });
});

describe('tools/ci/zizmor.mjs', () => {
  it('fails on a workflow with a template injection and passes the repository\'s workflows, offline', () => {
    const dir = tmp('quiver-zizmor-');
    const bad = join(dir, 'bad.yml');
    writeFileSync(
      bad,
      [
        'on: pull_request_target',
        'permissions: {}',
        'jobs:',
        '  greet:',
        '    runs-on: ubuntu-latest',
        '    permissions: {}',
        '    steps:',
        '      - run: echo "${{ github.event.pull_request.title }}"',
        '',
      ].join('\n'),
    );
    // A token in the environment must not matter: zizmor runs --offline and never gets it.
    const env = { ...process.env, GH_TOKEN: 'not-a-real-token' };
    const r = spawnSync(process.execPath, ['tools/ci/zizmor.mjs', bad], { cwd: WORKSPACE, env, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/template-injection/);
    expect(r.stderr).toMatch(/^ci:lint: zizmor \d+\.\d+\.\d+ reported findings \(above, exit \d+\); fix each one, or for a false positive add "# zizmor: ignore\[<rule>\]"/m);
    expect(r.stdout + r.stderr).not.toContain('not-a-real-token');
    const ok = spawnSync(process.execPath, ['tools/ci/zizmor.mjs'], { cwd: WORKSPACE, env, encoding: 'utf8' });
    expect(ok.stderr).not.toMatch(/^ci:lint:/m);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('ci:lint: zizmor: no findings');
  });

  it('a missing input path is one line naming it', () => {
    const r = spawnSync(process.execPath, ['tools/ci/zizmor.mjs', 'no/such/dir'], { cwd: WORKSPACE, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ci:lint: no\/such\/dir does not exist/)]);
  });
});
