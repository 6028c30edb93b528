/**
 * The one-process external checks (toolchain/external_checks.py through runners/wheel-checks)
 * against the pinned tools' own processes, on the real markupsafe 3.0.3 pair from PyPI and a file
 * that is no zip: the same exit code and stdout per file, the same last line of stderr (tracebacks
 * differ only in the frames of the caller; set items are compared sorted, as Python's hash order
 * differs between processes). Skipped when the toolchain is not installed.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExternalCheck, runExternalChecks, sharedPython } from '../../src/runners/wheel-checks';
import { thirdPartyWheels } from '../publish/fixtures';
import { WORKSPACE } from './fixtures';

const BIN = join(WORKSPACE, '.nx-wheels', 'toolchain', 'bin');
const tools = { twine: join(BIN, 'twine'), auditwheel: join(BIN, 'auditwheel') };
const maybe = existsSync(tools.twine) && existsSync(tools.auditwheel) && process.platform === 'linux' ? describe : describe.skip;
const lastLine = (s: string) => s.trim().split('\n').pop() ?? '';
/** Python prints sets in hash order, which differs between any two processes: sort their items. */
const sortSets = (s: string) => s.replace(/\{('[^{}]*')\}/g, (_, items: string) => `{${items.split(', ').sort().join(', ')}}`);

maybe('external checks in one Python process (real twine 7 and auditwheel)', () => {
  let dir: string;
  let checks: ExternalCheck[];
  beforeAll(() => {
    const [linux, windows] = thirdPartyWheels();
    dir = mkdtempSync(join(tmpdir(), 'quiver-wheel-checks-'));
    const broken = join(dir, 'broken-1.0-py3-none-any.whl');
    writeFileSync(broken, 'not a zip');
    checks = [linux, windows, broken].flatMap((f) => [{ tool: 'twine' as const, file: f }, { tool: 'auditwheel' as const, file: f }]);
  }, 10 * 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the venv python beside the tools, and none for tools of different directories', () => {
    expect(sharedPython(tools)).toBe(join(BIN, 'python'));
    expect(sharedPython({ twine: tools.twine, auditwheel: null })).toBe(join(BIN, 'python'));
    expect(sharedPython({ twine: tools.twine, auditwheel: '/usr/bin/auditwheel' })).toBeNull();
  });

  it('each file gets the exit code and output its own process gives', async () => {
    const one = await runExternalChecks(sharedPython(tools), tools, checks);
    const each = await runExternalChecks(null, tools, checks);
    const view = (rs: typeof one) => rs.map((r) => ({ tool: r.tool, file: r.file, exitCode: r.exitCode, stdout: sortSets(r.stdout), stderrLast: lastLine(r.stderr) }));
    expect(view(one)).toEqual(view(each));
    // Not all alike: passes, auditwheel refusing a Windows wheel, and tracebacks for the broken file.
    expect(one.map((r) => r.exitCode)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(lastLine(one[4].stderr)).toMatch(/BadZipFile: File is not a zip file/);
  }, 120_000);
});
