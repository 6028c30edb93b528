import { decideBuildKind, isWheelProject } from './build-kind';
import { readPyProjectText } from './pyproject';

const bs = (backend: string | null, extra = '') => readPyProjectText(`[build-system]\nrequires = ["x"]\n${backend ? `build-backend = "${backend}"\n` : ''}[project]\nname = "p"\nversion = "1"\n${extra}`, 'p/pyproject.toml');

describe('decideBuildKind', () => {
  it.each([
    ['scikit_build_core.build', '', {}, 'compiled'],
    ['mesonpy', '', {}, 'compiled'],
    ['maturin', '', {}, 'compiled'],
    ['hatchling.build', '', {}, 'pure'],
    ['hatchling.build', '[tool.cibuildwheel]\n', {}, 'pure'],
    ['hatchling.build', '[tool.hatch.build.targets.wheel.hooks.mypyc]\n', {}, 'compiled'],
    ['hatchling.build', '[tool.hatch.build.hooks.custom]\n', { hatchCustomHook: 'build_data["pure_python"] = False' }, 'compiled'],
    ['hatchling.build', '[tool.hatch.build.hooks.vcs]\n', {}, 'pure'],
    ['flit_core.buildapi', '', {}, 'pure'],
    ['poetry.core.masonry.api', '', {}, 'pure'],
    ['poetry.core.masonry.api', '[tool.poetry.build]\nscript = "build.py"\n', {}, 'compiled'],
    ['pdm.backend', '[tool.pdm.build]\nrun-setuptools = true\n', {}, 'compiled'],
    ['setuptools.build_meta', '', { setupPy: 'from setuptools import setup\nsetup()\n' }, 'pure'],
    ['setuptools.build_meta', '', { setupPy: 'setup(ext_modules=[Extension("a", ["a.c"])])' }, 'compiled'],
    ['setuptools.build_meta', '[tool.setuptools]\next-modules = [{name = "a", sources = ["a.c"]}]\n', {}, 'compiled'],
    ['setuptools.build_meta', '[tool.cibuildwheel]\n', {}, 'compiled'],
    [null, '', {}, 'pure'],
    ['custom_backend', '', {}, 'pure'],
    ['custom_backend', '[tool.cibuildwheel]\n', {}, 'compiled'],
    ['scikit_build_core.build', '[tool.nx-wheels]\npure = true\n', {}, 'pure'],
  ])('%s %j %j -> %s', (backend, extra, files, kind) => {
    expect(decideBuildKind(bs(backend, extra), files).kind).toBe(kind);
  });
  it('the plugin option beats [tool.nx-wheels] pure, and says so', () => {
    expect(decideBuildKind(bs('hatchling.build', '[tool.nx-wheels]\npure = true\n'), {}, false)).toEqual({ kind: 'compiled', reason: 'plugin option pure = false' });
  });
});

describe('isWheelProject', () => {
  it('[build-system] or [tool.cibuildwheel], unless [tool.nx-wheels] skip = true', () => {
    expect(isWheelProject(bs('hatchling.build'))).toBe(true);
    expect(isWheelProject(bs('hatchling.build', '[tool.nx-wheels]\nskip = true\n'))).toBe(false);
    expect(isWheelProject(readPyProjectText('[project]\nname = "p"\n[tool.black]\n', 'p.toml', { requireCibuildwheel: false }))).toBe(false);
  });
});
