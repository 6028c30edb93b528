/**
 * The cross route's pure parts, with real PE files: modules linked by the pinned zig for
 * x86_64-windows-gnu (one importing python313.dll through an import library made by `zig dlltool`,
 * one importing a DLL named libstdc++-6.dll the same way), read back by readPeImports and judged by
 * disallowedImports; the pin file shipped with the plugin parses; bad pins name the field.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureZig } from '../runners/zig';
import { ensureWorkspaceToolchain } from '../../test/helpers/toolchain';
import { WORKSPACE } from '../../test/helpers/workspace';
import { readPeImports } from './pe';
import { parseIdentifier } from './identifiers';
import { classifyDll, cmakeToolchainFile, crossTargetFor, disallowedImports, parseWindowsPins, pinFor, wineDrivePath } from './windows-cross';

const PINS = resolve(__dirname, '..', '..', 'toolchain', 'windows-cpython.json');
/** The pinned zig of the workspace (.nx-wheels/zig, installed here when missing, as a build would). */
async function zigPath(): Promise<string> {
  const tc = await ensureWorkspaceToolchain();
  return (await ensureZig(WORKSPACE, tc.host, { out: () => undefined, err: () => undefined })).zig;
}

describe('PE imports of real zig-linked modules', () => {
  let dir: string;
  let zig: string;
  const build = (name: string, dll: string, symbol: string) => {
    writeFileSync(join(dir, `${name}.def`), `LIBRARY ${dll}\nEXPORTS\n${symbol}\n`);
    execFileSync(zig, ['dlltool', '-m', 'i386:x86-64', '-d', join(dir, `${name}.def`), '-l', join(dir, `${name}.dll.a`)]);
    writeFileSync(join(dir, `${name}.c`), `extern int ${symbol}(void);\n__declspec(dllexport) int f(void) { return ${symbol}() + 1; }\n`);
    const out = join(dir, `${name}.pyd`);
    execFileSync(zig, ['cc', '-target', 'x86_64-windows-gnu', '-O2', '-shared', '-s', '-o', out, join(dir, `${name}.c`), join(dir, `${name}.dll.a`)], { env: { ...process.env, ZIG_GLOBAL_CACHE_DIR: join(tmpdir(), 'nx-wheels-spec-zig-cache') } });
    return readFileSync(out);
  };

  beforeAll(async () => {
    zig = await zigPath();
    dir = mkdtempSync(join(tmpdir(), 'quiver-pe-'));
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads python313.dll and KERNEL32.dll; the rule accepts them', () => {
    const imports = readPeImports(build('good', 'python313.dll', 'Py_IsInitialized'));
    expect(imports).toEqual(expect.arrayContaining(['python313.dll', 'KERNEL32.dll']));
    expect(disallowedImports(imports!, 'python313.dll')).toEqual([]);
  }, 300_000);

  it('a module importing libstdc++-6.dll is named as a MinGW runtime import', () => {
    const imports = readPeImports(build('bad', 'libstdc++-6.dll', 'some_cxx_symbol'));
    expect(imports).toContain('libstdc++-6.dll');
    expect(disallowedImports(imports!, 'python313.dll')).toEqual([{ dll: 'libstdc++-6.dll', origin: 'mingw' }]);
    // shipped inside the wheel (delvewheel's <pkg>.libs/), the same DLL is allowed
    expect(disallowedImports(imports!, 'python313.dll', ['libstdc++-6.dll'])).toEqual([]);
  }, 300_000);

  it('non-PE bytes give null', () => {
    expect(readPeImports(Buffer.from('\x7fELF' + '\0'.repeat(100)))).toBeNull();
    expect(readPeImports(Buffer.alloc(10))).toBeNull();
  });
});

describe('DLL classification', () => {
  it.each([
    ['python313.dll', 'python'],
    ['PYTHON3.DLL', 'python'],
    ['KERNEL32.dll', 'system'],
    ['api-ms-win-crt-runtime-l1-1-0.dll', 'ucrt'],
    ['VCRUNTIME140.dll', 'ucrt'],
    ['MSVCP140.dll', 'ucrt'],
    ['libstdc++-6.dll', 'mingw'],
    ['libgcc_s_seh-1.dll', 'mingw'],
    ['libwinpthread-1.dll', 'mingw'],
    ['python312.dll', 'other'],
    ['libopenblas.dll', 'other'],
  ])('%s is %s for a cp313 module', (dll, origin) => {
    expect(classifyDll(dll, 'python313.dll')).toBe(origin);
  });
});

describe('targets and pins', () => {
  it('cp313-win_amd64: the suffix, SOABI and DLL of python.org CPython 3.13', () => {
    const t = crossTargetFor(parseIdentifier('cp313-win_amd64')!);
    expect(t).toMatchObject({ extSuffix: '.cp313-win_amd64.pyd', soabi: 'cp313-win_amd64', pythonDll: 'python313.dll', importLib: 'python313.lib', sysconfigPlatform: 'win-amd64' });
    expect(pinFor(t, parseWindowsPins(readFileSync(PINS, 'utf8'), PINS), PINS)).toMatchObject({ registry: 'maven', pythonVersion: expect.stringMatching(/^3\.13\./) });
  });

  it.each([
    ['cp313-win32', /architecture x86 is not AMD64/],
    ['cp313-win_arm64', /architecture ARM64 is not AMD64/],
    ['pp310-win_amd64', /only CPython/],
    ['cp313t-win_amd64', /free-threaded/],
    ['cp313-manylinux_x86_64', /not a Windows wheel/],
  ])('%s is refused in one line with the fix', (id, re) => {
    expect(() => crossTargetFor(parseIdentifier(id)!)).toThrow(re);
    expect(() => crossTargetFor(parseIdentifier(id)!)).toThrow(/CIBW_SKIP/);
  });

  it('an identifier without a pinned CPython names the pin file', () => {
    const t = crossTargetFor(parseIdentifier('cp312-win_amd64')!);
    expect(() => pinFor(t, parseWindowsPins(readFileSync(PINS, 'utf8'), PINS), PINS)).toThrow(/windows-cpython\.json: no python\.org CPython pinned for cp312 \(have cp313\)/);
  });

  it.each([
    ['{', /not valid JSON/],
    ['{"cp313": {"registry": "pypi"}}', /cp313\.registry must be "maven" or "nuget"/],
    ['{"cp313": {"registry": "maven", "package": "a:b:1:jar:c", "sha256": "abc"}}', /cp313\.sha256 must be 64 lower-case hex digits/],
    ['{"cp313": {"registry": "maven", "package": "a:b:1:jar:c", "sha256": "' + 'a'.repeat(64) + '", "pythonVersion": "3.12.1", "root": "x"}}', /cp313\.pythonVersion must be a cp313 version/],
  ])('a bad pin file (%s) names the field', (text, re) => {
    expect(() => parseWindowsPins(text, 'pins.json')).toThrow(re);
    expect(() => parseWindowsPins(text, 'pins.json')).toThrow(/^pins\.json: /);
  });

  it('the toolchain file targets Windows with the given compilers and links stripped modules', () => {
    const text = cmakeToolchainFile({ cpythonDir: '/c', cc: '/w/zig-cc', cxx: '/w/zig-c++', ar: '/w/zig-ar', ranlib: '/w/zig-ranlib', hostPython: '/p', sysconfigDir: '/s', targetPython: '/t' });
    expect(text).toContain('set(CMAKE_SYSTEM_NAME Windows)');
    expect(text).toContain('set(CMAKE_CXX_COMPILER "/w/zig-c++")');
    expect(text).toContain('set(CMAKE_MODULE_LINKER_FLAGS_INIT "-s")');
    expect(wineDrivePath('/tmp/a b/x')).toBe('Z:\\tmp\\a b\\x');
  });
});
