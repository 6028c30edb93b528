/**
 * A project's version wherever one is needed (validate-release, validate-wheels' and publish's
 * expectation, nx release's current version, the pretend variables of a build from the staging):
 * `[project].version` when static; when dynamic, what the build back-end computes through PEP 517
 * (runners/pep517.ts), cached in `.nx-wheels/cache/pep517-version/<key>.json`, where the key is the
 * sha256 of exactly what the answer depends on (core/dynamic-version.ts {@link versionCacheKey}: the
 * pyproject text, HEAD, `git describe`, the project's uncommitted changes and their bytes, the
 * interpreter, the back-end variables of the environment). A second read of an unchanged tree
 * spawns git only. A VCS-versioned project in a subdirectory of its repository at its own release
 * tag reads as that tag's version (the back-end's pretend variables; see subdirectoryTagEnv).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pretendVersionEnv, subdirectoryTagVersion, VcsVersionSource, vcsVersionSource, versionCacheKey } from '../core/dynamic-version';
import { QuiverError } from '../core/errors';
import { normalizeVersion } from '../core/pep440';
import { parseToml, readPyProjectText, requireStaticVersion } from '../core/pyproject';
import { gitTagsAtHead, gitVersionFacts, readPep517Metadata } from '../runners/pep517';
import { LineSink } from '../runners/process';
import { stateDir } from '../runners/toolchain';
import { writeFileAtomic } from './files';
import { readProjectTagPattern } from './release-tag';
import { loadToolchain } from './toolchain';

/** A project's version and where it came from. */
export interface ProjectVersion {
  /** Normalized PEP 440 version (a VCS version between tags carries a local label, e.g. `1.2.4.dev3+gabc1234`). */
  version: string;
  /** `static` ([project].version) or `pep517` (computed by the back-end). */
  source: 'static' | 'pep517';
  /** The VCS versioning back-end, when the version is the git tag's. */
  vcs: VcsVersionSource | null;
  /** True when a PEP 517 answer came from the cache. */
  cached: boolean;
}

/** Options of {@link readProjectVersion}. */
export interface ReadVersionOptions {
  workspaceRoot: string;
  /** Workspace-relative project root. */
  projectRoot: string;
  /** The Nx project, whose release tag (prefix from nx.json) gives a VCS version in a subdirectory; default the normalized distribution name (the inferred project's name). */
  projectName?: string;
  /** Host interpreter option (`python`), for the toolchain. */
  python?: string;
  env?: Record<string, string | undefined>;
  sink?: LineSink;
}

/** What the pyproject says about its version source, without spawning anything. */
export function versionSourceOf(workspaceRoot: string, projectRoot: string): { file: string; text: string; dynamic: boolean; vcs: VcsVersionSource | null } {
  const file = join(workspaceRoot, projectRoot, 'pyproject.toml');
  const shown = relative(workspaceRoot, file) || file;
  const text = readFileSync(file, 'utf8');
  const doc = parseToml(text, shown);
  const p = readPyProjectText(text, shown, { requireCibuildwheel: false });
  return { file: shown, text, dynamic: p.dynamicVersion, vcs: vcsVersionSource(doc) };
}

/**
 * The project's version (see the module comment).
 * @throws QuiverError from {@link requireStaticVersion} for a bad static version, `PEP517_METADATA_FAILED`,
 *   `PEP517_BAD_VERSION` (the back-end's version is not PEP 440), toolchain errors
 */
export async function readProjectVersion(o: ReadVersionOptions): Promise<ProjectVersion> {
  const src = versionSourceOf(o.workspaceRoot, o.projectRoot);
  if (!src.dynamic) {
    return { version: requireStaticVersion(readPyProjectText(src.text, src.file, { requireCibuildwheel: false })), source: 'static', vcs: null, cached: false };
  }
  const dir = join(o.workspaceRoot, o.projectRoot);
  const env = { ...(o.env ?? process.env), ...(await subdirectoryTagEnv(o, src)) };
  const toolchain = await loadToolchain(o.workspaceRoot, o.python, o.sink);
  const python = toolchain.bin('python');
  const facts = await gitVersionFacts(dir);
  const dirty = facts.status
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const rel = l.slice(3).replace(/^.* -> /, '');
      const abs = join(o.workspaceRoot, rel);
      const bytes = existsSync(abs) && statSync(abs).isFile() ? createHash('sha256').update(readFileSync(abs)).digest('hex') : '-';
      return `${l} ${bytes}`;
    })
    .join('\n');
  const key = versionCacheKey({ pyproject: src.text, head: facts.head, describe: facts.describe, dirty, python, env });
  const cacheFile = join(stateDir(o.workspaceRoot), 'cache', 'pep517-version', `${key}.json`);
  try {
    const hit = JSON.parse(readFileSync(cacheFile, 'utf8')) as { version?: unknown };
    if (typeof hit.version === 'string' && normalizeVersion(hit.version)) return { version: hit.version, source: 'pep517', vcs: src.vcs, cached: true };
  } catch {
    // no entry: compute
  }
  const meta = await readPep517Metadata(python, dir, src.file, env);
  const version = normalizeVersion(meta.version);
  if (!version) {
    throw new QuiverError('PEP517_BAD_VERSION', `${src.file}: the build back-end computes version "${meta.version}", which is not PEP 440; fix its version configuration.`);
  }
  try {
    writeFileAtomic(cacheFile, JSON.stringify({ version, name: meta.name }) + '\n');
  } catch {
    // a read-only state dir only costs the next read a PEP 517 call
  }
  return { version, source: 'pep517', vcs: src.vcs, cached: false };
}

/**
 * For a VCS-versioned project in a subdirectory of its repository at one of its own release tags
 * ({@link subdirectoryTagVersion}): the back-end's pretend variables set to the tag's version, so
 * what it computes is the tag's version; empty otherwise, and when the environment sets one of them.
 */
async function subdirectoryTagEnv(o: ReadVersionOptions, src: ReturnType<typeof versionSourceOf>): Promise<Record<string, string>> {
  if (!src.vcs) return {};
  const env = o.env ?? process.env;
  const distName = readPyProjectText(src.text, src.file, { requireCibuildwheel: false }).normalizedName;
  if (Object.keys(pretendVersionEnv(src.vcs, distName, '0')).some((k) => env[k] !== undefined)) return {};
  const { subdir, tags } = await gitTagsAtHead(join(o.workspaceRoot, o.projectRoot));
  if (!subdir) return {};
  const prefix = readProjectTagPattern(o.workspaceRoot, o.projectName ?? distName).prefix;
  const version = subdirectoryTagVersion(subdir, tags, prefix);
  return version ? pretendVersionEnv(src.vcs, distName, version) : {};
}

/**
 * The variables a build from the staging (no `.git`) needs for a VCS-versioned project: the version the
 * back-end computes on the real tree, as its pretend variable ({@link pretendVersionEnv}); empty for a
 * static or non-VCS version, and when the environment already sets one of those variables (it wins).
 */
export async function stagingVersionEnv(o: ReadVersionOptions & { distName: string }): Promise<Record<string, string>> {
  const src = versionSourceOf(o.workspaceRoot, o.projectRoot);
  if (!src.vcs) return {};
  const env = o.env ?? process.env;
  const wanted = pretendVersionEnv(src.vcs, o.distName, '0');
  if (Object.keys(wanted).some((k) => env[k] !== undefined)) return {};
  const v = await readProjectVersion(o);
  return pretendVersionEnv(src.vcs, o.distName, v.version);
}
