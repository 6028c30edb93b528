import { spawn, ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { latestIndexVersion, pickLatest } from './registry';

describe('pickLatest', () => {
  it('takes the highest PEP 440 release, skipping fully yanked ones', () => {
    const doc = { info: { version: '1.1.0' }, releases: { '1.1.0': [{}], '1.2.0rc1': [{}], '1.10.0': [{ yanked: true }], '1.2.0': [] } };
    expect(pickLatest(doc)).toBe('1.2.0');
    expect(pickLatest({ info: { version: '0.3' }, releases: {} })).toBe('0.3');
  });
});

describe('latestIndexVersion over real HTTP', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/pypi/quiverdb/json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ info: { version: '1.3.0' }, releases: { '1.3.0': [{}], '1.4.0rc1': [{}] } }));
      } else if (req.url === '/pypi/broken/json') {
        res.writeHead(500);
        res.end('oops');
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pypi`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('reads the versions, 404 is "not published", other statuses are one-line errors', async () => {
    expect(await latestIndexVersion(base, 'quiverdb')).toEqual({ version: '1.4.0rc1', url: `${base}/quiverdb/json` });
    expect((await latestIndexVersion(base, 'absent')).version).toBeNull();
    await expect(latestIndexVersion(base, 'broken')).rejects.toThrow(/HTTP 500; check release\.version\.currentVersionResolverMetadata\.registry/);
    await expect(latestIndexVersion('http://127.0.0.1:1', 'x', 2000)).rejects.toThrow(/currentVersionResolverMetadata\.registry/);
  });
});

/** Against a real pypiserver when QUIVER_TEST_PYPISERVER names its `pypi-server` executable. */
const PYPISERVER = process.env['QUIVER_TEST_PYPISERVER'];
(PYPISERVER ? describe : describe.skip)('latestIndexVersion against pypiserver', () => {
  let child: ChildProcess;
  let dir: string;
  const port = 20000 + (process.pid % 10000);
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quiver-pypiserver-'));
    for (const v of ['1.1.0', '1.2.0rc1']) {
      mkdirSync(join(dir, `quiverdb-${v}`));
      execFileSync('tar', ['czf', `quiverdb-${v}.tar.gz`, `quiverdb-${v}`], { cwd: dir });
      rmSync(join(dir, `quiverdb-${v}`), { recursive: true });
    }
    child = spawn(PYPISERVER!, ['run', '-p', String(port), '-i', '127.0.0.1', '-a', '.', '-P', '.', dir], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      try {
        await fetch(`http://127.0.0.1:${port}/`);
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  });
  afterAll(() => {
    child?.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  it('reads the highest version from pypiserver\'s /<project>/json', async () => {
    expect((await latestIndexVersion(`http://127.0.0.1:${port}`, 'quiverdb')).version).toBe('1.2.0rc1');
    expect((await latestIndexVersion(`http://127.0.0.1:${port}`, 'nothere')).version).toBeNull();
  });
});
