import { QuiverError } from './errors';
import { DEFAULT_RELEASE_PLATFORMS, readPyProjectText, requireStaticVersion } from './pyproject';

const good = `
[project]
name = "Quiver.DB"
version = "1.2.0-RC1"

[tool.cibuildwheel]
build = ["cp313-manylinux_x86_64"]

[tool.nx-wheels]
depends-on = ["quiver"]
`;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(QuiverError);
    expect((e as Error).message).not.toContain('\n');
    return (e as QuiverError).code;
  }
  throw new Error('did not throw');
}

describe('readPyProjectText', () => {
  it('reads name, normalized name, PEP 440 normalized version, cibuildwheel and nx-wheels tables', () => {
    const p = readPyProjectText(good, 'x/pyproject.toml');
    expect(p.name).toBe('Quiver.DB');
    expect(p.normalizedName).toBe('quiver-db');
    expect(p.version).toBe('1.2.0-RC1');
    expect(p.normalizedVersion).toBe('1.2.0rc1');
    expect(p.cibuildwheel).toEqual({ build: ['cp313-manylinux_x86_64'] });
    expect(p.nxWheels.dependsOn).toEqual(['quiver']);
    expect(requireStaticVersion(p)).toBe('1.2.0rc1');
  });

  it('reports a TOML syntax error as file:line:col on one line', () => {
    let msg = '';
    try {
      readPyProjectText('[project]\nname = "a"\nversion = \n', 'bindings/python/pyproject.toml');
    } catch (e) {
      msg = (e as Error).message;
      expect((e as QuiverError).code).toBe('PYPROJECT_SYNTAX');
    }
    expect(msg).toMatch(/^bindings\/python\/pyproject\.toml:3:\d+: TOML syntax error/);
  });

  it.each([
    ['[project]\nversion = "1"\n[tool.cibuildwheel]\n', 'PYPROJECT_NO_NAME'],
    ['[project]\nname = "-bad-"\n[tool.cibuildwheel]\n', 'PYPROJECT_BAD_NAME'],
    ['[project]\nname = "a"\nversion = 1\n[tool.cibuildwheel]\n', 'PYPROJECT_BAD_VERSION'],
    ['[project]\nname = "a"\nversion = "1"\n', 'PYPROJECT_NO_CIBUILDWHEEL'],
    ['[project]\nname = "a"\n[tool]\ncibuildwheel = 3\n', 'PYPROJECT_BAD_FIELD'],
    ['[project]\nname = "a"\n[tool.cibuildwheel]\n[tool.nx-wheels]\ndepends-on = "quiver"\n', 'PYPROJECT_BAD_FIELD'],
    ['[project]\nname = "a"\n[tool.cibuildwheel]\n[tool.nx-wheels]\nmanylinux = 228\n', 'PYPROJECT_BAD_FIELD'],
  ])('rejects %j with %s', (text, code) => {
    expect(codeOf(() => readPyProjectText(text, 'p.toml'))).toBe(code);
  });

  it('reads [tool.nx-wheels] engine, and names the file, key and fix for a bad one', () => {
    const base = '[project]\nname = "a"\n[tool.cibuildwheel]\n[tool.nx-wheels]\n';
    expect(readPyProjectText(base, 'p.toml').nxWheels.engine).toBeUndefined();
    expect(readPyProjectText(base + 'engine = "native"\n', 'p.toml').nxWheels.engine).toBe('native');
    expect(() => readPyProjectText(base + 'engine = "docker"\n', 'b/pyproject.toml')).toThrow('b/pyproject.toml: [tool.nx-wheels].engine must be "auto", "cibuildwheel" or "native" (got "docker"), e.g. engine = "native".');
  });

  it('reads [tool.nx-wheels] release-platforms (absent: undefined, the default is DEFAULT_RELEASE_PLATFORMS)', () => {
    const base = '[project]\nname = "a"\n[tool.cibuildwheel]\n[tool.nx-wheels]\n';
    expect(readPyProjectText(base, 'p.toml').nxWheels.releasePlatforms).toBeUndefined();
    expect(DEFAULT_RELEASE_PLATFORMS).toEqual(['linux', 'windows']);
    expect(readPyProjectText(base + 'release-platforms = ["windows", "linux", "windows"]\n', 'p.toml').nxWheels.releasePlatforms).toEqual(['windows', 'linux']);
    expect(readPyProjectText(base + 'release-platforms = ["linux"]\n', 'p.toml').nxWheels.releasePlatforms).toEqual(['linux']);
  });

  it.each([
    ['"linux"', /release-platforms must be a non-empty list of "linux" \/ "windows"; write e\.g\. release-platforms = \["linux", "windows"\]/],
    ['[]', /release-platforms must be a non-empty list/],
    ['["linux", "macos"]', /release-platforms: "macos" is not "linux" or "windows"/],
    ['["Linux"]', /release-platforms: "Linux" is not/],
    ['[1]', /release-platforms: 1 is not/],
  ])('rejects release-platforms = %s with one line naming the file, the field and the fix', (value, message) => {
    const text = `[project]\nname = "a"\n[tool.cibuildwheel]\n[tool.nx-wheels]\nrelease-platforms = ${value}\n`;
    expect(codeOf(() => readPyProjectText(text, 'bindings/python/pyproject.toml'))).toBe('PYPROJECT_BAD_FIELD');
    expect(() => readPyProjectText(text, 'bindings/python/pyproject.toml')).toThrow(/^bindings\/python\/pyproject\.toml: \[tool\.nx-wheels\]\.release-platforms/);
    expect(() => readPyProjectText(text, 'bindings/python/pyproject.toml')).toThrow(message);
  });

  it('explains dynamic, missing and non-PEP 440 versions', () => {
    const dyn = readPyProjectText('[project]\nname="a"\ndynamic=["version"]\n[tool.cibuildwheel]\n', 'p.toml');
    expect(codeOf(() => requireStaticVersion(dyn))).toBe('PYPROJECT_DYNAMIC_VERSION');
    const none = readPyProjectText('[project]\nname="a"\n[tool.cibuildwheel]\n', 'p.toml');
    expect(codeOf(() => requireStaticVersion(none))).toBe('PYPROJECT_NO_VERSION');
    const bad = readPyProjectText('[project]\nname="a"\nversion="one"\n[tool.cibuildwheel]\n', 'p.toml');
    expect(codeOf(() => requireStaticVersion(bad))).toBe('PYPROJECT_BAD_VERSION');
  });
});
