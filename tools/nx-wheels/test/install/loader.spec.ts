/**
 * tools/nx-wheels/loader.js + build.js: the package loads compiled JS only when dist/ was built from
 * exactly the sources on disk, and the TypeScript sources otherwise (never stale code).
 * A small package laid out like tools/nx-wheels (the real loader.js, build.js and index.js copied,
 * a two-module src/, node_modules linked to the workspace's) in a temporary directory; every load
 * happens in a fresh node process, as Nx starts one, and reports which tree answered.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKSPACE } from '../helpers/workspace';

const PKG = join(WORKSPACE, 'tools', 'nx-wheels');

/** Child environment without Jest's markers, as a developer's shell runs Nx. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|JEST_)/i.test(k)) out[k] = v;
  return { ...out, ...extra };
}

let dir: string;

function write(rel: string, text: string): void {
  mkdirSync(join(dir, rel, '..'), { recursive: true });
  writeFileSync(join(dir, rel), text);
}

/** `require(<pkg>)` in a fresh node: the module's `answer()` and the loader's debug line. */
function load(): { answer: string; debug: string; status: number | null } {
  const r = spawnSync(process.execPath, ['-e', `console.log(require(${JSON.stringify(dir)}).answer())`], {
    encoding: 'utf8',
    env: env({ NX_WHEELS_DEBUG: '1' }),
  });
  return { answer: r.stdout.trim(), debug: r.stderr.trim(), status: r.status };
}

function build(): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [join(dir, 'build.js')], { encoding: 'utf8', env: env() });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nxw-loader-'));
  for (const f of ['loader.js', 'build.js', 'index.js']) copyFileSync(join(PKG, f), join(dir, f));
  symlinkSync(join(WORKSPACE, 'node_modules'), join(dir, 'node_modules'), 'dir');
  write('package.json', JSON.stringify({ name: 'loader-fixture', version: '0.0.0', main: './index.js' }));
  const compilerOptions = { target: 'ES2022', module: 'node20', moduleResolution: 'node16', strict: true, types: ['node'], skipLibCheck: true };
  write('tsconfig.json', JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true }, include: ['src/**/*.ts'] }));
  write('tsconfig.build.json', JSON.stringify({ compilerOptions: { ...compilerOptions, rootDir: 'src', outDir: 'dist', declaration: true }, include: ['src/**/*.ts'], exclude: ['src/**/*.spec.ts'] }));
  write('src/index.ts', "import { word } from './word';\nexport function answer(): string {\n  return `${word()} from ${__filename.includes('/dist/') ? 'dist' : 'src'}`;\n}\n");
  write('src/word.ts', "export const word = (): string => 'alpha';\n");
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loader.js', () => {
  it('loads src/ through Nx\'s TypeScript registration when nothing is built', () => {
    const r = load();
    expect(r.status).toBe(0);
    expect(r.answer).toBe('alpha from src');
    expect(r.debug).toContain('no dist/.build-stamp.json');
  });

  it('loads dist/ after build.js, and src/ again as soon as a source is edited (same size, new content)', () => {
    const b = build();
    expect(b.status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'dist', '.build-stamp.json'), 'utf8')).files).toHaveProperty(['word.ts']);
    expect(load().answer).toBe('alpha from dist');
    write('src/word.ts', "export const word = (): string => 'omega';\n");
    const r = load();
    expect(r.answer).toBe('omega from src');
    expect(r.debug).toContain('src/word.ts changed since the build');
  });

  it('keeps dist/ when only mtimes changed (checkout, cache restore): the content hash still matches', () => {
    expect(build().status).toBe(0);
    const later = new Date(statSync(join(dir, 'src', 'word.ts')).mtimeMs + 60_000);
    utimesSync(join(dir, 'src', 'word.ts'), later, later);
    expect(load().answer).toBe('alpha from dist');
  });

  it('falls back to src/ when a source file is added, and ignores spec files', () => {
    expect(build().status).toBe(0);
    write('src/word.spec.ts', "it('x', () => undefined);\n");
    expect(load().answer).toBe('alpha from dist');
    write('src/extra.ts', 'export const extra = 1;\n');
    const r = load();
    expect(r.answer).toBe('alpha from src');
    expect(r.debug).toContain('added or removed');
  });

  it('an installed package (no src/index.ts) loads dist/ as it is', () => {
    expect(build().status).toBe(0);
    rmSync(join(dir, 'src'), { recursive: true });
    expect(load().answer).toBe('alpha from dist');
  });

  it('build.js: a tsc error fails with one line naming the command, and leaves no stamp', () => {
    write('src/word.ts', "export const word = (): string => 42;\n");
    const b = build();
    expect(b.status).toBe(1);
    expect(b.stderr.trim().split('\n').filter((l) => l.startsWith('nx-wheels build:'))).toEqual([
      expect.stringContaining('tsc -p tools/nx-wheels/tsconfig.build.json failed'),
    ]);
    expect(() => statSync(join(dir, 'dist', '.build-stamp.json'))).toThrow();
    expect(load().answer).toBe('42 from src');
  });
});
