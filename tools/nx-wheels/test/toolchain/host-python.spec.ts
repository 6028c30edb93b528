/**
 * The host interpreter is answered from `.nx-wheels/cache/host-python.json` while the host facts
 * (the inferred targets' runtime fingerprint) and the interpreter's executable are unchanged, and
 * probed again otherwise. A counting `python3` wrapper on PATH (which execs the real interpreter)
 * shows when a probe ran.
 */
import { execSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pluginLocation } from '../../src/plugin/nodes';
import { hostFingerprintCommand } from '../../src/plugin/inputs';
import { cachedHostInterpreter, hostFingerprint } from '../../src/pipeline/host-python';

// The real interpreter binary behind python3 (on pyenv hosts python3 is a shim: exec'ing it from a
// wrapper named python3 in a `shims` directory would loop).
const REAL = realpathSync(execSync('python3 -c "import sys;print(sys.executable)"', { encoding: 'utf8' }).trim());

describe('cached host interpreter', () => {
  let dir: string;
  let count: string;
  const saved = { PATH: process.env['PATH'], PYENV_VERSION: process.env['PYENV_VERSION'], CIBW_BUILD: process.env['CIBW_BUILD'] };
  const probes = () => readFileSync(count, 'utf8').split('\n').filter(Boolean).length;
  const wrapper = (binDir: string, extra = '') => {
    mkdirSync(binDir, { recursive: true });
    const f = join(binDir, 'python3');
    writeFileSync(f, `#!/bin/sh\n# ${extra}\necho probe >> "${count}"\nexec "${REAL}" "$@"\n`);
    chmodSync(f, 0o755);
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'quiver-hostpy-'));
    count = join(dir, 'count');
    writeFileSync(count, '');
    wrapper(join(dir, 'bin'));
    process.env['PATH'] = `${join(dir, 'bin')}:${saved.PATH}`;
    delete process.env['PYENV_VERSION'];
    delete process.env['CIBW_BUILD'];
  });
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
    rmSync(dir, { recursive: true, force: true });
  });

  it('the facts computed in process are exactly what the runtime input command prints', () => {
    // FORCE_COLOR as Nx sets it for tasks: the facts must not depend on it (console.log colours numbers).
    // Run as Nx runs a runtime input: through a shell, from the workspace root.
    const workspaceRoot = resolve(__dirname, '../../../..');
    const printed = execSync(hostFingerprintCommand(pluginLocation(workspaceRoot)), { cwd: workspaceRoot, encoding: 'utf8', env: { ...process.env, CIBW_BUILD: 'cp313-*', FORCE_COLOR: '1' } }).trimEnd();
    process.env['CIBW_BUILD'] = 'cp313-*';
    expect(hostFingerprint()).toBe(printed);
    expect(printed).toContain(`python3 ${join(dir, 'bin', 'python3')}`);
  });

  it('probes once, then answers from the cache until the wrapper, CIBW_* or the option changes', async () => {
    const first = await cachedHostInterpreter(dir);
    expect(probes()).toBe(1);
    expect(realpathSync(first.executable)).toBe(REAL);
    expect(await cachedHostInterpreter(dir)).toEqual(first);
    expect(probes()).toBe(1);
    wrapper(join(dir, 'bin'), 'edited: another size'); // the python on PATH changed in place
    expect(await cachedHostInterpreter(dir)).toEqual(first);
    expect(probes()).toBe(2);
    process.env['CIBW_BUILD'] = 'cp313-*';
    await cachedHostInterpreter(dir);
    expect(probes()).toBe(3);
    await cachedHostInterpreter(dir, 'python3'); // an explicit option is always asked
    expect(probes()).toBe(4);
    await cachedHostInterpreter(dir);
    expect(probes()).toBe(4);
  });

  it('a pyenv shim selecting "system" is probed every time (its answer is the next python on PATH)', async () => {
    wrapper(join(dir, 'shims'));
    process.env['PATH'] = `${join(dir, 'shims')}:${saved.PATH}`;
    process.env['PYENV_VERSION'] = 'system';
    await cachedHostInterpreter(dir);
    await cachedHostInterpreter(dir);
    expect(probes()).toBe(2);
    process.env['PYENV_VERSION'] = '3.11.9';
    await cachedHostInterpreter(dir);
    await cachedHostInterpreter(dir);
    expect(probes()).toBe(3);
  });
});
