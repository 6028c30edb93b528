import { posix } from 'node:path';
import { CibuildwheelConfig } from './pyproject';

/**
 * Workspace-relative directories the test-command reads, from its `{project}/...` and
 * `{package}/...` path arguments (`{project}` = workspace root, `{package}` = project root).
 * Falls back to `<projectRoot>/tests` when the command names no such path.
 */
export function testPaths(projectRoot: string, cibuildwheel: CibuildwheelConfig): string[] {
  const commands: string[] = [];
  const collect = (v: unknown) => {
    if (typeof v === 'string') commands.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
  };
  collect(cibuildwheel['test-command']);
  for (const plat of ['linux', 'windows', 'macos']) {
    const t = cibuildwheel[plat];
    if (t && typeof t === 'object') collect((t as Record<string, unknown>)['test-command']);
  }
  if (Array.isArray(cibuildwheel['overrides']))
    for (const o of cibuildwheel['overrides'] as Array<Record<string, unknown>>) collect(o['test-command']);
  const paths = new Set<string>();
  for (const c of commands) {
    for (const m of c.matchAll(/\{(project|package)\}((?:[\\/][^\s"';&|]*)?)/g)) {
      const base = m[1] === 'project' ? '.' : projectRoot;
      const rest = (m[2] ?? '').replace(/\\/g, '/').replace(/^\//, '');
      const p = posix.normalize(posix.join(base, rest)).replace(/\/$/, '');
      if (p && p !== '.' && p !== projectRoot && !p.startsWith('..')) paths.add(p);
    }
  }
  if (paths.size === 0) paths.add(posix.join(projectRoot, 'tests'));
  return [...paths].sort();
}
