/**
 * Executor options as their schema.json defines them: the defaults come from the schema (the one
 * place they are written), and path options may say `{projectRoot}` as inferred targets do.
 * Nx fills schema defaults in before an executor runs but resolves tokens only in target options,
 * so a default such as `{projectRoot}/wheelhouse` arrives verbatim; pipelines called directly
 * (tests, rehearse-release) get no defaults at all. Both go through here.
 */

import { posix } from 'node:path';

/** The part of a schema.json this module reads. */
export interface OptionSchema {
  properties: Record<string, object>;
}

/** The project an option's `{projectRoot}` / `{projectName}` refer to (root workspace-relative, posix). */
export interface TokenProject {
  projectRoot: string;
  projectName: string;
}

/**
 * Nx's option tokens in one string, as Nx resolves them in target options: a leading
 * `{workspaceRoot}/` is dropped (paths are workspace-relative), `{projectRoot}` and
 * `{projectName}` are replaced.
 */
export function resolveOptionTokens(value: string, p: TokenProject): string {
  if (!/\{(workspaceRoot|projectRoot|projectName)\}/.test(value)) return value;
  const out = value
    .replace(/^\{workspaceRoot\}\/?/, '')
    .replace(/\{projectRoot\}/g, p.projectRoot)
    .replace(/\{projectName\}/g, p.projectName);
  // A project at the workspace root: `./wheelhouse` is `wheelhouse`.
  return posix.normalize(out || '.');
}

/**
 * `options` with every option the schema gives a default for filled in where absent, and the
 * tokens of every top-level string option resolved. The input is not modified.
 */
export function withSchemaDefaults<T extends TokenProject>(schema: OptionSchema, options: T): T {
  const out = { ...options } as Record<string, unknown>;
  for (const [k, p] of Object.entries(schema.properties)) {
    if (out[k] === undefined && 'default' in p) out[k] = p.default;
  }
  for (const k of Object.keys(schema.properties)) {
    if (typeof out[k] === 'string') out[k] = resolveOptionTokens(out[k] as string, options);
  }
  return out as T;
}
