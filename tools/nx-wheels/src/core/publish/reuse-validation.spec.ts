import { decideReuse, ReuseExpectation } from './reuse-validation';

const want: ReuseExpectation = { distribution: 'quiverdb', version: '0.1.0', identifiers: ['cp313-manylinux_x86_64', 'cp312-manylinux_x86_64'], tag: null, maxSize: 100, externalChecks: true, linuxHost: true, sdist: false };
const disk = [
  { file: 'b-cp313.whl', sha256: 'bb', size: 2 },
  { file: 'a-cp312.whl', sha256: 'aa', size: 1 },
];
const report = {
  reportVersion: 1,
  ok: true,
  distribution: 'quiverdb',
  version: '0.1.0',
  tag: null,
  identifiers: ['cp312-manylinux_x86_64', 'cp313-manylinux_x86_64'],
  maxSize: 100,
  externalChecks: { twine: 'ran', auditwheel: 'ran' },
  createdAt: '2026-11-22T07:00:00.000Z',
  wheels: [
    { file: 'a-cp312.whl', sha256: 'aa' },
    { file: 'b-cp313.whl', sha256: 'bb' },
  ],
  sdist: null,
};

describe('decideReuse', () => {
  it('reuses a passed report for the same bytes and expectation (files in name order)', () => {
    expect(decideReuse(report, want, disk)).toEqual({ reuse: true, files: [disk[1], disk[0]], createdAt: report.createdAt });
  });

  it.each<[string, unknown, ReuseExpectation, typeof disk, string]>([
    ['failed', { ...report, ok: false }, want, disk, 'failed validation'],
    ['not a report', { ok: true }, want, disk, 'not a validation report'],
    ['null', null, want, disk, 'not a validation report'],
    ['changed bytes', report, want, [disk[0], { ...disk[1], sha256: 'zz' }], 'a-cp312.whl has changed since the report (sha256 zz)'],
    ['extra file', report, want, [...disk, { file: 'notes.txt', sha256: 'cc', size: 1 }], 'notes.txt is not in the report'],
    ['missing file', report, want, [disk[0]], 'the report lists a-cp312.whl, which is not in the directory'],
    ['other identifiers', report, { ...want, identifiers: ['cp313-manylinux_x86_64'] }, disk, 'other build identifiers'],
    ['other version', report, { ...want, version: '0.2.0' }, disk, 'version 0.1.0, pyproject.toml says 0.2.0'],
    ['other distribution', report, { ...want, distribution: 'other' }, disk, 'is for quiverdb, not other'],
    ['a tag now', report, { ...want, tag: 'v0.1.0' }, disk, 'checked tag none, this run checks v0.1.0'],
    ['larger size limit', { ...report, maxSize: 1000 }, want, disk, 'larger size limit'],
    ['twine did not run', { ...report, externalChecks: { twine: 'off (externalChecks=false)', auditwheel: 'ran' } }, want, disk, 'twine check did not run'],
    ['auditwheel did not run', { ...report, externalChecks: { twine: 'ran', auditwheel: 'not run: auditwheel is not in the toolchain' } }, want, disk, 'auditwheel show did not run'],
    ['sdist expected', report, { ...want, sdist: true }, disk, 'has no sdist'],
    ['sdist not expected', { ...report, sdist: { file: 'q.tar.gz', sha256: 'dd', size: 1 } }, want, disk, 'has an sdist'],
  ])('validates again when %s', (_name, r, w, d, reason) => {
    const got = decideReuse(r, w, d);
    expect(got.reuse).toBe(false);
    expect(got.reuse === false && got.reason).toContain(reason);
  });

  it('a stricter report still counts: smaller size limit; external checks off in this run', () => {
    expect(decideReuse({ ...report, maxSize: 50 }, want, disk).reuse).toBe(true);
    expect(decideReuse({ ...report, externalChecks: { twine: 'off', auditwheel: 'off' } }, { ...want, externalChecks: false }, disk).reuse).toBe(true);
  });

  it('with an sdist, its sha256 must match too', () => {
    const withSdist = { ...report, sdist: { file: 'q.tar.gz', sha256: 'dd', size: 1 } };
    const sd = { file: 'q.tar.gz', sha256: 'dd', size: 1 };
    expect(decideReuse(withSdist, { ...want, sdist: true }, [...disk, sd]).reuse).toBe(true);
    expect(decideReuse(withSdist, { ...want, sdist: true }, [...disk, { ...sd, sha256: 'ee' }]).reuse).toBe(false);
  });
});
