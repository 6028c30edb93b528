import { pretendVersionEnv, scmDistSuffix, vcsVersionSourceOf, versionCacheKey } from './dynamic-version';

const py = (body: string, requires = '"setuptools>=64"') => `[build-system]\nrequires = [${requires}]\nbuild-backend = "x"\n[project]\nname = "my.pkg"\ndynamic = ["version"]\n${body}`;

describe('vcsVersionSource', () => {
  it.each([
    [py('[tool.hatch.version]\nsource = "vcs"\n', '"hatchling", "hatch-vcs"'), 'hatch-vcs'],
    [py('[tool.setuptools_scm]\n'), 'setuptools-scm'],
    [py('', '"setuptools>=64", "setuptools_scm[toml]>=8"'), 'setuptools-scm'],
    [py('[tool.scikit-build.metadata.version]\nprovider = "scikit_build_core.metadata.setuptools_scm"\n', '"scikit-build-core"'), 'setuptools-scm'],
    [py('[tool.pdm.version]\nsource = "scm"\n', '"pdm-backend"'), 'pdm-scm'],
    [py('[tool.versioningit]\n', '"setuptools", "versioningit"'), 'versioningit'],
    [py('[tool.hatch.version]\npath = "src/p/__about__.py"\n', '"hatchling"'), null],
    ['[project]\nname = "p"\nversion = "1.0"\n[tool.setuptools_scm]\n', null],
  ])('%#', (text, want) => {
    expect(vcsVersionSourceOf(text, 'pyproject.toml')).toBe(want);
  });
});

describe('pretendVersionEnv', () => {
  it('setuptools-scm and hatch-vcs: the per-distribution and the generic variable', () => {
    expect(scmDistSuffix('My.Pkg_name-x')).toBe('MY_PKG_NAME_X');
    expect(pretendVersionEnv('hatch-vcs', 'iniconfig', '2.1.0')).toEqual({ SETUPTOOLS_SCM_PRETEND_VERSION_FOR_INICONFIG: '2.1.0', SETUPTOOLS_SCM_PRETEND_VERSION: '2.1.0' });
    expect(pretendVersionEnv('pdm-scm', 'x', '1.0')).toEqual({ PDM_BUILD_SCM_VERSION: '1.0' });
    expect(pretendVersionEnv('versioningit', 'x', '1.0')).toEqual({});
  });
});

describe('versionCacheKey', () => {
  const base = { pyproject: 'a', head: 'h', describe: 'v1.0-0-gh', dirty: '', python: '/py', env: { PATH: '/bin' } };
  it('changes with every input that matters and only with those', () => {
    const k = versionCacheKey(base);
    expect(versionCacheKey({ ...base, env: { PATH: '/other' } })).toBe(k);
    for (const change of [{ pyproject: 'b' }, { head: 'g' }, { describe: 'v1.1-0-gh' }, { dirty: ' M x abc' }, { python: '/py2' }, { env: { SETUPTOOLS_SCM_PRETEND_VERSION: '9' } }]) {
      expect(versionCacheKey({ ...base, ...change })).not.toBe(k);
    }
  });
});
