import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { detectContainerEngine } from './container';

describe('detectContainerEngine', () => {
  let bin: string;
  const withPath = (env: Record<string, string | undefined>) => ({ ...env, PATH: `${bin}${delimiter}${process.env['PATH']}` });
  const saved = process.env['PATH'];
  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), 'quiver-engines-'));
  });
  afterEach(() => {
    process.env['PATH'] = saved;
  });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  function standIn(name: string, exitCode: number) {
    // A stand-in engine CLI: answers `info` with the given exit code (a running or a dead engine).
    writeFileSync(join(bin, name), `#!/bin/sh\n[ "$1" = info ] && exit ${exitCode}\nexit 2\n`);
    chmodSync(join(bin, name), 0o755);
  }

  it('a docker whose `info` succeeds is a running engine', async () => {
    standIn('docker', 0);
    process.env['PATH'] = withPath({}).PATH;
    expect(await detectContainerEngine({})).toBe('docker');
  });

  it('no engine answers: null; CIBW_CONTAINER_ENGINE=podman looks at podman only', async () => {
    standIn('docker', 1);
    standIn('podman', 0);
    process.env['PATH'] = withPath({}).PATH;
    expect(await detectContainerEngine({})).toBe('podman');
    standIn('podman', 1);
    expect(await detectContainerEngine({})).toBeNull();
    standIn('docker', 0);
    expect(await detectContainerEngine({ CIBW_CONTAINER_ENGINE: 'podman' })).toBeNull();
  });
});
