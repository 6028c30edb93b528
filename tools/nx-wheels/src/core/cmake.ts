import { posix } from 'node:path';

/**
 * Workspace-relative paths a CMake file points at outside its own directory:
 * `add_subdirectory(${CMAKE_CURRENT_SOURCE_DIR}/../../libs/quiver ...)`, `"../../libs/quiver"`.
 * @param cmakeDir workspace-relative directory of the CMake file (posix)
 */
export function cmakeReferencedPaths(cmakeText: string, cmakeDir: string): string[] {
  const text = cmakeText.replace(/#[^\n]*/g, '');
  const out = new Set<string>();
  for (const m of text.matchAll(
    /(?:\$\{(?:CMAKE_CURRENT_SOURCE_DIR|CMAKE_CURRENT_LIST_DIR|PROJECT_SOURCE_DIR|CMAKE_SOURCE_DIR)\}\/)?((?:\.\.\/)+[A-Za-z0-9_.\-/]+)/g,
  )) {
    const p = posix.normalize(posix.join(cmakeDir, m[1])).replace(/\/$/, '');
    if (!p.startsWith('..')) out.add(p);
  }
  return [...out].sort();
}
