/**
 * Servers for the publish tests:
 *  - a REAL package index: pypiserver (pinned in ./requirements.txt, installed once into
 *    <workspace>/.nx-wheels/test-env), on 127.0.0.1 with a free port and htpasswd auth;
 *  - a fault-injecting HTTP proxy (a STAND-IN) in front of it, which records every request (with
 *    its arrival time) and can answer 5xx/429 (with Retry-After, or echoing the request's
 *    Authorization header in the body), drop the connection, stall without answering, or forward
 *    and then lose the answer, for chosen requests; otherwise it forwards to the real index. It is
 *    bounded: a stall ends after at most 30 s and the proxy closes itself after 15 minutes;
 *  - a STAND-IN for GitHub's OIDC token endpoint and PyPI's `/_/oidc/audience` and
 *    `/_/oidc/mint-token` (the real ones cannot be reached from here), with the documented bodies.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer, IncomingMessage, request, Server, ServerResponse } from 'node:http';
import { AddressInfo, createServer as createNetServer } from 'node:net';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostInterpreter } from '../../src/runners/python';
import { ensureVenv, readRequirements } from '../../src/runners/toolchain';
import { WORKSPACE } from '../helpers/workspace';

const quiet = { out: () => undefined, err: () => undefined };

/** A free TCP port on 127.0.0.1 (bind :0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createNetServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => res(p));
    });
  });
}

let envPromise: Promise<string> | null = null;
/** The test venv with pypiserver and passlib (installed once; a stamp makes later calls no-ops). */
export function testEnv(): Promise<string> {
  envPromise ??= (async () => {
    const py = await hostInterpreter(process.env['QUIVER_TEST_PYTHON']);
    const v = await ensureVenv(join(WORKSPACE, '.nx-wheels', 'test-env'), py, readRequirements(join(__dirname, 'requirements.txt')), { prefix: '[test-env] ', sink: quiet });
    return v.dir;
  })();
  return envPromise;
}

/** A running pypiserver. */
export interface PypiServer {
  url: string;
  port: number;
  packagesDir: string;
  username: string;
  password: string;
  pid: number;
  stop(): Promise<void>;
}

async function waitHttp(url: string, child: ChildProcess, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`pypiserver exited ${child.exitCode}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`pypiserver did not answer at ${url}`);
}

/**
 * Start pypiserver: `pypi-server run -p PORT -i 127.0.0.1 -P htpasswd -a update,download,list
 * --hash-algo sha256 --disable-fallback <packagesDir>`.
 * @param o.packagesDir reuse a directory (restart after a stop); default a new temporary one
 * @param o.publicRead authenticate uploads only (`-a update`): anyone may list and download, as on PyPI
 */
export async function startPypiServer(o: { password: string; packagesDir?: string; port?: number; publicRead?: boolean }): Promise<PypiServer> {
  const env = await testEnv();
  const root = mkdtempSync(join(tmpdir(), 'quiver-pypiserver-'));
  const packagesDir = o.packagesDir ?? join(root, 'packages');
  mkdirSync(packagesDir, { recursive: true });
  const htpasswd = join(root, 'htpasswd');
  execFileSync(join(env, 'bin', 'python'), ['-c', 'import sys\nfrom passlib.apache import HtpasswdFile\nh=HtpasswdFile(sys.argv[1], new=True)\nh.set_password("__token__", sys.stdin.read())\nh.save()', htpasswd], { input: o.password });
  const port = o.port ?? (await freePort());
  const child = spawn(join(env, 'bin', 'pypi-server'), ['run', '-p', String(port), '-i', '127.0.0.1', '-P', htpasswd, '-a', o.publicRead ? 'update' : 'update,download,list', '--hash-algo', 'sha256', '--disable-fallback', packagesDir], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  await waitHttp(url, child);
  return {
    url,
    port,
    packagesDir,
    username: '__token__',
    password: o.password,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res();
        child.once('exit', () => res());
        process.kill(child.pid!, 'SIGTERM');
      }),
  };
}

/** One request seen by the proxy. */
export interface SeenRequest {
  method: string;
  path: string;
  /** For uploads: the file name in the multipart body. */
  upload: string | null;
  /** Status returned to the client (0 when the connection was dropped). */
  status: number;
  /** Whether it reached the real index. */
  forwarded: boolean;
  /** When the request arrived (ms since the epoch, the proxy's clock). */
  at: number;
}

/**
 * What the proxy does with a request: forward it (null); answer with a fault (`echoAuth`: the
 * body repeats the request's Authorization header, as a careless index or proxy does); drop the
 * connection; `stall`: hold it unanswered (at most 30 s); `lose`: forward it, let the index store
 * the file, then drop the connection instead of answering.
 */
export type FaultAction = { status: number; headers?: Record<string, string>; body?: string; echoAuth?: boolean } | 'drop' | 'stall' | 'lose' | null;

/** The longest a stalled request is held, and the proxy's whole lifetime (ms): it never outlives a hung test run. */
const STALL_LIMIT_MS = 30_000;
const PROXY_LIFETIME_MS = 15 * 60_000;

/** A fault-injecting proxy (stand-in) in front of a real index. */
export interface FaultProxy {
  url: string;
  seen: SeenRequest[];
  /** Decide per request; `n` counts upload POSTs since `seen` was last emptied, from 1. Default: forward everything. */
  fault: (req: { method: string; path: string; upload: string | null; n: number }) => FaultAction;
  /** Called after an upload was forwarded and answered. */
  afterUpload: (file: string, status: number) => void | Promise<void>;
  /** Where to forward (changeable, e.g. after restarting the index on another port). */
  target: string;
  /** Uploads that reached the index and got 200, per file. */
  stored(): Record<string, number>;
  close(): Promise<void>;
}

/** Start the proxy in front of `target` (e.g. `http://127.0.0.1:1234/`). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const proxy: FaultProxy = {
    url: '',
    seen: [],
    fault: () => null,
    afterUpload: () => undefined,
    target,
    stored() {
      const out: Record<string, number> = {};
      for (const s of this.seen) if (s.upload && s.forwarded && s.status === 200) out[s.upload] = (out[s.upload] ?? 0) + 1;
      return out;
    },
    close: () => new Promise((r) => server.close(() => r()) && server.closeAllConnections()),
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const m = req.method === 'POST' ? /name="content"; filename="([^"]+)"/.exec(body.toString('latin1')) : null;
      const upload = m ? m[1] : null;
      const seen: SeenRequest = { method: req.method!, path: req.url!, upload, status: 0, forwarded: false, at };
      proxy.seen.push(seen);
      const action = proxy.fault({ method: req.method!, path: req.url!, upload, n: upload ? proxy.seen.filter((x) => x.upload).length : 0 });
      if (action === 'drop') {
        req.socket.destroy();
        return;
      }
      if (action === 'stall') {
        const t = setTimeout(() => req.socket.destroy(), STALL_LIMIT_MS);
        t.unref();
        req.socket.once('close', () => clearTimeout(t));
        return;
      }
      if (action && action !== 'lose') {
        seen.status = action.status;
        res.writeHead(action.status, { 'Content-Type': 'text/plain', ...(action.headers ?? {}) });
        res.end(action.echoAuth ? `${action.body ?? 'stand-in error'}; request headers: Authorization: ${req.headers.authorization ?? '(none)'}` : (action.body ?? `stand-in fault ${action.status}`));
        return;
      }
      const t = new URL(req.url!, proxy.target);
      const up = request(t, { method: req.method, headers: { ...req.headers, host: t.host } }, (ures) => {
        const rc: Buffer[] = [];
        ures.on('data', (c: Buffer) => rc.push(c));
        ures.on('end', async () => {
          seen.status = ures.statusCode ?? 0;
          seen.forwarded = true;
          if (action === 'lose') {
            req.socket.destroy();
            return;
          }
          const headers = { ...ures.headers };
          delete headers['transfer-encoding'];
          res.writeHead(ures.statusCode ?? 502, headers);
          res.end(Buffer.concat(rc));
          if (upload) await proxy.afterUpload(upload, seen.status);
        });
      });
      // The real index is gone (stopped): drop the client's connection, as a dead server would.
      up.on('error', () => req.socket.destroy());
      up.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const lifetime = setTimeout(() => void proxy.close(), PROXY_LIFETIME_MS);
  lifetime.unref();
  server.once('close', () => clearTimeout(lifetime));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return proxy;
}

/** The OIDC stand-in's behaviour. */
/** What {@link proxiedIndexes} gives a test file. */
export interface ProxiedIndexes {
  /** The shared fault proxy (available once beforeAll has run). */
  readonly proxy: FaultProxy;
  /**
   * A new, empty index (its own package directory) behind the shared proxy, with the proxy's
   * faults, upload hook and request records reset.
   */
  fresh(o?: { password?: string; publicRead?: boolean }): Promise<PypiServer>;
  /** Stop `s` (an index the test started itself) in afterAll with the others. */
  stopAtEnd(s: PypiServer): void;
}

/**
 * Jest lifecycle for a file whose tests upload through the fault proxy: beforeAll starts a first
 * pypiserver (password `password`) and the proxy in front of it (after `setup`, when given);
 * afterAll closes the proxy and stops every index started. Call it at the top level of the file.
 */
export function proxiedIndexes(password: string, setup?: () => Promise<unknown>): ProxiedIndexes {
  let proxy: FaultProxy | undefined;
  const started: PypiServer[] = [];
  beforeAll(async () => {
    if (setup) await setup();
    const first = await startPypiServer({ password });
    started.push(first);
    proxy = await startFaultProxy(first.url);
  });
  afterAll(async () => {
    await proxy?.close();
    for (const s of started) await s.stop();
  });
  return {
    get proxy() {
      if (!proxy) throw new Error('proxiedIndexes: the proxy starts in beforeAll');
      return proxy;
    },
    async fresh(o = {}) {
      const s = await startPypiServer({ password: o.password ?? password, publicRead: o.publicRead });
      started.push(s);
      const p = this.proxy;
      p.target = s.url;
      p.seen.length = 0;
      p.fault = () => null;
      p.afterUpload = () => undefined;
      return s;
    },
    stopAtEnd(s) {
      started.push(s);
    },
  };
}

export interface OidcStandIn {
  /** Base URL of the stand-in PyPI (`<url>_/oidc/...`), without trailing slash. */
  indexBase: string;
  /** Value for ACTIONS_ID_TOKEN_REQUEST_URL (has a query string, like GitHub's). */
  requestUrl: string;
  requestToken: string;
  /** The token mint-token hands out. */
  minted: string;
  /** `ok`, or the error mint-token answers with. */
  mint: 'ok' | 'invalid-publisher';
  /** Requests received, by path. */
  calls: string[];
  close(): Promise<void>;
}

/** Claims of the JWT the stand-in "GitHub" issues. */
export const STAND_IN_CLAIMS = {
  iss: 'https://token.actions.githubusercontent.com',
  aud: 'pypi',
  sub: 'repo:quiver-dev/quiver:environment:pypi',
  repository: 'quiver-dev/quiver',
  repository_owner: 'quiver-dev',
  workflow_ref: 'quiver-dev/quiver/.github/workflows/release.yml@refs/tags/v0.1.0',
  job_workflow_ref: 'quiver-dev/quiver/.github/workflows/release.yml@refs/tags/v0.1.0',
  environment: 'pypi',
  ref: 'refs/tags/v0.1.0',
};

/**
 * Start the OIDC stand-in: GitHub's token endpoint (`GET /github-token?api-version=2.0&audience=`
 * with `Authorization: bearer <request token>` -> `{"value": "<jwt>"}`), PyPI's
 * `GET /_/oidc/audience` -> `{"audience": "pypi"}` and `POST /_/oidc/mint-token` ->
 * `{"success": true, "token": ...}` or warehouse's 422 invalid-publisher body.
 */
export async function startOidcStandIn(minted: string): Promise<OidcStandIn> {
  const requestToken = 'ghs-request-token-stand-in-0123456789';
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const jwt = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(STAND_IN_CLAIMS)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;
  const st: OidcStandIn = { indexBase: '', requestUrl: '', requestToken, minted, mint: 'ok', calls: [], close: async () => undefined };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url!, 'http://x');
      st.calls.push(u.pathname);
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (u.pathname === '/_/oidc/audience' && req.method === 'GET') return send(200, { audience: 'pypi' });
      if (u.pathname === '/github-token' && req.method === 'GET') {
        if (req.headers.authorization !== `bearer ${requestToken}`) return send(403, { message: 'bad request token' });
        if (u.searchParams.get('audience') !== 'pypi') return send(400, { message: 'audience missing' });
        return send(200, { value: jwt });
      }
      if (u.pathname === '/_/oidc/mint-token' && req.method === 'POST') {
        let token: unknown;
        try {
          token = JSON.parse(Buffer.concat(chunks).toString('utf8')).token;
        } catch {
          token = undefined;
        }
        if (typeof token !== 'string') return send(422, { message: 'Token request failed', errors: [{ code: 'invalid-payload', description: 'token is missing' }] });
        if (token !== jwt) return send(422, { message: 'Token request failed', errors: [{ code: 'invalid-token', description: 'malformed or invalid token' }] });
        if (st.mint === 'invalid-publisher') {
          return send(422, { message: 'Token request failed', errors: [{ code: 'invalid-publisher', description: 'valid token, but no corresponding publisher (Publisher with matching claims was not found)' }] });
        }
        return send(200, { success: true, token: st.minted });
      }
      send(404, { message: 'not found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  st.indexBase = base;
  st.requestUrl = `${base}/github-token?api-version=2.0`;
  st.close = () => new Promise((r) => server.close(() => r()));
  return st;
}
