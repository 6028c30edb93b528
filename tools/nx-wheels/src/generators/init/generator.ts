/**
 * `nx add @quiver/nx-wheels` / `nx g @quiver/nx-wheels:init`: sets a workspace up for the plugin.
 *
 * 1. nx.json `plugins`: adds `@quiver/nx-wheels` unless it is there already (as a string or as
 *    `{ plugin, options }`; existing options are kept; `--wheelDir` is written into the options).
 * 2. .gitignore: adds the wheel directory (`**\/<wheelDir>/`), `.nx-wheels/` (toolchain venv, caches,
 *    reports), `__pycache__/` and `.pytest_cache/` unless an equivalent line is there.
 * 3. nx.json `release` (unless `--release=false`): fills in every key of {@link defaultReleaseConfig}
 *    that is not set yet, recursively; keys already set are never changed. Independent releases by
 *    default (each wheel project its own version and tag `{projectName}-v{version}`: packages that
 *    merely share a repository never share a version by accident); `--projectsRelationship=fixed`
 *    writes one fixed group with `v{version}` tags (one version for all). A release config whose tag
 *    pattern is already set without `{projectName}` gets `fixed` (such a pattern cannot tell projects apart).
 *
 * Idempotent: a second run leaves every file byte for byte as the first left it.
 */
import { formatFiles, GeneratorCallback, readNxJson, Tree, updateNxJson } from '@nx/devkit';
import type { NxJsonConfiguration } from '@nx/devkit';
import type { ErrorCode } from '../../core/error-catalog';
import { isQuiverError, QuiverError } from '../../core/errors';
import { PLUGIN_PACKAGE, resolvePluginOptions } from '../../plugin/options';
import { DEFAULT_FIXED_TAG_PATTERN, DEFAULT_INDEPENDENT_TAG_PATTERN } from '../../core/release-tag';
import { runGenerator } from '../run';
import type { InitGeneratorSchema } from './schema';

/** The tag every inferred wheel project carries; release.projects selects them by it. */
export const WHEEL_PROJECT_TAG = 'type:python-wheels';

/** Module paths inside the package (resolved from the workspace root, never a workspace path). */
export const VERSION_ACTIONS = `${PLUGIN_PACKAGE}/release/version-actions`;
export const CHANGELOG_RENDERER = `${PLUGIN_PACKAGE}/release/changelog-renderer`;

/** Bad input to the init generator: one line naming the option and the fix. */
export class InitGeneratorError extends QuiverError {
  constructor(message: string, code: ErrorCode = 'INIT_BAD_OPTION') {
    super(code, message);
    this.name = 'InitGeneratorError';
  }
}

/**
 * Nx release config for wheel projects: the projects tagged `type:python-wheels`, versions read and
 * written in pyproject.toml as PEP 440 by the plugin's VersionActions (a VCS version is the tag),
 * next version from conventional commits since the project's last release tag (else the version on
 * disk), project CHANGELOG.md files rendered by the plugin's renderer (from the first commit on the
 * first release).
 * @param relationship `independent` (default): each project its own version and `{projectName}-v{version}`
 *   tag, one release commit listing the projects; `fixed`: one version for all, `v{version}` tags
 */
export function defaultReleaseConfig(relationship: 'independent' | 'fixed' = 'independent'): NonNullable<NxJsonConfiguration['release']> {
  const fixed = relationship === 'fixed';
  return {
    projects: [`tag:${WHEEL_PROJECT_TAG}`],
    projectsRelationship: relationship,
    releaseTag: { pattern: fixed ? DEFAULT_FIXED_TAG_PATTERN : DEFAULT_INDEPENDENT_TAG_PATTERN, requireSemver: false },
    version: {
      versionActions: VERSION_ACTIONS,
      specifierSource: 'conventional-commits',
      currentVersionResolver: 'git-tag',
      fallbackCurrentVersionResolver: 'disk',
    },
    changelog: {
      workspaceChangelog: false,
      // The first release (no release tag yet) takes its changelog from the first commit.
      automaticFromRef: true,
      projectChangelogs: {
        file: '{projectRoot}/CHANGELOG.md',
        createRelease: false,
        renderer: CHANGELOG_RENDERER,
      },
    },
    // Independent: Nx lists each released project and its version in the commit body.
    git: { commit: true, commitMessage: fixed ? 'chore(release): {version}' : 'chore(release): publish', tag: true },
  } as NonNullable<NxJsonConfiguration['release']>;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `target` with every key of `defaults` it lacks added (recursively into objects); set keys win. */
export function fillMissing(target: Record<string, unknown>, defaults: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(defaults)) {
    if (out[k] === undefined) out[k] = v;
    else if (isPlainObject(out[k]) && isPlainObject(v)) out[k] = fillMissing(out[k] as Record<string, unknown>, v);
  }
  return out;
}

type PluginEntry = NonNullable<NxJsonConfiguration['plugins']>[number];

function entryName(p: PluginEntry): string {
  return typeof p === 'string' ? p : p.plugin;
}

/** .gitignore lines the plugin's outputs need, for wheel directory `wheelDir`. */
export function gitignoreLines(wheelDir: string): string[] {
  return [`**/${wheelDir}/`, '.nx-wheels/', '__pycache__/', '.pytest_cache/'];
}

/** A .gitignore line reduced to what it matches, so `wheelhouse/`, `/wheelhouse` and `**\/wheelhouse/` compare equal. */
function normalizeIgnore(line: string): string {
  return line.trim().replace(/^\*\*\//, '').replace(/^\//, '').replace(/\/$/, '');
}

/** `text` (a .gitignore) with the lines of `wanted` it lacks appended under one comment. */
export function addGitignoreLines(text: string, wanted: string[]): string {
  const have = new Set(text.split(/\r?\n/).map(normalizeIgnore));
  const missing = wanted.filter((l) => !have.has(normalizeIgnore(l)));
  if (missing.length === 0) return text;
  const prefix = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return `${prefix}${prefix === '' ? '' : '\n'}# @quiver/nx-wheels\n${missing.join('\n')}\n`;
}

/** The init generator (see the module comment). Throws {@link InitGeneratorError} on a bad option or nx.json plugin options. */
export default function initGenerator(tree: Tree, options: InitGeneratorSchema = {}): Promise<GeneratorCallback> {
  return runGenerator('init', () => generateInit(tree, options));
}

async function generateInit(tree: Tree, options: InitGeneratorSchema): Promise<GeneratorCallback> {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = [...(nxJson.plugins ?? [])];
  const index = plugins.findIndex((p) => entryName(p) === PLUGIN_PACKAGE);
  const existing = index >= 0 ? plugins[index] : undefined;
  const existingOptions = existing && typeof existing !== 'string' && isPlainObject(existing.options) ? (existing.options as Record<string, unknown>) : {};

  let wheelDir: string;
  try {
    if (options.wheelDir !== undefined) {
      wheelDir = resolvePluginOptions({ ...existingOptions, wheelDir: options.wheelDir }).wheelDir;
    } else {
      wheelDir = resolvePluginOptions(existingOptions).wheelDir;
    }
  } catch (e) {
    const where = options.wheelDir !== undefined ? '--wheelDir' : `nx.json plugins["${PLUGIN_PACKAGE}"].options`;
    throw new InitGeneratorError(`${where}: ${(e as Error).message}`, isQuiverError(e) ? e.code : 'INIT_BAD_OPTION');
  }

  const wantOptions = options.wheelDir !== undefined && wheelDir !== 'wheelhouse' && existingOptions['wheelDir'] !== wheelDir;
  if (!existing) {
    plugins.push(wantOptions ? { plugin: PLUGIN_PACKAGE, options: { wheelDir } } : PLUGIN_PACKAGE);
  } else if (wantOptions) {
    plugins[index] = { ...(typeof existing === 'string' ? { plugin: PLUGIN_PACKAGE } : existing), options: { ...existingOptions, wheelDir } };
  }
  const next: NxJsonConfiguration = { ...nxJson, plugins };
  if (options.release !== false) {
    const current = isPlainObject(nxJson.release) ? (nxJson.release as Record<string, unknown>) : {};
    const rel = options.projectsRelationship;
    if (rel !== undefined && rel !== 'independent' && rel !== 'fixed') {
      throw new InitGeneratorError(`--projectsRelationship=${String(rel)}: use "independent" (each wheel project its own version and tag, the default) or "fixed" (one version and v{version} tag for all).`);
    }
    const setPattern = isPlainObject(current['releaseTag']) ? (current['releaseTag'] as Record<string, unknown>)['pattern'] : undefined;
    const relationship = rel ?? (typeof current['projectsRelationship'] === 'string' ? (current['projectsRelationship'] as 'fixed' | 'independent') : typeof setPattern === 'string' && !setPattern.includes('{projectName}') ? 'fixed' : 'independent');
    const defaults = defaultReleaseConfig(relationship) as Record<string, unknown>;
    // Nx refuses `projects` next to `groups`: a workspace with release groups keeps its own selection.
    if (current['groups'] !== undefined) {
      delete defaults['projects'];
      delete defaults['projectsRelationship'];
    }
    next.release = fillMissing(current, defaults) as NxJsonConfiguration['release'];
  }
  if (JSON.stringify(next) !== JSON.stringify(nxJson)) updateNxJson(tree, next);

  const before = tree.exists('.gitignore') ? tree.read('.gitignore', 'utf-8') ?? '' : '';
  const after = addGitignoreLines(before, gitignoreLines(wheelDir));
  if (after !== before) tree.write('.gitignore', after);

  if (!options.skipFormat) await formatFiles(tree);
  return () => undefined;
}

export { initGenerator };
