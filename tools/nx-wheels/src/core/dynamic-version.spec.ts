import { pretendVersionEnv, scmDistSuffix, subdirectoryTagVersion, vcsVersionSourceOf, versionCacheKey } from './dynamic-version';

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

describe('subdirectoryTagVersion', () => {
  it.each<[string, string[], string | null, string | null]>([
    ['packages/pluggy/', ['markupsafe-v3.0.2', 'pluggy-v1.7.0', 'tomli-v2.0.2'], 'pluggy-v', '1.7.0'],
    ['packages/pluggy', ['pluggy-v1.7.0', 'pluggy-v1.8.0rc1', 'pluggy-v1.7.1'], 'pluggy-v', '1.8.0rc1'],
    ['packages/pluggy/', ['pluggy-v01.07.00'], 'pluggy-v', '1.7.0'],
    // at the repository root the back-end reads git itself
    ['', ['pluggy-v1.7.0'], 'pluggy-v', null],
    // another project's tag, a prefix that only starts the same, a local label: not this project's release
    ['packages/pluggy/', ['tomli-v2.0.2', 'pluggy-vx', 'pluggy-v1.7.0+local'], 'pluggy-v', null],
    ['packages/pluggy/', ['pluggy-v1.7.0'], null, null],
    ['packages/pluggy/', [], 'pluggy-v', null],
  ])('%s %j %s -> %s', (subdir, tags, prefix, want) => {
    expect(subdirectoryTagVersion(subdir, tags, prefix)).toBe(want);
  });
});
