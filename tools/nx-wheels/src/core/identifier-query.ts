/**
 * The cache key of a `cibuildwheel --print-build-identifiers` query. The answer depends only on:
 * the cibuildwheel installation (its toolchain stamp: the pinned requirements and interpreter),
 * the platform asked for, the host's OS and architecture (`archs = "auto"` means the host's),
 * every `CIBW_*` environment variable, and the files cibuildwheel reads the selection from in the
 * package directory (pyproject.toml's `[tool.cibuildwheel]` and `requires-python`, setup.cfg's and
 * setup.py's `python_requires`, and the file `CIBW_CONFIG_FILE` names). Hashing their whole bytes
 * is stricter than the tables they hold, so an edit anywhere in them asks cibuildwheel again.
 * Pure: facts in, a hex sha256 out.
 */
import { createHash } from 'node:crypto';

/** Everything {@link identifierQueryKey} hashes. */
export interface IdentifierQueryFacts {
  /** Content of the toolchain venv's stamp (pins + interpreter), standing for cibuildwheel's version. */
  toolchainStamp: string;
  /** cibuildwheel's `--platform`: `linux`, `windows`. */
  platform: string;
  /** `process.platform` and `process.arch` of the host. */
  hostOs: string;
  hostArch: string;
  /** The environment; only `CIBW_*` variables are hashed. */
  env: Record<string, string | undefined>;
  /** File name -> content (or null when absent): pyproject.toml, setup.cfg, setup.py, the CIBW_CONFIG_FILE target. */
  files: Record<string, string | null>;
}

/**
 * The cache key (lower-case hex sha256) of an identifier query; equal facts give equal keys.
 * Key order of `env` and `files` does not matter.
 */
export function identifierQueryKey(f: IdentifierQueryFacts): string {
  const cibw = Object.keys(f.env)
    .filter((k) => k.startsWith('CIBW_') && f.env[k] !== undefined)
    .sort()
    .map((k) => [k, f.env[k]]);
  const files = Object.keys(f.files)
    .sort()
    .map((k) => [k, f.files[k]]);
  const text = JSON.stringify({ v: 1, stamp: f.toolchainStamp, platform: f.platform, host: [f.hostOs, f.hostArch], cibw, files });
  return createHash('sha256').update(text).digest('hex');
}
