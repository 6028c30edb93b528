import { projectTagPattern, tagPrefixFor, versionOfTag } from './release-tag';

describe('tagPrefixFor', () => {
  it.each([
    ['v{version}', {}, 'v'],
    ['{projectName}-v{version}', { projectName: 'quiverdb' }, 'quiverdb-v'],
    ['{releaseGroupName}/{projectName}@{version}', { projectName: 'a', releaseGroupName: 'g' }, 'g/a@'],
    ['{projectName}-v{version}', {}, null],
    ['v{version}-final', {}, null],
    ['{version}', {}, ''],
  ])('%s with %j -> %s', (pattern, values, want) => {
    expect(tagPrefixFor(pattern, values)).toBe(want);
  });
});

describe('versionOfTag', () => {
  it.each([
    ['quiverdb-v1.4.0rc1', 'quiverdb-v', '1.4.0rc1'],
    ['refs/tags/quiverdb-v1.4.0-rc.1', 'quiverdb-v', '1.4.0rc1'],
    ['quiverdb-v1.2.3', 'quiver-v', null],
    ['quiver-v1.2.3', 'quiverdb-v', null],
    ['v1.2.3+local', 'v', null],
    ['vNext', 'v', null],
  ])('%s under %s -> %s', (tag, prefix, want) => {
    expect(versionOfTag(tag, prefix)).toBe(want);
  });
});

describe('projectTagPattern (nx.json release)', () => {
  const glob = (p: string, n: string) => new RegExp(`^${p.replace(/\*/g, '.*')}$`).test(n);
  it('top-level independent pattern resolves per project', () => {
    const r = projectTagPattern({ projects: ['tag:type:python-wheels'], projectsRelationship: 'independent', releaseTag: { pattern: '{projectName}-v{version}' } }, 'iniconfig', ['type:python-wheels']);
    expect(r).toEqual({ pattern: '{projectName}-v{version}', prefix: 'iniconfig-v', group: '__default__', relationship: 'independent' });
  });
  it("quiver's own workspace: one fixed project, v{version}", () => {
    expect(projectTagPattern({ projects: ['python'], projectsRelationship: 'fixed', releaseTag: { pattern: 'v{version}' } }, 'python', []).prefix).toBe('v');
  });
  it('a group selecting the project by name, tag or glob wins over the top level; defaults follow Nx', () => {
    const release = {
      releaseTag: { pattern: 'v{version}' },
      groups: {
        libs: { projects: ['lib-*', '!lib-x'], projectsRelationship: 'independent' },
        apps: { projects: ['tag:app'], releaseTag: { pattern: 'app-{version}' } },
      },
    };
    expect(projectTagPattern(release, 'lib-a', [], glob)).toMatchObject({ group: 'libs', prefix: 'v', relationship: 'independent' });
    expect(projectTagPattern(release, 'b', ['app'], glob)).toMatchObject({ group: 'apps', prefix: 'app-', relationship: 'fixed' });
    expect(projectTagPattern({ projectsRelationship: 'independent' }, 'p', []).prefix).toBe('p@');
    expect(projectTagPattern(undefined, 'p', []).prefix).toBe('v');
  });
  it('a pattern with text after {version} is one line naming it', () => {
    expect(() => projectTagPattern({ releaseTag: { pattern: 'v{version}-final' } }, 'p', [])).toThrow(/^nx\.json release\.releaseTag\.pattern "v\{version\}-final" \(project p\) is not <text>\{version\}/);
  });
});
