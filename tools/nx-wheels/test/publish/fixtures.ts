/**
 * A temporary workspace for publish tests: bindings/python/pyproject.toml copied from the real
 * one, a wheel directory with the real quiverdb wheel (cp313) and a re-tagged real copy (cp312),
 * and the real workspace's toolchain venv linked in (twine, pinned).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyReal, mutate, retag, tagsOf, tempDir, tempWorkspace, withTags } from '../validate-wheels/fixtures';
import { WORKSPACE } from '../helpers/workspace';
import { LineSink } from '../../src/runners/process';

export const CANARY = `pypi-CANARY-${process.pid}-7f3a9c2e4b1d`;

/** The identifiers the two test wheels stand for. */
export const IDENTIFIERS = ['cp313-manylinux_x86_64', 'cp312-manylinux_x86_64'];

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Workspace with two real-bytes wheels; `files` are their names in upload order. */
export async function publishWorkspace(): Promise<{ ws: string; projectRoot: string; wheelDir: string; files: string[] }> {
  const t = tempWorkspace();
  const real = copyReal(t.wheelDir);
  const name = real.split('/').pop()!;
  const plat = tagsOf(name).split('-')[2];
  await mutate(t.wheelDir, (e) => retag(e, `cp312-cp312-${plat}`), { name: withTags(name, `cp312-cp312-${plat}`), fixRecord: true });
  mkdirSync(join(t.ws, '.nx-wheels'), { recursive: true });
  symlinkSync(join(WORKSPACE, '.nx-wheels', 'toolchain'), join(t.ws, '.nx-wheels', 'toolchain'), 'dir');
  const files = readdirSync(t.wheelDir).filter((f) => f.endsWith('.whl')).sort();
  return { ...t, files };
}

/** Files on the index (pypiserver's package directory) with their sha256. */
export function indexContents(packagesDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(packagesDir)) return out;
  for (const f of readdirSync(packagesDir).sort()) if (statSync(join(packagesDir, f)).isFile()) out[f] = sha256(join(packagesDir, f));
  return out;
}

/** Local wheels (and sdists, with `withSdists`) with their sha256 (what the index must end up with). */
export function localContents(wheelDir: string, withSdists = false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(wheelDir).filter((n) => n.endsWith('.whl') || (withSdists && n.endsWith('.tar.gz'))).sort()) out[f] = sha256(join(wheelDir, f));
  return out;
}

/** A sink that records every line (stdout and stderr). */
export function recordingSink(): LineSink & { lines: string[]; text(): string } {
  const lines: string[] = [];
  return {
    lines,
    out: (l) => void lines.push(l),
    err: (l) => void lines.push(l),
    text: () => lines.join('\n'),
  };
}

/** Every file under `dir` (recursively, not following the toolchain link) whose bytes contain `needle`. */
export function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isSymbolicLink()) continue;
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && readFileSync(p).includes(needle)) hits.push(p);
    }
  };
  walk(dir);
  return hits;
}

/** A minimal environment (no GitHub Actions, no tokens) plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...extra };
}

/**
 * A real third-party release pair, as published on PyPI: markupsafe 3.0.3's CPython 3.13 wheels
 * for manylinux x86_64 and win_amd64 (a C extension, normalized filenames, metadata that passes
 * twine check --strict). Downloaded once with pip into <workspace>/.nx-wheels/test-downloads/
 * (re-runs reuse it).
 */
export const THIRD_PARTY = {
  name: 'markupsafe',
  version: '3.0.3',
  identifiers: ['cp313-manylinux_x86_64', 'cp313-win_amd64'],
  platforms: ['manylinux2014_x86_64', 'win_amd64'],
};

/** The two downloaded wheels (absolute paths, linux first). */
export function thirdPartyWheels(): string[] {
  const dir = join(WORKSPACE, '.nx-wheels', 'test-downloads', `${THIRD_PARTY.name}-${THIRD_PARTY.version}-cp313`);
  const have = () => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.whl')).sort() : []);
  if (have().length !== THIRD_PARTY.platforms.length) {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    for (const platform of THIRD_PARTY.platforms) {
      execFileSync('python3', ['-m', 'pip', 'download', '-q', '--disable-pip-version-check', '--only-binary=:all:', '--no-deps', '--platform', platform, '--python-version', '3.13', '--implementation', 'cp', '--abi', 'cp313', '-d', tmp, `${THIRD_PARTY.name}==${THIRD_PARTY.version}`], { stdio: 'pipe' });
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  }
  const files = have();
  if (files.length !== 2 || !files.some((f) => f.includes('manylinux')) || !files.some((f) => f.endsWith('win_amd64.whl'))) throw new Error(`unexpected downloads in ${dir}: ${files.join(', ')}`);
  return files.sort((a, b) => Number(a.endsWith('win_amd64.whl')) - Number(b.endsWith('win_amd64.whl'))).map((f) => join(dir, f));
}

/**
 * A test project of its own for the third-party pair: <ws>/pkg/pyproject.toml with the same
 * [project] name and version and a [tool.cibuildwheel] that selects exactly cp313-manylinux_x86_64
 * (linux) and cp313-win_amd64 (windows), the two wheels in <ws>/pkg/wheelhouse, and the
 * workspace's toolchain linked in.
 */
export function thirdPartyWorkspace(extraPyproject = ''): { ws: string; projectRoot: string; wheelDir: string; files: string[] } {
  const ws = tempDir('quiver-3rd-ws-');
  const projectRoot = 'pkg';
  const wheelDir = join(ws, projectRoot, 'wheelhouse');
  mkdirSync(wheelDir, { recursive: true });
  writeFileSync(
    join(ws, projectRoot, 'pyproject.toml'),
    `[project]\nname = "${THIRD_PARTY.name}"\nversion = "${THIRD_PARTY.version}"\n\n[tool.cibuildwheel]\nbuild = "cp313-*"\nskip = "*-musllinux*"\n\n[tool.cibuildwheel.linux]\narchs = ["x86_64"]\n\n[tool.cibuildwheel.windows]\narchs = ["AMD64"]\n${extraPyproject}`,
  );
  const files = thirdPartyWheels().map((f) => {
    const name = f.split('/').pop()!;
    copyFileSync(f, join(wheelDir, name));
    return name;
  });
  mkdirSync(join(ws, '.nx-wheels'), { recursive: true });
  symlinkSync(join(WORKSPACE, '.nx-wheels', 'toolchain'), join(ws, '.nx-wheels', 'toolchain'), 'dir');
  return { ws, projectRoot, wheelDir, files };
}
