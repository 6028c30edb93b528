/**
 * The release tag prefix of a project, from the workspace's nx.json (`release`, see
 * core/release-tag.ts {@link projectTagPattern}): what validate-release, validate-wheels and
 * publish compare tags with when no prefix option is given.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { QuiverError } from '../core/errors';
import { projectTagPattern, ProjectTagPattern } from '../core/release-tag';

/**
 * The project's release tag pattern and prefix per `<workspaceRoot>/nx.json` (Nx's default
 * `v{version}` when there is no nx.json or no `release`).
 * @param projectTags the project's Nx tags (for `tag:` entries of release groups)
 * @throws QuiverError `NX_JSON_SYNTAX` (nx.json is not JSON), `RELEASE_TAG_PATTERN`
 */
export function readProjectTagPattern(workspaceRoot: string, projectName: string, projectTags: readonly string[] = []): ProjectTagPattern {
  const file = join(workspaceRoot, 'nx.json');
  let release: unknown;
  if (existsSync(file)) {
    try {
      release = (JSON.parse(readFileSync(file, 'utf8')) as { release?: unknown }).release;
    } catch (e) {
      throw new QuiverError('NX_JSON_SYNTAX', `nx.json: not valid JSON (${(e as Error).message.split('\n')[0]}); fix the file.`);
    }
  }
  return projectTagPattern(release, projectName, projectTags, (pattern, name) => picomatch.isMatch(name, pattern));
}
