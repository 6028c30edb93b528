/** The init generator on @nx/devkit's in-memory Tree: what it writes, what it keeps, idempotence, bad options. */
import { readNxJson, Tree, updateNxJson } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from 'nx/src/generators/testing-utils/create-tree-with-empty-workspace';
import initGenerator, { addGitignoreLines, CHANGELOG_RENDERER, InitGeneratorError, VERSION_ACTIONS } from './generator';

function snapshot(tree: Tree): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of tree.listChanges()) if (c.type !== 'DELETE') out[c.path] = c.content?.toString('utf8') ?? '';
  return out;
}

describe('init generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    tree.write('.gitignore', 'node_modules\n/dist\n');
  });

  it('registers the plugin, ignores its outputs in git and sets release config with package paths', async () => {
    await initGenerator(tree, { skipFormat: true });
    const nx = readNxJson(tree)!;
    expect(nx.plugins).toEqual(['@quiver/nx-wheels']);
    const release = nx.release as Record<string, any>;
    expect(release.projects).toEqual(['tag:type:python-wheels']);
    expect(release.projectsRelationship).toBe('independent');
    expect(release.releaseTag).toEqual({ pattern: '{projectName}-v{version}', requireSemver: false });
    expect(release.version.versionActions).toBe('@quiver/nx-wheels/release/version-actions');
    expect(release.changelog.projectChangelogs.renderer).toBe('@quiver/nx-wheels/release/changelog-renderer');
    expect(VERSION_ACTIONS).not.toMatch(/workspaceRoot|\.ts$/);
    expect(CHANGELOG_RENDERER).not.toMatch(/workspaceRoot|\.ts$/);
    expect(tree.read('.gitignore', 'utf-8')).toBe('node_modules\n/dist\n\n# @quiver/nx-wheels\n**/wheelhouse/\n.nx-wheels/\n__pycache__/\n.pytest_cache/\n');
  });

  it('--projectsRelationship=fixed writes one fixed group with v{version} tags; a bad value is one line', async () => {
    await initGenerator(tree, { skipFormat: true, projectsRelationship: 'fixed' });
    const release = readNxJson(tree)!.release as Record<string, any>;
    expect(release.projectsRelationship).toBe('fixed');
    expect(release.releaseTag).toEqual({ pattern: 'v{version}', requireSemver: false });
    expect(release.git.commitMessage).toBe('chore(release): {version}');
    await expect(initGenerator(createTreeWithEmptyWorkspace(), { skipFormat: true, projectsRelationship: 'grouped' as any })).rejects.toThrow(/^init: INIT_BAD_OPTION: --projectsRelationship=grouped: use "independent"/);
  });

  it('an existing tag pattern without {projectName} keeps a fixed group (it cannot tell projects apart)', async () => {
    const nx = readNxJson(tree)!;
    nx.release = { releaseTag: { pattern: 'release-{version}' } } as any;
    updateNxJson(tree, nx);
    await initGenerator(tree, { skipFormat: true });
    expect((readNxJson(tree)!.release as any).projectsRelationship).toBe('fixed');
  });

  it('is idempotent: a second run changes no byte', async () => {
    await initGenerator(tree, { skipFormat: true });
    const first = snapshot(tree);
    await initGenerator(tree, { skipFormat: true });
    expect(snapshot(tree)).toEqual(first);
  });

  it('keeps an existing plugin entry with its options and every release option already set', async () => {
    const nx = readNxJson(tree)!;
    nx.plugins = [{ plugin: '@quiver/nx-wheels', options: { buildWheelsTargetName: 'wheels', wheelDir: 'out/wheels' } }];
    nx.release = { projects: ['python'], releaseTag: { pattern: 'release-{version}' }, version: { specifierSource: 'prompt' } } as any;
    updateNxJson(tree, nx);
    tree.write('.gitignore', 'wheelhouse/\n.nx-wheels\n');
    await initGenerator(tree, { skipFormat: true });
    const after = readNxJson(tree)!;
    expect(after.plugins).toEqual([{ plugin: '@quiver/nx-wheels', options: { buildWheelsTargetName: 'wheels', wheelDir: 'out/wheels' } }]);
    const release = after.release as Record<string, any>;
    expect(release.projects).toEqual(['python']);
    expect(release.releaseTag).toEqual({ pattern: 'release-{version}', requireSemver: false });
    expect(release.version.specifierSource).toBe('prompt');
    expect(release.version.versionActions).toBe(VERSION_ACTIONS);
    // The plugin's wheel directory from nx.json is the one ignored.
    expect(tree.read('.gitignore', 'utf-8')).toBe('wheelhouse/\n.nx-wheels\n\n# @quiver/nx-wheels\n**/out/wheels/\n__pycache__/\n.pytest_cache/\n');
  });

  it('does not add projects next to release groups (Nx refuses both)', async () => {
    const nx = readNxJson(tree)!;
    nx.release = { groups: { wheels: { projects: ['a'] } } } as any;
    updateNxJson(tree, nx);
    await initGenerator(tree, { skipFormat: true });
    const release = readNxJson(tree)!.release as Record<string, any>;
    expect(release.projects).toBeUndefined();
    expect(release.groups).toEqual({ wheels: { projects: ['a'] } });
  });

  it('--wheelDir goes into the plugin options and .gitignore; --release=false leaves release alone', async () => {
    await initGenerator(tree, { skipFormat: true, wheelDir: 'dist/wheels/', release: false });
    const nx = readNxJson(tree)!;
    expect(nx.plugins).toEqual([{ plugin: '@quiver/nx-wheels', options: { wheelDir: 'dist/wheels' } }]);
    expect(nx.release).toBeUndefined();
    expect(tree.read('.gitignore', 'utf-8')).toContain('**/dist/wheels/\n');
  });

  it('a bad --wheelDir is one error naming the option; nothing is written', async () => {
    const before = snapshot(tree);
    const run = initGenerator(tree, { skipFormat: true, wheelDir: '../outside' });
    await expect(run).rejects.toThrow(InitGeneratorError);
    await expect(initGenerator(tree, { skipFormat: true, wheelDir: '../outside' })).rejects.toThrow(/^init: PLUGIN_OPTION_INVALID: --wheelDir: .*wheelDir is "\.\.\/outside"/);
    expect(snapshot(tree)).toEqual(before);
  });
});

describe('addGitignoreLines', () => {
  it('treats wheelhouse/, /wheelhouse and **/wheelhouse/ as the same line', () => {
    expect(addGitignoreLines('/wheelhouse\n', ['**/wheelhouse/'])).toBe('/wheelhouse\n');
    expect(addGitignoreLines('', ['.nx-wheels/'])).toBe('# @quiver/nx-wheels\n.nx-wheels/\n');
    expect(addGitignoreLines('a', ['b/'])).toBe('a\n\n# @quiver/nx-wheels\nb/\n');
  });
});
