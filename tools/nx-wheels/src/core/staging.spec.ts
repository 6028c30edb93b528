import { join } from 'node:path';
import { formatBytes, selectStagedFiles, stagingDir, stagingRoots } from './staging';

describe('stagingDir', () => {
  it('is deterministic per project and output directory, under <stateDir>/staging', () => {
    const a = stagingDir('/ws/.nx-wheels', 'python', 'bindings/python/wheelhouse');
    expect(a).toBe(stagingDir('/ws/.nx-wheels', 'python', 'bindings/python/wheelhouse'));
    expect(a.startsWith(join('/ws/.nx-wheels', 'staging', 'python-'))).toBe(true);
    expect(a).not.toBe(stagingDir('/ws/.nx-wheels', 'python', 'dist/bindings/python/wheelhouse'));
    expect(a).not.toBe(stagingDir('/ws/.nx-wheels', 'other', 'bindings/python/wheelhouse'));
  });
  it('keeps odd project names inside the staging directory', () => {
    expect(stagingDir('/s', '@scope/../x', 'o')).toMatch(/^\/s\/staging\/_scope_\.\._x-[0-9a-f]{8}$/);
  });
});

describe('stagingRoots', () => {
  it('the project, its dependencies and outside test paths, nested ones folded, sorted', () => {
    expect(stagingRoots('bindings/python', ['libs/quiver'], ['bindings/python/tests', 'scripts/smoke.py'])).toEqual(['bindings/python', 'libs/quiver', 'scripts/smoke.py']);
    expect(stagingRoots('b/p', ['b/p/sub', 'libs/q/'])).toEqual(['b/p', 'libs/q']);
  });
  it('a project at the workspace root stages the whole workspace', () => {
    expect(stagingRoots('.', ['libs/q'])).toEqual(['.']);
  });
});

describe('selectStagedFiles', () => {
  it('drops node_modules, state and wheel dirs and tracked venvs, anywhere; keeps the rest sorted', () => {
    const tracked = [
      'bindings/python/src/quiverdb/__init__.py',
      'bindings/python/node_modules/x/index.js',
      'node_modules/y/package.json',
      'bindings/python/wheelhouse/old.whl',
      'bindings/python/src/quiverdb/__pycache__/x.pyc',
      'bindings/python/env/pyvenv.cfg',
      'bindings/python/env/lib/site.py',
      'libs/quiver/CMakeLists.txt',
      '.nx-wheels/toolchain/bin/python',
      'libs/quiver/node_modules.txt',
    ];
    expect(selectStagedFiles(tracked)).toEqual(['bindings/python/src/quiverdb/__init__.py', 'libs/quiver/CMakeLists.txt', 'libs/quiver/node_modules.txt']);
  });
});

describe('formatBytes', () => {
  it('decimal units', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1500)).toBe('1.5 kB');
    expect(formatBytes(176_000_000)).toBe('176.0 MB');
  });
});
