/** The publish decision (release completeness, then upload / skip / refuse per file), row by row. */
import { BuildIdentifier, parseIdentifier, Platform } from '../identifiers';
import { conflictError, LocalFile, partialReleaseLine, planPublish, planUploads, releaseIncompleteError } from './plan';
import { IndexFile } from './simple-index';

const LINUX = 'cp313-manylinux_x86_64';
const WIN = 'cp313-win_amd64';
const LINUX_WHL = 'quiverdb-0.1.0-cp313-cp313-manylinux_2_28_x86_64.whl';
const WIN_WHL = 'quiverdb-0.1.0-cp313-cp313-win_amd64.whl';
const SDIST = 'quiverdb-0.1.0.tar.gz';
const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);

const ids = (...xs: string[]): BuildIdentifier[] => xs.map((x) => parseIdentifier(x)!);
const local = (file: string, sha256: string): LocalFile => ({ file, sha256, size: 1 });
const remote = (filename: string, sha256: string | null): IndexFile => ({ filename, url: `http://i/${filename}`, sha256, uploadTime: null });

interface Row {
  release: Platform[];
  requested: Platform[];
  expected: string[];
  wheels: string[];
  allowPartial: boolean;
  local: LocalFile[];
  remote: IndexFile[] | null;
}
const row = (r: Partial<Row>): Row => ({ release: ['linux', 'windows'], requested: ['linux', 'windows'], expected: [LINUX, WIN], wheels: [LINUX_WHL, WIN_WHL], allowPartial: false, local: [], remote: [], ...r });

describe('planPublish', () => {
  it.each<[string, Row, { stop: string | null; missing: string[]; partial: boolean; selected: string[]; actions: string[]; uploads: string[] }]>([
    ['complete release, empty index: upload all', row({ local: [local(LINUX_WHL, A), local(WIN_WHL, B)] }), { stop: null, missing: [], partial: false, selected: [LINUX, WIN], actions: ['upload', 'upload'], uploads: [LINUX_WHL, WIN_WHL] }],
    ['one already there with the same sha256: skip it', row({ local: [local(LINUX_WHL, A), local(WIN_WHL, B)], remote: [remote(LINUX_WHL, A)] }), { stop: null, missing: [], partial: false, selected: [LINUX, WIN], actions: ['skip', 'upload'], uploads: [WIN_WHL] }],
    ['all there: nothing to upload', row({ local: [local(LINUX_WHL, A), local(WIN_WHL, B)], remote: [remote(WIN_WHL, B), remote(LINUX_WHL, A)] }), { stop: null, missing: [], partial: false, selected: [LINUX, WIN], actions: ['skip', 'skip'], uploads: [] }],
    ['same name, other bytes: refuse', row({ local: [local(LINUX_WHL, A), local(WIN_WHL, B)], remote: [remote(WIN_WHL, C)] }), { stop: 'INDEX_FILE_CONFLICT', missing: [], partial: false, selected: [LINUX, WIN], actions: ['upload', 'conflict'], uploads: [LINUX_WHL] }],
    ['listed without a digest: a conflict (the caller hashes first)', row({ local: [local(LINUX_WHL, A), local(WIN_WHL, B)], remote: [remote(LINUX_WHL, null)] }), { stop: 'INDEX_FILE_CONFLICT', missing: [], partial: false, selected: [LINUX, WIN], actions: ['conflict', 'upload'], uploads: [WIN_WHL] }],
    ['other files of the project on the index do not matter', row({ local: [local(LINUX_WHL, A), local(WIN_WHL, B)], remote: [remote('quiverdb-0.0.9-cp313-cp313-win_amd64.whl', C)] }), { stop: null, missing: [], partial: false, selected: [LINUX, WIN], actions: ['upload', 'upload'], uploads: [LINUX_WHL, WIN_WHL] }],
    ['the sdist is planned like a wheel', row({ local: [local(LINUX_WHL, A), local(WIN_WHL, B), local(SDIST, C)], remote: [remote(SDIST, C)] }), { stop: null, missing: [], partial: false, selected: [LINUX, WIN], actions: ['upload', 'upload', 'skip'], uploads: [LINUX_WHL, WIN_WHL] }],
    ['Linux wheel only: release incomplete, names the Windows identifier', row({ wheels: [LINUX_WHL], local: [local(LINUX_WHL, A)] }), { stop: 'RELEASE_INCOMPLETE', missing: [WIN], partial: false, selected: [LINUX, WIN], actions: ['upload'], uploads: [LINUX_WHL] }],
    ['incomplete beats a conflict', row({ wheels: [LINUX_WHL], local: [local(LINUX_WHL, A)], remote: [remote(LINUX_WHL, C)] }), { stop: 'RELEASE_INCOMPLETE', missing: [WIN], partial: false, selected: [LINUX, WIN], actions: ['conflict'], uploads: [] }],
    ['Linux wheel only, allowPartial: a partial release of the Linux wheel', row({ wheels: [LINUX_WHL], allowPartial: true, local: [local(LINUX_WHL, A)] }), { stop: null, missing: [WIN], partial: true, selected: [LINUX], actions: ['upload'], uploads: [LINUX_WHL] }],
    ['allowPartial with a conflict still refuses', row({ wheels: [LINUX_WHL], allowPartial: true, local: [local(LINUX_WHL, A)], remote: [remote(LINUX_WHL, C)] }), { stop: 'INDEX_FILE_CONFLICT', missing: [WIN], partial: true, selected: [LINUX], actions: ['conflict'], uploads: [] }],
    ['no wheel at all, even with allowPartial: incomplete', row({ wheels: [], allowPartial: true }), { stop: 'RELEASE_INCOMPLETE', missing: [LINUX, WIN], partial: false, selected: [LINUX, WIN], actions: [], uploads: [] }],
    ['wheels that match no identifier do not count (validation reports them)', row({ wheels: ['quiverdb-0.1.0-cp312-cp312-macosx_11_0_arm64.whl', LINUX_WHL] }), { stop: 'RELEASE_INCOMPLETE', missing: [WIN], partial: false, selected: [LINUX, WIN], actions: [], uploads: [] }],
    ['only linux requested of a linux+windows release: incomplete', row({ requested: ['linux'], expected: [LINUX], wheels: [LINUX_WHL] }), { stop: 'RELEASE_INCOMPLETE', missing: [], partial: false, selected: [LINUX], actions: [], uploads: [] }],
    ['only linux requested, allowPartial: partial', row({ requested: ['linux'], expected: [LINUX], wheels: [LINUX_WHL], allowPartial: true, local: [local(LINUX_WHL, A)] }), { stop: null, missing: [], partial: true, selected: [LINUX], actions: ['upload'], uploads: [LINUX_WHL] }],
    ['release-platforms = ["linux"]: the Linux wheel is the release', row({ release: ['linux'], requested: ['linux'], expected: [LINUX], wheels: [LINUX_WHL], local: [local(LINUX_WHL, A)] }), { stop: null, missing: [], partial: false, selected: [LINUX], actions: ['upload'], uploads: [LINUX_WHL] }],
    ['index not read yet (remote null): only the release is decided', row({ local: [local(LINUX_WHL, A), local(WIN_WHL, B)], remote: null }), { stop: null, missing: [], partial: false, selected: [LINUX, WIN], actions: [], uploads: [] }],
    ['index not read yet, incomplete', row({ wheels: [WIN_WHL], remote: null }), { stop: 'RELEASE_INCOMPLETE', missing: [LINUX], partial: false, selected: [LINUX, WIN], actions: [], uploads: [] }],
  ])('%s', (_name, r, want) => {
    const plan = planPublish({ scope: { releasePlatforms: r.release, requestedPlatforms: r.requested, expected: ids(...r.expected), wheels: r.wheels, allowPartial: r.allowPartial }, local: r.local, remote: r.remote });
    expect(plan.stop?.code ?? null).toBe(want.stop);
    expect(plan.release.missing).toEqual(want.missing);
    expect(plan.release.partial).toBe(want.partial);
    expect(plan.release.selected).toEqual(want.selected);
    expect(plan.files.map((f) => f.action)).toEqual(want.actions);
    expect(plan.uploads).toEqual(want.uploads);
    expect(plan.skips).toEqual(plan.files.filter((f) => f.action === 'skip').map((f) => f.file));
  });

  it.each([
    ['declared abi3 from cp39: one wheel per platform covers cp39..cp313', { pythonTag: 'cp39', source: 'pyproject.toml [tool.nx-wheels] abi3' }, ['b-1-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', 'b-1-cp39-abi3-win_amd64.whl'], null, []],
    ['declared abi3, the Windows abi3 wheel missing: incomplete, naming every Windows identifier', { pythonTag: 'cp39', source: 's' }, ['b-1-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl'], 'RELEASE_INCOMPLETE', ['cp39-win_amd64', 'cp310-win_amd64', 'cp311-win_amd64', 'cp312-win_amd64', 'cp313-win_amd64']],
    ['declared from cp312: the abi3 wheel does not serve cp310/cp311, which then miss', { pythonTag: 'cp312', source: 's' }, ['b-1-cp312-abi3-manylinux_2_28_x86_64.whl', 'b-1-cp312-abi3-win_amd64.whl'], 'RELEASE_INCOMPLETE', ['cp310-manylinux_x86_64', 'cp311-manylinux_x86_64', 'cp310-win_amd64', 'cp311-win_amd64']],
  ] as const)('stable ABI: %s', (_name, abi3, wheels, stop, missing) => {
    const expected = ids(...['cp39', 'cp310', 'cp311', 'cp312', 'cp313'].filter((py) => abi3.pythonTag !== 'cp312' || py !== 'cp39').flatMap((py) => [`${py}-manylinux_x86_64`]), ...['cp39', 'cp310', 'cp311', 'cp312', 'cp313'].filter((py) => abi3.pythonTag !== 'cp312' || py !== 'cp39').map((py) => `${py}-win_amd64`));
    const plan = planPublish({ scope: { releasePlatforms: ['linux', 'windows'], requestedPlatforms: ['linux', 'windows'], expected, wheels: [...wheels], allowPartial: false }, local: [], remote: null });
    expect(plan.stop?.code ?? null).toBe(stop);
    expect(plan.release.missing).toEqual(missing);
  });

  it('identifiers given directly (exact) are the whole release: no platform comparison', () => {
    const plan = planPublish({ scope: { releasePlatforms: ['linux', 'windows'], requestedPlatforms: ['linux', 'windows'], expected: ids(LINUX), exact: true, wheels: [LINUX_WHL], allowPartial: false }, local: [local(LINUX_WHL, A)], remote: [] });
    expect(plan.stop).toBeNull();
    expect(plan.uploads).toEqual([LINUX_WHL]);
  });

  it('the re-check after "file exists" is the same decision on one file and a fresh listing', () => {
    const scope = { releasePlatforms: ['linux'] as Platform[], requestedPlatforms: ['linux'] as Platform[], expected: ids(LINUX), wheels: [LINUX_WHL], allowPartial: false };
    expect(planPublish({ scope, local: [local(LINUX_WHL, A)], remote: [remote(LINUX_WHL, A)] }).files[0]).toMatchObject({ action: 'skip', remoteSha256: A });
    expect(planPublish({ scope, local: [local(LINUX_WHL, A)], remote: [remote(LINUX_WHL, B)] }).files[0]).toMatchObject({ action: 'conflict', remoteSha256: B });
    expect(planPublish({ scope, local: [local(LINUX_WHL, A)], remote: [] }).files[0]).toMatchObject({ action: 'upload', remoteSha256: null });
    expect(planUploads([local(LINUX_WHL, A)], [remote(LINUX_WHL, B)])[0].action).toBe('conflict');
  });
});

describe('messages', () => {
  const ctx = { distribution: 'quiverdb', version: '0.1.0', wheelDir: 'bindings/python/wheelhouse', releasePlatforms: ['linux', 'windows'] as Platform[], releasePlatformsSource: 'the default' };
  it('RELEASE_INCOMPLETE: one line naming the missing identifiers, the fix and --allowPartial', () => {
    const plan = planPublish({ scope: { releasePlatforms: ['linux', 'windows'], requestedPlatforms: ['linux', 'windows'], expected: ids(LINUX, WIN), wheels: [LINUX_WHL], allowPartial: false }, local: [], remote: null });
    const e = releaseIncompleteError(plan.stop as Extract<typeof plan.stop, { code: 'RELEASE_INCOMPLETE' }>, plan.release, ctx);
    expect(e.code).toBe('RELEASE_INCOMPLETE');
    expect(e.message).not.toContain('\n');
    expect(e.message).toMatch(/^RELEASE_INCOMPLETE: release quiverdb 0\.1\.0 is incomplete in bindings\/python\/wheelhouse: no wheel for cp313-win_amd64; .*nothing was uploaded: build the missing wheels on their hosts .*--allowPartial to upload only cp313-manylinux_x86_64/);
  });
  it('RELEASE_INCOMPLETE with nothing present says --allowPartial cannot help; platforms not requested are named', () => {
    const none = planPublish({ scope: { releasePlatforms: ['linux', 'windows'], requestedPlatforms: ['linux'], expected: ids(LINUX), wheels: [], allowPartial: true }, local: [], remote: null });
    const e = releaseIncompleteError(none.stop as Extract<typeof none.stop, { code: 'RELEASE_INCOMPLETE' }>, none.release, ctx);
    expect(e.message).toContain('no wheel for cp313-manylinux_x86_64; platform windows not requested (option platforms)');
    expect(e.message).toContain('nothing of it to upload even with --allowPartial');
  });
  it('PARTIAL RELEASE line and the conflict error', () => {
    const plan = planPublish({ scope: { releasePlatforms: ['linux', 'windows'], requestedPlatforms: ['linux', 'windows'], expected: ids(LINUX, WIN), wheels: [LINUX_WHL], allowPartial: true }, local: [], remote: null });
    expect(partialReleaseLine(plan.release)).toBe('PARTIAL RELEASE (--allowPartial): no wheel for cp313-win_amd64; only cp313-manylinux_x86_64 will be published.');
    const c = conflictError({ file: LINUX_WHL, sha256: A, remoteSha256: B }, 'https://pypi.org/simple/');
    expect(c.code).toBe('INDEX_FILE_CONFLICT');
    expect(c.message).toContain(A);
    expect(c.message).toContain(B);
  });
});
