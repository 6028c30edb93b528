/**
 * The cross route's DLL-import rule on real wheels: a zig-linked win_amd64 module that imports
 * libstdc++-6.dll (through an import library made by `zig dlltool`, as a MinGW g++ link would)
 * fails checkWheelImports with one line naming the module and the DLL; the same wheel shape
 * importing only python313.dll and KERNEL32.dll passes. The wheels are real zips.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crossTargetFor } from '../../src/core/windows-cross';
import { parseIdentifier } from '../../src/core/identifiers';
import { checkWheelImports } from '../../src/runners/windows-cross';
import { ensureZig } from '../../src/runners/zig';
import { ensureWorkspaceToolchain } from '../helpers/toolchain';
import { WORKSPACE } from '../helpers/workspace';

describe('cross route: DLL imports of the built module', () => {
  let dir: string;
  let zig: string;
  const target = crossTargetFor(parseIdentifier('cp313-win_amd64')!);

  /** A wheel holding demo/_m.cp313-win_amd64.pyd that calls `symbol` from `dll`. */
  const wheel = (name: string, dll: string, symbol: string): string => {
    const d = join(dir, name);
    mkdirSync(join(d, 'demo'), { recursive: true });
    writeFileSync(join(d, 'x.def'), `LIBRARY ${dll}\nEXPORTS\n${symbol}\n`);
    execFileSync(zig, ['dlltool', '-m', 'i386:x86-64', '-d', join(d, 'x.def'), '-l', join(d, 'x.dll.a')]);
    writeFileSync(join(d, 'm.c'), `extern int ${symbol}(void);\n__declspec(dllexport) int PyInit__m(void) { return ${symbol}(); }\n`);
    execFileSync(zig, ['cc', '-target', 'x86_64-windows-gnu', '-O2', '-shared', '-s', '-o', join(d, 'demo', '_m.cp313-win_amd64.pyd'), join(d, 'm.c'), join(d, 'x.dll.a')], { env: { ...process.env, ZIG_GLOBAL_CACHE_DIR: join(tmpdir(), 'nx-wheels-spec-zig-cache') } });
    const whl = join(dir, `${name}-1.0-cp313-cp313-win_amd64.whl`);
    execFileSync('python3', ['-m', 'zipfile', '-c', whl, join(d, 'demo')]);
    return whl;
  };

  beforeAll(async () => {
    // the workspace's pinned zig (.nx-wheels/zig), installed when missing as a build would
    const tc = await ensureWorkspaceToolchain();
    zig = (await ensureZig(WORKSPACE, tc.host, { out: () => undefined, err: () => undefined })).zig;
    dir = mkdtempSync(join(tmpdir(), 'quiver-dll-rule-'));
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('libstdc++-6.dll fails in one line naming the module, the DLL and the fix', async () => {
    const whl = wheel('bad', 'libstdc++-6.dll', '_ZNSt8ios_base4InitC1Ev');
    const err = await checkWheelImports(whl, target).then(() => null, (e: Error) => e);
    expect(err).not.toBeNull();
    expect(err!.message.split('\n')).toHaveLength(1);
    expect(err!.message).toMatch(/^cp313-win_amd64: demo\/_m\.cp313-win_amd64\.pyd imports libstdc\+\+-6\.dll \(MinGW runtime\), which a user's Windows does not have; link the C\+\+ runtime statically/);
    expect((err as Error & { code?: string }).code).toBe('WINDOWS_DLL_IMPORT');
  }, 300_000);

  it('a DLL that is neither CPython, system nor UCRT fails too', async () => {
    const whl = wheel('other', 'libfoo.dll', 'foo');
    await expect(checkWheelImports(whl, target)).rejects.toThrow(/imports libfoo\.dll \(not a Windows, UCRT or python313\.dll DLL\)/);
  }, 300_000);

  it('python313.dll and KERNEL32.dll pass and are listed', async () => {
    const whl = wheel('good', 'python313.dll', 'Py_IsInitialized');
    const mods = await checkWheelImports(whl, target);
    expect(mods).toEqual([{ name: 'demo/_m.cp313-win_amd64.pyd', imports: expect.arrayContaining(['python313.dll', 'KERNEL32.dll']) }]);
  }, 300_000);
});
