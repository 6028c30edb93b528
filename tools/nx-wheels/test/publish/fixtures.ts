/**
 * A temporary workspace for publish tests: bindings/python/pyproject.toml copied from the real
 * one, a wheel directory with the real quiverdb wheel (cp313) and a re-tagged real copy (cp312),
 * and the real workspace's toolchain venv linked in (twine, pinned).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { copyReal, mutate, retag, tagsOf, tempWorkspace, withTags } from '../validate-wheels/fixtures';
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
