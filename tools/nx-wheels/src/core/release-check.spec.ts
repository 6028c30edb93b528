import { checkRelease, latestReleaseTag, releaseTags, renderReleaseSummary } from './release-check';

const py = (v: string) => `[project]\nname = "quiverdb"\nversion = "${v}"\n`;
const base = { pyprojectFile: 'p/pyproject.toml', changelogFile: 'p/CHANGELOG.md', tagPrefix: 'v' };

describe('checkRelease', () => {
  it('considers only v + PEP 440 (no local label) and ignores stray v-tags, in PEP 440 order', () => {
    const tags = ['vendor-import', 'vNext', 'vscode-x', 'v1.2.3+local', 'v0.1.0', 'v0.10.0rc1', 'v0.9.0', 'latest'];
    expect(releaseTags(tags, 'v')).toEqual([
      { tag: 'v0.10.0rc1', version: '0.10.0rc1' },
      { tag: 'v0.9.0', version: '0.9.0' },
      { tag: 'v0.1.0', version: '0.1.0' },
    ]);
    expect(latestReleaseTag(['vendor-import', 'vNext', 'vscode-x'], 'v')).toBeNull();
    expect(latestReleaseTag(tags, 'v', { finalOnly: true })).toEqual({ tag: 'v0.9.0', version: '0.9.0' });
    expect(latestReleaseTag(['v1.3.0', 'v1.4.0rc0', 'v1.4.0rc1'], 'v', { finalOnly: true, below: '1.4.0' })).toEqual({ tag: 'v1.3.0', version: '1.3.0' });
  });

  it('refuses a local version with one line naming the file and the fix', () => {
    const r = checkRelease({ ...base, mode: 'branch', tags: ['v2.0.0'], pyprojectText: py('2.1.0+local'), changelogText: '## 2.1.0+local\n- x\n' });
    expect(r.failures).toEqual([
      { code: 'VERSION_LOCAL', message: 'p/pyproject.toml [project].version 2.1.0+local has a local label (+local), which PyPI and every package index refuse; set version = "2.1.0" (nx release 2.1.0).' },
    ]);
    expect(r.ok).toBe(false);
  });

  it('orders tags by PEP 440, not by string', () => {
    expect(latestReleaseTag(['v1.10.0', 'v1.9.0', 'v1.10.0rc1', 'vfoo', 'x1.11.0'], 'v')).toEqual({ tag: 'v1.10.0', version: '1.10.0' });
  });

  it('reports each disagreement with its own code, all at once', () => {
    const r = checkRelease({ ...base, mode: 'tag', tag: 'v2.0.0', pyprojectText: py('1.0.0'), changelogText: '## 0.9.0\n' });
    expect(r.failures.map((f) => f.code)).toEqual(['TAG_VERSION_MISMATCH', 'CHANGELOG_NO_SECTION']);
    expect(r.ok).toBe(false);
    expect(renderReleaseSummary(r, 'python')).toContain('FAILED (tag mode)');
  });

  it('dynamic versions and missing files are failures, not exceptions', () => {
    const dyn = checkRelease({ ...base, mode: 'branch', tags: [], pyprojectText: '[project]\nname="a"\ndynamic=["version"]\n', changelogText: null });
    expect(dyn.failures.map((f) => f.code)).toEqual(['PYPROJECT_DYNAMIC_VERSION']);
    const none = checkRelease({ ...base, mode: 'tag', tag: null, pyprojectText: null, changelogText: null });
    expect(none.failures.map((f) => f.code)).toEqual(['PYPROJECT_MISSING', 'NO_TAG']);
  });

  it('marks a/b/rc/dev as pre-releases and post-releases as final', () => {
    const ok = (v: string) => checkRelease({ ...base, mode: 'tag', tag: `v${v}`, pyprojectText: py(v), changelogText: `## ${v}\n- x\n` });
    expect(ok('1.0.0rc1').prerelease).toBe(true);
    expect(ok('1.0.0.dev2').prerelease).toBe(true);
    expect(ok('1.0.0.post1').prerelease).toBe(false);
    expect(ok('1.0.0.post1').ok).toBe(true);
  });
});
