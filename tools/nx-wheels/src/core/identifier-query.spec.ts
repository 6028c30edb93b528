import { IdentifierQueryFacts, identifierQueryKey } from './identifier-query';

const base: IdentifierQueryFacts = {
  toolchainStamp: 'stamp-1',
  platform: 'linux',
  hostOs: 'linux',
  hostArch: 'x64',
  env: { CIBW_BUILD: 'cp313-*', PATH: '/usr/bin' },
  files: { 'pyproject.toml': '[tool.cibuildwheel]\n', 'setup.cfg': null, 'setup.py': null },
};
const key = identifierQueryKey(base);

describe('identifierQueryKey', () => {
  it.each<[string, Partial<IdentifierQueryFacts>]>([
    ['another toolchain (cibuildwheel version)', { toolchainStamp: 'stamp-2' }],
    ['another platform', { platform: 'windows' }],
    ['another host OS', { hostOs: 'darwin' }],
    ['another host architecture', { hostArch: 'arm64' }],
    ['another CIBW_* value', { env: { CIBW_BUILD: 'cp312-*', PATH: '/usr/bin' } }],
    ['a CIBW_* variable added', { env: { ...base.env, CIBW_ARCHS: 'all' } }],
    ['an edited pyproject.toml', { files: { ...base.files, 'pyproject.toml': '[tool.cibuildwheel]\nbuild = "cp312-*"\n' } }],
    ['a setup.cfg that appears', { files: { ...base.files, 'setup.cfg': '[options]\npython_requires = >=3.12\n' } }],
  ])('changes with %s', (_name, change) => {
    expect(identifierQueryKey({ ...base, ...change })).not.toBe(key);
  });

  it('ignores variables other than CIBW_* and the order of keys', () => {
    expect(identifierQueryKey({ ...base, env: { PATH: '/other', HOME: '/root', CIBW_BUILD: 'cp313-*' } })).toBe(key);
    expect(identifierQueryKey({ ...base, files: { 'setup.py': null, 'setup.cfg': null, 'pyproject.toml': '[tool.cibuildwheel]\n' } })).toBe(key);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
  });
});
