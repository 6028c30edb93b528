import {
  buildEnvironment,
  cibuildwheelEnvironment,
  cibuildwheelSetEnvironment,
  cibuildwheelTestEnvironment,
  cibuildwheelInvocation,
  resolveOption,
  resolveSourceDateEpoch,
  substitutePlaceholders,
  testCommand,
  testRequires,
  testSkipped,
} from './cibw-options';

const config = {
  'test-command': 'pytest {project}/tests',
  'test-requires': ['pytest'],
  environment: { A: '1' },
  linux: { 'test-command': ['pytest {package}/tests', 'python -c "import x"'] },
  overrides: [
    { select: 'cp312-*', 'test-requires': 'pytest numpy' },
    { select: ['cp313-win*'], 'test-skip': '*' },
  ],
};

describe('resolveOption (cibuildwheel precedence)', () => {
  it('platform table beats the top level; a list test-command is joined with &&', () => {
    expect(testCommand(config, 'linux', 'cp313-manylinux_x86_64', {})).toBe('pytest {package}/tests && python -c "import x"');
    expect(testCommand(config, 'windows', 'cp313-win_amd64', {})).toBe('pytest {project}/tests');
  });
  it('overrides with a matching select beat the tables; a string test-requires is split', () => {
    expect(testRequires(config, 'linux', 'cp312-manylinux_x86_64', {})).toEqual(['pytest', 'numpy']);
    expect(testRequires(config, 'linux', 'cp313-manylinux_x86_64', {})).toEqual(['pytest']);
  });
  it('CIBW_X_PLATFORM beats CIBW_X beats the file', () => {
    expect(testCommand(config, 'linux', 'cp313-manylinux_x86_64', { CIBW_TEST_COMMAND: 'a' })).toBe('a');
    expect(testCommand(config, 'linux', 'cp313-manylinux_x86_64', { CIBW_TEST_COMMAND: 'a', CIBW_TEST_COMMAND_LINUX: 'b' })).toBe('b');
    expect(resolveOption(config, 'build', 'linux', 'cp313-manylinux_x86_64', {})).toBeUndefined();
  });
  it('test-skip is matched against the identifier', () => {
    expect(testSkipped({ 'test-skip': 'cp313-*' }, 'linux', 'cp313-manylinux_x86_64', {})).toBe(true);
    expect(testSkipped(config, 'windows', 'cp313-win_amd64', {})).toBe(true);
    expect(testSkipped(config, 'linux', 'cp313-manylinux_x86_64', {})).toBe(false);
  });
  it('environment: table and KEY=value string forms', () => {
    expect(buildEnvironment(config, 'linux', 'x', {})).toEqual({ A: '1' });
    expect(buildEnvironment(config, 'linux', 'x', { CIBW_ENVIRONMENT: `B=2 C="x y" D='z'` })).toEqual({ B: '2', C: 'x y', D: 'z' });
  });
  it('substitutes {project}, {package} and {wheel}', () => {
    expect(substitutePlaceholders('pytest {project}/t {package} {wheel}', { project: '/w', package: '/w/p', wheel: '/x.whl' })).toBe('pytest /w/t /w/p /x.whl');
  });
});

describe('SOURCE_DATE_EPOCH for cibuildwheel', () => {
  const head = { value: '1767225600', origin: 'head' as const };

  it("HEAD's commit time unless the user set one (theirs wins); null without either", () => {
    expect(resolveSourceDateEpoch({}, '1767225600')).toEqual(head);
    expect(resolveSourceDateEpoch({ SOURCE_DATE_EPOCH: '42' }, '1767225600')).toEqual({ value: '42', origin: 'environment' });
    expect(resolveSourceDateEpoch({}, null)).toBeNull();
  });

  it('the command line: --platform, absolute --output-dir, package dir relative to the staging root (cwd); env carries SOURCE_DATE_EPOCH and the container pass', () => {
    const run = cibuildwheelInvocation({ stagingDir: '/ws/.nx-wheels/staging/python-1', packageDir: 'bindings/python', outputDir: '/ws/.nx-wheels/tmp/b/wheelhouse', platform: 'linux', env: { PATH: '/bin' }, sourceDateEpoch: head, runTests: false });
    expect(run.args).toEqual(['--platform', 'linux', '--output-dir', '/ws/.nx-wheels/tmp/b/wheelhouse', 'bindings/python']);
    expect(run.cwd).toBe('/ws/.nx-wheels/staging/python-1');
    expect(run.env).toEqual({
      PATH: '/bin',
      SOURCE_DATE_EPOCH: '1767225600',
      CIBW_ENVIRONMENT_PASS_LINUX: 'SOURCE_DATE_EPOCH',
      CIBW_INHERIT: 'environment-pass-linux: append',
      CIBW_TEST_SKIP: '*',
    });
    expect(cibuildwheelInvocation({ stagingDir: 's', packageDir: 'p', outputDir: '/o', platform: 'linux', env: {}, sourceDateEpoch: head, runTests: true }).env['CIBW_TEST_SKIP']).toBeUndefined();
  });

  it('Windows: only the process environment (the build and delvewheel inherit it)', () => {
    expect(cibuildwheelEnvironment({ A: '1' }, head, 'windows')).toEqual({ A: '1', SOURCE_DATE_EPOCH: '1767225600' });
  });

  it("keeps the user's CIBW_INHERIT rules and replaces only a moot environment-pass-linux rule", () => {
    const env = cibuildwheelEnvironment({ CIBW_INHERIT: 'test-command: prepend; environment-pass-linux: none' }, head, 'linux');
    expect(env['CIBW_INHERIT']).toBe('test-command: prepend; environment-pass-linux: append');
  });

  it("a user's own CIBW_ENVIRONMENT_PASS_LINUX keeps its meaning and gets SOURCE_DATE_EPOCH appended (once)", () => {
    const env = cibuildwheelEnvironment({ CIBW_ENVIRONMENT_PASS_LINUX: 'FOO BAR', CIBW_INHERIT: 'environment-pass-linux: prepend' }, head, 'linux');
    expect(env['CIBW_ENVIRONMENT_PASS_LINUX']).toBe('FOO BAR SOURCE_DATE_EPOCH');
    expect(env['CIBW_INHERIT']).toBe('environment-pass-linux: prepend');
    expect(cibuildwheelEnvironment({ CIBW_ENVIRONMENT_PASS_LINUX: 'SOURCE_DATE_EPOCH FOO' }, head, 'linux')['CIBW_ENVIRONMENT_PASS_LINUX']).toBe('SOURCE_DATE_EPOCH FOO');
  });

  it('no SOURCE_DATE_EPOCH at all: the environment is left as it is', () => {
    const env = { A: '1' };
    expect(cibuildwheelEnvironment(env, null, 'linux')).toBe(env);
  });
});

describe('cibuildwheelSetEnvironment / cibuildwheelTestEnvironment (what cibuildwheel 4.3.3 sets)', () => {
  const cfg = { environment: { A: '1', CIBUILDWHEEL_BUILD_IDENTIFIER: 'mine' }, 'test-environment': 'T="x y" A=2' };
  it('sets CIBUILDWHEEL=1, the pip variables and the identifier; the environment option applies but cannot change the identifier', () => {
    const e = cibuildwheelSetEnvironment(cfg, 'linux', 'cp313-manylinux_x86_64', { PATH: '/bin', CIBUILDWHEEL: '0' });
    expect(e).toEqual({ PATH: '/bin', CIBUILDWHEEL: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_ROOT_USER_ACTION: 'ignore', A: '1', CIBUILDWHEEL_BUILD_IDENTIFIER: 'cp313-manylinux_x86_64' });
  });
  it('windows: no PIP_ROOT_USER_ACTION (cibuildwheel sets it in the Linux container only)', () => {
    expect(cibuildwheelSetEnvironment({}, 'windows', 'cp313-win_amd64', {})).toEqual({ CIBUILDWHEEL: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1', CIBUILDWHEEL_BUILD_IDENTIFIER: 'cp313-win_amd64' });
  });
  it('tests get the build environment with test-environment on top (string form parsed, CIBW_TEST_ENVIRONMENT wins)', () => {
    const e = cibuildwheelTestEnvironment(cfg, 'linux', 'cp313-manylinux_x86_64', {});
    expect(e).toMatchObject({ CIBUILDWHEEL: '1', A: '2', T: 'x y', CIBUILDWHEEL_BUILD_IDENTIFIER: 'cp313-manylinux_x86_64' });
    expect(cibuildwheelTestEnvironment(cfg, 'linux', 'cp313-manylinux_x86_64', { CIBW_TEST_ENVIRONMENT: 'T=z' })).toMatchObject({ A: '1', T: 'z' });
  });
});
