/** Which projects a commit belongs to, for release notes and changelogs (pure). */

/** The project graph as far as {@link projectsOfCommit} reads it. */
export interface GraphLike {
  nodes: Record<string, unknown>;
  dependencies: Record<string, Array<{ target: string }>>;
}

/**
 * The projects a commit belongs to: owners of the touched files (`fileToProject`) and every
 * project depending on an owner, directly or transitively (`graph`). Pure.
 */
export function projectsOfCommit(files: readonly string[], fileToProject: Record<string, string>, graph: GraphLike): string[] {
  const dependents = new Map<string, string[]>();
  for (const [source, deps] of Object.entries(graph.dependencies)) {
    for (const d of deps) {
      if (!dependents.has(d.target)) dependents.set(d.target, []);
      dependents.get(d.target)!.push(source);
    }
  }
  const out = new Set<string>();
  const queue = files.map((f) => fileToProject[f]).filter((p): p is string => !!p);
  while (queue.length) {
    const p = queue.pop()!;
    if (out.has(p)) continue;
    out.add(p);
    queue.push(...(dependents.get(p) ?? []));
  }
  return [...out].sort();
}
