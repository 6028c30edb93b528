/**
 * rehearse-release's throwaway index: the REAL pinned pypiserver (toolchain/index-requirements.txt)
 * started on 127.0.0.1, readable without credentials, refusing an upload without the generated
 * password, and gone (process and port) after stop.
 */
import { join } from 'node:path';
import { startThrowawayIndex } from '../../src/runners/package-index';
import { ensureWorkspaceToolchain } from '../helpers/toolchain';
import { WORKSPACE } from '../helpers/workspace';

jest.setTimeout(300_000);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('starts on 127.0.0.1 with open reads and password-protected uploads, and stop leaves nothing running', async () => {
  const toolchain = await ensureWorkspaceToolchain();
  const quiet = { out: () => undefined, err: () => undefined };
  const index = await startThrowawayIndex(WORKSPACE, toolchain.host, quiet);
  try {
    expect(index.url).toBe(`http://127.0.0.1:${index.port}/`);
    expect(index.password.length).toBeGreaterThanOrEqual(24);
    expect((await fetch(index.simpleUrl)).status).toBe(200);
    // An upload request (pypiserver answers before reading a body, so none is sent).
    const upload = (auth?: string) => fetch(index.url, { method: 'POST', headers: auth ? { authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {} });
    expect([401, 403]).toContain((await upload()).status);
    expect([401, 403]).toContain((await upload(`${index.username}:wrong`)).status);
    // The right password gets past authentication (the empty request is then refused as a bad upload, not as unauthorized).
    expect([401, 403]).not.toContain((await upload(`${index.username}:${index.password}`)).status);
    expect(index.packagesDir.startsWith(join(WORKSPACE, '.nx-wheels'))).toBe(true);
  } finally {
    await index.stop();
  }
  expect(alive(index.pid)).toBe(false);
  await expect(fetch(index.simpleUrl, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  await index.stop(); // idempotent
});
