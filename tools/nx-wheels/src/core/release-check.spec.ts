import { checkRelease, latestReleaseTag, renderReleaseSummary } from './release-check';

const py = (v: string) => `[project]\nname = "quiverdb"\nversion = "${v}"\n`;
const base = { pyprojectFile: 'p/pyproject.toml', changelogFile: 'p/CHANGELOG.md', tagPrefix: 'v' };

describe('checkRelease', () => {
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
