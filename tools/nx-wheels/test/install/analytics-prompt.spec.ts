/**
 * A fresh clone typed into a real terminal: `npx nx ...` must neither stop at Nx's usage-data
 * prompt nor rewrite the tracked nx.json. Nx asks when stdin and stdout are TTYs, CI is unset and
 * nx.json has no boolean `analytics` (nx/dist/src/utils/analytics-prompt.js), then writes the
 * answer into nx.json. The command runs under a pseudo-terminal made by util-linux `script`, in a
 * git copy of the workspace (node_modules linked).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { copyWorkspace, edit, git } from '../helpers/workspace';

const PROMPT = 'Share usage data with the Nx team?';

interface PtyRun {
  /** Exit code of `script` (the command's), null when it was killed. */
  code: number | null;
  /** Terminal output, escape sequences and spinner frames removed. */
  out: string;
  /** Whether the usage-data prompt appeared (the run is then stopped without answering it). */
  prompted: boolean;
}

/**
 * Run `command` under a pseudo-terminal 200 columns wide (script's pty has no size otherwise, and
 * the prompt library wraps at every character), CI unset, daemon off. When the prompt appears the
 * process group is killed, so no answer (and no usage data) is ever given. `guardMs` only ends a
 * run that neither exits nor prompts (a hang fails the test through `code` / `prompted`).
 */
function underPty(cwd: string, command: string, guardMs = 180_000): Promise<PtyRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0' };
  for (const k of ['CI', 'CONTINUOUS_INTEGRATION', 'BUILD_NUMBER', 'RUN_ID', 'GITHUB_ACTIONS', 'JEST_WORKER_ID']) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', `stty cols 200 rows 50; ${command}`, '/dev/null'], { cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let raw = '';
    let prompted = false;
    // Escape sequences, carriage returns and npx's braille spinner frames out.
    const clean = () => raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/[\r\u2800-\u28ff]/g, '');
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const guard = setTimeout(kill, guardMs);
    const onData = (d: Buffer) => {
      raw += d.toString('utf8');
      if (!prompted && clean().includes(PROMPT)) {
        prompted = true;
        kill();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, out: clean(), prompted });
    });
  });
}

describe('Nx under a terminal on a fresh clone', () => {
  let ws: string;
  beforeAll(() => {
    ws = copyWorkspace('quiver-analytics-');
  });

  it('nx.json records the usage-data choice: no prompt, the command finishes, nx.json untouched', async () => {
    const run = await underPty(ws, 'npx nx show projects');
    expect(run.prompted).toBe(false);
    expect(run.out).not.toMatch(/sharing usage data/i);
    expect(run.code).toBe(0);
    expect(run.out.split('\n').map((l) => l.trim())).toEqual(expect.arrayContaining(['python', 'nx-wheels']));
    expect(git(ws, 'status', '--porcelain', '--', 'nx.json')).toBe('');
  });

  it('without it, the same run stops at the prompt (what the recorded choice prevents)', async () => {
    edit(join(ws, 'nx.json'), (text) => {
      const json = JSON.parse(text);
      delete json.analytics;
      return `${JSON.stringify(json, null, 2)}\n`;
    });
    git(ws, 'commit', '-q', '-am', 'test: nx.json without analytics');
    const run = await underPty(ws, 'npx nx show projects');
    expect(run.prompted).toBe(true);
    expect(run.code).toBeNull();
    expect(run.out).toMatch(/sharing usage data/i);
  });
});
