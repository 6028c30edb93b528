import { execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { QuiverError } from '../core/errors';
import { cmakeReferencedPaths } from '../core/cmake';
import { testPaths } from '../core/test-paths';
import { HOST_FINGERPRINT_SCRIPT, hostFingerprintCommand, inferNamedInputs, pluginInputs, WHEEL_PIPELINE_INPUT } from './inputs';
import { DEFAULT_TARGET_NAMES, resolvePluginOptions } from './options';
import { inferTargets } from './targets';

const cibw = { build: ['cp313-manylinux_x86_64'], 'test-command': 'pytest {project}/bindings/python/tests -p no:cacheprovider' };

describe('testPaths', () => {
  it('reads {project}/… and {package}/… paths from test-command (string, list, platform tables)', () => {
    expect(testPaths('bindings/python', cibw)).toEqual(['bindings/python/tests']);
    expect(
      testPaths('pkg', {
        'test-command': ['pytest {package}/t1', 'python {project}/scripts/smoke.py'],
        windows: { 'test-command': 'pytest {package}\\t2' },
      }),
    ).toEqual(['pkg/t1', 'pkg/t2', 'scripts/smoke.py']);
  });
  it('falls back to <root>/tests', () => {
    expect(testPaths('pkg', { 'test-command': 'python -c "import x"' })).toEqual(['pkg/tests']);
  });
});

describe('inferTargets', () => {
  const targets = inferTargets({
    projectRoot: 'bindings/python',
    cibuildwheel: cibw,
    plugin: { kind: 'workspace', root: 'tools/nx-wheels' },
    dependencyInput: 'production',
  });

  it('infers build-wheels, build-wheels-untested, test and python-toolchain', () => {
    expect(Object.keys(targets)).toEqual(expect.arrayContaining(['build-wheels', 'build-wheels-untested', 'python-toolchain', 'test']));
    expect(targets['build-wheels'].executor).toBe('@quiver/nx-wheels:build-wheels');
    expect(targets['build-wheels'].dependsOn).toContain('python-toolchain');
    expect(targets['test'].dependsOn).toContain('build-wheels-untested');
  });

  it('build-wheels runs the tests, so tests are inputs; build-wheels-untested excludes them; test includes them', () => {
    const g = '{projectRoot}/tests/**/*';
    expect(targets['build-wheels'].inputs).toContain(g);
    expect(targets['build-wheels-untested'].inputs).toContain(`!${g}`);
    expect(targets['test'].inputs).toContain(g);
  });

  it('cached targets depend on the plugin source, dependencies and the CIBW_*/host fingerprint', () => {
    for (const t of ['build-wheels', 'build-wheels-untested', 'test']) {
      expect(targets[t].cache).toBe(true);
      expect(targets[t].inputs).toContain('{workspaceRoot}/tools/nx-wheels/src/**/*.ts');
      expect(targets[t].inputs).toContainEqual({ runtime: 'node "tools/nx-wheels/toolchain/host-fingerprint.js"' });
    }
    expect(targets['build-wheels'].inputs).toContain('^production');
    expect(targets['build-wheels'].outputs).toEqual(['{projectRoot}/wheelhouse']);
  });

  it('build-wheels, build-wheels-untested and validate-wheels use the wheelPipeline named input; test and publish do not', () => {
    for (const t of ['build-wheels', 'build-wheels-untested', 'validate-wheels']) expect(targets[t].inputs).toContain(WHEEL_PIPELINE_INPUT);
    for (const t of ['test', 'publish', 'python-toolchain']) expect(targets[t].inputs ?? []).not.toContain(WHEEL_PIPELINE_INPUT);
  });

  it('wheelPipeline: workflows, the given lockfiles, package.json, toolchain pins (an installed plugin: its package)', () => {
    expect(inferNamedInputs({ plugin: { kind: 'workspace', root: 'tools/nx-wheels' }, lockfiles: ['pnpm-lock.yaml'] })).toEqual({
      wheelPipeline: [
        '{workspaceRoot}/.github/workflows/**/*',
        '{workspaceRoot}/pnpm-lock.yaml',
        '{workspaceRoot}/package.json',
        '{workspaceRoot}/tools/nx-wheels/toolchain/requirements.txt',
      ],
    });
    expect(
      inferNamedInputs({ plugin: { kind: 'package', name: '@quiver/nx-wheels', root: 'node_modules/@quiver/nx-wheels' } }).wheelPipeline,
    ).toEqual(['{workspaceRoot}/.github/workflows/**/*', '{workspaceRoot}/package.json', { externalDependencies: ['@quiver/nx-wheels'] }]);
  });

  it('an installed plugin is an external dependency input', () => {
    expect(pluginInputs({ kind: 'package', name: '@quiver/nx-wheels', root: 'node_modules/@quiver/nx-wheels' })).toEqual([
      { externalDependencies: ['@quiver/nx-wheels'] },
    ]);
  });
});

describe('cmakeReferencedPaths', () => {
  it('finds relative paths with or without CMAKE_CURRENT_SOURCE_DIR, ignoring comments', () => {
    const text = [
      '# add_subdirectory(../../old/lib)',
      'add_subdirectory("${CMAKE_CURRENT_SOURCE_DIR}/../../libs/quiver" "${CMAKE_CURRENT_BINARY_DIR}/quiver")',
      'include(../../cmake/common.cmake)',
    ].join('\n');
    expect(cmakeReferencedPaths(text, 'bindings/python')).toEqual(['cmake/common.cmake', 'libs/quiver']);
  });
});

describe('hostFingerprintCommand (the one runtime input)', () => {
  // Runs the real command through a shell from the workspace root, as Nx does, with PATHs made of real interpreters.
  const nodeDir = path.dirname(process.execPath);
  const workspaceRoot = path.resolve(__dirname, '../../../..');
  const command = hostFingerprintCommand({ kind: 'workspace', root: 'tools/nx-wheels' });
  const run = (dirs: string[], env: Record<string, string> = {}) =>
    execSync(command, {
      cwd: workspaceRoot,
      env: { PATH: [...dirs, nodeDir].join(path.delimiter), HOME: os.homedir(), ...env },
      encoding: 'utf8',
    });
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-fp-'));
    const real = execSync('command -v python3', { encoding: 'utf8' }).trim();
    for (const d of ['a', 'b', 'shims']) fs.mkdirSync(path.join(tmp, d));
    fs.symlinkSync(fs.realpathSync(real), path.join(tmp, 'a', 'python3'));
    fs.symlinkSync(process.execPath, path.join(tmp, 'b', 'python3')); // another binary standing as "the host python"
    fs.writeFileSync(path.join(tmp, 'shims', 'python3'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('is one node process (no python, no shim is run)', () => {
    const targets = inferTargets({
      projectRoot: 'bindings/python',
      cibuildwheel: cibw,
      plugin: { kind: 'workspace', root: 'tools/nx-wheels' },
      dependencyInput: 'production',
    });
    expect(command).toBe('node "tools/nx-wheels/toolchain/host-fingerprint.js"');
    expect(path.join(workspaceRoot, 'tools/nx-wheels/toolchain/host-fingerprint.js')).toBe(HOST_FINGERPRINT_SCRIPT);
    expect(fs.readFileSync(HOST_FINGERPRINT_SCRIPT, 'utf8')).not.toMatch(/child_process|execSync|spawn/);
    for (const t of ['build-wheels', 'build-wheels-untested', 'test', 'python-toolchain', 'validate-wheels']) {
      const runtimes = (targets[t].inputs ?? []).filter((x) => typeof x === 'object' && 'runtime' in x);
      expect([t, runtimes]).toEqual([t, [{ runtime: command }]]);
    }
  });

  it("names the installed package's copy of the script, workspace-relative, for a plugin from node_modules", () => {
    const plugin = { kind: 'package', name: '@quiver/nx-wheels', root: 'node_modules/@quiver/nx-wheels' } as const;
    expect(hostFingerprintCommand(plugin)).toBe('node "node_modules/@quiver/nx-wheels/toolchain/host-fingerprint.js"');
    const runtimes = (
      inferTargets({ projectRoot: 'p', cibuildwheel: cibw, plugin, dependencyInput: 'default' })['build-wheels'].inputs ?? []
    ).filter((x) => typeof x === 'object' && 'runtime' in x);
    expect(runtimes).toEqual([{ runtime: hostFingerprintCommand(plugin) }]);
  });

  it('changes when the host interpreter changes, when the pyenv version a shim would pick changes, and with CIBW_*', () => {
    const a = run([path.join(tmp, 'a')]);
    expect(a).toMatch(new RegExp(`^${process.platform} ${process.arch} `));
    expect(run([path.join(tmp, 'a')])).toBe(a);
    expect(run([path.join(tmp, 'b')])).not.toBe(a);
    const shim = (v: string) => run([path.join(tmp, 'shims')], { PYENV_VERSION: v });
    expect(shim('3.12.0')).toContain('pyenv 3.12.0');
    expect(shim('3.12.0')).not.toBe(shim('3.13.0'));
    const withCibw = run([path.join(tmp, 'a')], { CIBW_BUILD: 'cp313-*' });
    expect(withCibw).toContain('\nCIBW_BUILD=cp313-*\n');
    expect(withCibw.replace('CIBW_BUILD=cp313-*\n', '')).toBe(a);
  });

  it('changes when a container engine appears on PATH and with the engine configuration (CONTAINERS_CONF bytes, DOCKER_HOST)', () => {
    const engines = path.join(tmp, 'engines');
    fs.mkdirSync(engines, { recursive: true });
    const before = run([path.join(tmp, 'a'), engines]);
    fs.writeFileSync(path.join(engines, 'podman'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const withPodman = run([engines, path.join(tmp, 'a')]);
    expect(withPodman).toContain(`podman ${path.join(engines, 'podman')}\n`);
    expect(withPodman).not.toBe(before);
    const conf = path.join(tmp, 'containers.conf');
    fs.writeFileSync(conf, '[engine]\nruntime = "runc"\n');
    const c1 = run([path.join(tmp, 'a')], { CONTAINERS_CONF: conf });
    expect(c1).toContain(`CONTAINERS_CONF=${conf} `);
    fs.writeFileSync(conf, '[engine]\nruntime = "crun"\n  ');
    expect(run([path.join(tmp, 'a')], { CONTAINERS_CONF: conf })).not.toBe(c1);
    expect(run([path.join(tmp, 'a')], { DOCKER_HOST: 'tcp://127.0.0.1:2375' })).toContain('DOCKER_HOST=tcp://127.0.0.1:2375');
  });
});

describe('plugin options (nx.json)', () => {
  const base = {
    projectRoot: 'bindings/python',
    cibuildwheel: cibw,
    plugin: { kind: 'workspace', root: 'tools/nx-wheels' } as const,
    dependencyInput: 'production',
  };

  it('no options: the default target names and wheelhouse, exactly as without options', () => {
    expect(resolvePluginOptions(undefined)).toEqual({ targetNames: DEFAULT_TARGET_NAMES, wheelDir: 'wheelhouse' });
    expect(inferTargets({ ...base, options: resolvePluginOptions({}) })).toEqual(inferTargets(base));
    expect(Object.keys(inferTargets(base)).sort()).toEqual(Object.values(DEFAULT_TARGET_NAMES).sort());
  });

  it('renamed targets are inferred under their names, and dependsOn follows the renames', () => {
    const t = inferTargets({
      ...base,
      options: resolvePluginOptions({
        testTargetName: 'wheel-test',
        pythonToolchainTargetName: 'py-tools',
        buildWheelsUntestedTargetName: 'wheels-raw',
        buildWheelsTargetName: 'wheels',
      }),
    });
    expect(Object.keys(t).sort()).toEqual([
      'nx-release-publish',
      'publish',
      'py-tools',
      'rehearse-release',
      'validate-release',
      'validate-wheels',
      'wheel-test',
      'wheels',
      'wheels-raw',
    ]);
    expect(t['wheels'].dependsOn).toEqual(['py-tools']);
    expect(t['wheels-raw'].dependsOn).toEqual(['py-tools']);
    expect(t['wheel-test'].dependsOn).toEqual(['wheels-raw', 'py-tools']);
    expect(t['validate-wheels'].dependsOn).toEqual(['wheels', 'py-tools']);
    expect(t['wheel-test'].executor).toBe('@quiver/nx-wheels:test-wheels');
  });

  it('wheelDir moves every output, exclusion and wheel-directory option', () => {
    const t = inferTargets({ ...base, options: resolvePluginOptions({ wheelDir: 'out/wheels/' }) });
    expect(t['build-wheels'].outputs).toEqual(['{projectRoot}/out/wheels']);
    expect(t['build-wheels'].options).toEqual({ outputDir: '{projectRoot}/out/wheels' });
    expect(t['build-wheels'].inputs).toContain('!{projectRoot}/out/wheels/**/*');
    expect(t['build-wheels'].inputs).not.toContain('!{projectRoot}/wheelhouse/**/*');
    expect(t['build-wheels-untested'].options).toEqual({ test: false, outputDir: 'dist/{projectRoot}/out/wheels' });
    expect(t['test'].options).toEqual({ wheelDir: 'dist/{projectRoot}/out/wheels' });
    expect(t['validate-wheels'].options).toEqual({ wheelDir: '{projectRoot}/out/wheels' });
    expect(t['validate-wheels'].outputs).toEqual(['{projectRoot}/out/wheels/validation-report.json', '{projectRoot}/out/wheels/SHA256SUMS']);
    expect(t['publish'].options).toEqual({ wheelDir: '{projectRoot}/out/wheels' });
    expect(t['nx-release-publish'].options).toEqual({ wheelDir: '{projectRoot}/out/wheels' });
  });

  it.each([
    [
      { buildTargetName: 'b' },
      'nx.json plugins["@quiver/nx-wheels"].options.buildTargetName is not an option of @quiver/nx-wheels; remove it',
    ],
    [{ testTargetName: 'py:test' }, 'options.testTargetName is "py:test"; give a target name'],
    [{ testTargetName: 3 }, 'options.testTargetName is 3;'],
    [{ testTargetName: '' }, 'options.testTargetName is "";'],
    [{ publishTargetName: 'test' }, 'options.publishTargetName: "test" is also the name of the test target'],
    [{ wheelDir: '../wheels' }, 'options.wheelDir is "../wheels"; give a directory relative to each project\'s root'],
    [{ wheelDir: '/tmp/w' }, 'options.wheelDir is "/tmp/w";'],
    [{ wheelDir: 'w/*' }, 'options.wheelDir is "w/*";'],
    [{ wheelDir: '.' }, 'options.wheelDir is ".";'],
    [['x'], 'options must be an object'],
  ])('rejects %j with one line naming nx.json and the option', (raw, message) => {
    let err: unknown;
    try {
      resolvePluginOptions(raw);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QuiverError);
    expect((err as QuiverError).code).toBe('PLUGIN_OPTION_INVALID');
    expect((err as Error).message).toContain(message);
    expect((err as Error).message).toContain('nx.json');
    expect((err as Error).message).not.toContain('\n');
  });
});
