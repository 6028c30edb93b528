import { QuiverError } from './errors';
import { readPyProjectText, requireStaticVersion } from './pyproject';

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
  ])('rejects %j with %s', (text, code) => {
    expect(codeOf(() => readPyProjectText(text, 'p.toml'))).toBe(code);
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
