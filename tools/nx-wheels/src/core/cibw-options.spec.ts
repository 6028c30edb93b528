import { buildEnvironment, resolveOption, substitutePlaceholders, testCommand, testRequires, testSkipped } from './cibw-options';

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
