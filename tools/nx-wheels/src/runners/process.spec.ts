import { QuiverError } from '../core/errors';
import { capture, displayCommand, redact, stream } from './process';

describe('process helper (real child processes)', () => {
  it('streams stdout and stderr line by line with the prefix, and captures them', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const r = await stream('node', ['-e', 'process.stdout.write("a\\nb");process.stderr.write("c\\r\\n");process.exit(3)'], '[x] ', {}, { out: (l) => out.push(l), err: (l) => err.push(l) });
    expect(r.exitCode).toBe(3);
    expect(out).toEqual(['[x] a', '[x] b']);
    expect(err).toEqual(['[x] c']);
    expect(r.stdout).toBe('a\nb');
  });

  it('never lets a secret through: printed lines and captured output are redacted', async () => {
    const canary = 'pypi-CANARY-a1b2c3d4e5';
    const seen: string[] = [];
    const r = await stream('node', ['-e', `console.log("token=${canary}!");console.error("${canary}")`], '', { secrets: [canary] }, { out: (l) => seen.push(l), err: (l) => seen.push(l) });
    expect(seen).toEqual(['token=***!', '***']);
    expect(JSON.stringify(r)).not.toContain(canary);
  });

  it('a missing command is a TOOL_NOT_FOUND QuiverError', async () => {
    const e = await capture('quiver-no-such-tool-xyz', []).catch((x) => x);
    expect(e).toBeInstanceOf(QuiverError);
    expect(e.code).toBe('TOOL_NOT_FOUND');
  });

  it('passes env and cwd', async () => {
    const r = await capture('node', ['-e', 'console.log(process.env.Q_T + " " + process.cwd())'], { env: { Q_T: 'yes' }, cwd: '/' });
    expect(r.stdout.trim()).toBe('yes /');
  });

  it('redact ignores short strings and displayCommand quotes', () => {
    expect(redact('abc abc', ['abc'])).toBe('abc abc');
    expect(displayCommand('pytest', ['a b', 'c'])).toBe("pytest 'a b' c");
  });
});
