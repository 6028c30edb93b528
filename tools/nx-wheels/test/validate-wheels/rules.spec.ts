/** Pure parts of validate-wheels: parsers, platform tags, options, codes and their documentation, the inferred target. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inferTargets } from '../../src/plugin/targets';
import { ALL_CODES } from '../../src/core/validation/codes';
import { auditwheelFindings, twineFindings } from '../../src/core/validation/external';
import { isCanonicalRecordDigest, parseHeaders, parseRecord } from '../../src/core/validation/formats';
import { claimedPolicy, isPypiPlatformTag } from '../../src/core/validation/platform-tags';
import { DEFAULT_MAX_SIZE, resolveMaxSize, resolvePlatforms, resolveTag } from '../../src/core/validation/options';
import { formatSha256Sums } from '../../src/core/validation/report';
import { WORKSPACE } from './fixtures';

describe('formats', () => {
  it('parses RECORD as csv, quoted fields included, and reports malformed rows', () => {
    const { rows, badLines } = parseRecord('a.py,sha256=x,1\n"b,c.py",sha256=y,2\r\nbad-row\n\nd/RECORD,,\n');
    expect(rows.map((r) => r.path)).toEqual(['a.py', 'b,c.py', 'd/RECORD']);
    expect(badLines).toEqual([3]);
  });
  it('parses header blocks with continuation lines and repeated keys', () => {
    const { headers } = parseHeaders('Wheel-Version: 1.0\nTag: a\nTag: b\nSummary: one\n  two\n\nbody: not a header\n');
    expect(headers.get('tag')).toEqual(['a', 'b']);
    expect(headers.get('summary')).toEqual(['one\ntwo']);
    expect(headers.has('body')).toBe(false);
  });
  it('knows the canonical RECORD digest form', () => {
    expect(isCanonicalRecordDigest('47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU')).toBe(true);
    expect(isCanonicalRecordDigest('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=')).toBe(false);
  });
});

describe('platform tags', () => {
  it('accepts what PyPI accepts and refuses plain linux tags', () => {
    for (const t of ['manylinux_2_17_x86_64', 'manylinux2014_aarch64', 'musllinux_1_2_x86_64', 'win_amd64', 'win32', 'macosx_11_0_arm64', 'any', 'linux_armv7l']) expect(isPypiPlatformTag(t)).toBe(true);
    for (const t of ['linux_x86_64', 'linux_aarch64', 'manylinux_2_17_sparc', 'win_x64']) expect(isPypiPlatformTag(t)).toBe(false);
  });
  it('takes the oldest libc of a compressed tag set as the claimed policy', () => {
    expect(claimedPolicy(['manylinux_2_17_x86_64', 'manylinux2014_x86_64'])?.name).toBe('manylinux_2_17');
    expect(claimedPolicy(['manylinux_2_28_x86_64', 'manylinux1_x86_64'])?.name).toBe('manylinux_2_5');
    expect(claimedPolicy(['win_amd64'])).toBeNull();
  });
});

describe('external tool output', () => {
  it('reads auditwheel show, wrapped lines included', () => {
    const out = { exitCode: 0, stderr: '', stdout: '\nx.whl is consistent\nwith the following platform tag: "manylinux_2_34_x86_64".\n' };
    expect(auditwheelFindings('x.whl', ['manylinux_2_34_x86_64'], out).findings).toEqual([]);
    expect(auditwheelFindings('x.whl', ['manylinux_2_17_x86_64', 'manylinux2014_x86_64'], out).findings.map((f) => f.code)).toEqual(['AUDITWHEEL_POLICY_MISMATCH']);
    expect(auditwheelFindings('x.whl', ['manylinux_2_17_x86_64'], { exitCode: 1, stdout: '', stderr: 'Traceback\nzipfile.BadZipFile: File is not a zip file\n' }).findings[0]).toMatchObject({ code: 'AUDITWHEEL_FAILED', message: expect.stringContaining('BadZipFile') });
  });
  it('reads twine check errors and warnings', () => {
    const out = { exitCode: 1, stderr: '', stdout: 'Checking dist/x.whl: FAILED\nERROR    `long_description` has syntax errors in markup\nWARNING  `long_description_content_type` missing\n' };
    expect(twineFindings('x.whl', out).map((f) => [f.code, f.severity])).toEqual([['TWINE_CHECK_FAILED', 'error'], ['TWINE_STRICT_WARNING', 'warning']]);
    expect(twineFindings('x.whl', out, true).map((f) => f.code)).toEqual(['TWINE_CHECK_FAILED', 'TWINE_CHECK_FAILED']);
    expect(twineFindings('x.whl', { exitCode: 0, stdout: 'Checking x.whl: PASSED', stderr: '' })).toEqual([]);
  });
});

describe('options', () => {
  it('resolves platforms', () => {
    expect(resolvePlatforms(undefined, 'linux')).toEqual(['linux']);
    expect(resolvePlatforms('host', 'win32')).toEqual(['windows']);
    expect(resolvePlatforms('linux,windows', 'linux')).toEqual(['linux', 'windows']);
    expect(resolvePlatforms(['windows', 'linux', 'windows'], 'linux')).toEqual(['windows', 'linux']);
    expect(() => resolvePlatforms('macos', 'linux')).toThrow(/BAD_OPTION_PLATFORMS|not one of/);
  });
  it.each([
    // option, host, release platforms, fallback, expected
    [undefined, 'linux', undefined, 'release', ['linux', 'windows']],
    [undefined, 'linux', ['linux'], 'release', ['linux']],
    ['release', 'win32', ['windows', 'linux'], 'host', ['windows', 'linux']],
    ['linux,release', 'linux', ['windows'], 'host', ['linux', 'windows']],
    [['release', 'host'], 'win32', ['linux'], 'host', ['linux', 'windows']],
    [undefined, 'win32', ['linux'], 'host', ['windows']],
  ] as const)('platforms %j on %s with release-platforms %j (absent option = %s) -> %j', (option, host, release, fallback, expected) => {
    expect(resolvePlatforms(option as string | string[] | undefined, host, release as ('linux' | 'windows')[] | undefined, fallback)).toEqual(expected);
  });
  it('takes the tag from the option, a tag ref, or a tag ref name; never from a branch', () => {
    expect(resolveTag('v1.2.3', { GITHUB_REF: 'refs/tags/v9' })).toEqual({ value: 'v1.2.3', source: 'option tag' });
    expect(resolveTag(undefined, { GITHUB_REF: 'refs/tags/v1.2.3-rc1' })).toEqual({ value: 'refs/tags/v1.2.3-rc1', source: 'GITHUB_REF' });
    expect(resolveTag(undefined, { GITHUB_REF_NAME: 'v1.2.3', GITHUB_REF_TYPE: 'tag', GITHUB_REF: 'refs/tags/v1.2.3' })?.value).toBe('refs/tags/v1.2.3');
    expect(resolveTag(undefined, { GITHUB_REF_NAME: 'main', GITHUB_REF_TYPE: 'branch', GITHUB_REF: 'refs/heads/main' })).toBeNull();
    expect(resolveTag(undefined, {})).toBeNull();
  });
  it('checks maxSize', () => {
    expect(resolveMaxSize(undefined)).toBe(DEFAULT_MAX_SIZE);
    expect(resolveMaxSize(5)).toBe(5);
    expect(() => resolveMaxSize(-1)).toThrow(/maxSize/);
  });
});

describe('codes', () => {
  it('are UPPER_SNAKE and each is documented in docs/validation-codes.md', () => {
    const doc = readFileSync(join(WORKSPACE, 'docs', 'validation-codes.md'), 'utf8');
    for (const c of ALL_CODES) {
      expect(c).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(doc).toContain(`\`${c}\``);
    }
    const documented = [...doc.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...ALL_CODES].sort());
  });
});

describe('SHA256SUMS', () => {
  it('is in sha256sum format, sorted by file', () => {
    expect(formatSha256Sums([{ file: 'b.whl', sha256: 'b'.repeat(64) }, { file: 'a.whl', sha256: 'a'.repeat(64) }, { file: 'c.whl', sha256: null }])).toBe(`${'a'.repeat(64)}  a.whl\n${'b'.repeat(64)}  b.whl\n`);
  });
});

describe('inferred validate-wheels target', () => {
  it('depends on build-wheels, is never cached (a verdict is about the files read in that run), and names the reports', () => {
    const t = inferTargets({ projectRoot: 'bindings/python', cibuildwheel: {}, plugin: { kind: 'workspace', root: 'tools/nx-wheels' }, dependencyInput: 'production' })['validate-wheels'];
    expect(t.executor).toBe('@quiver/nx-wheels:validate-wheels');
    expect(t.cache).toBe(false);
    expect(t.dependsOn).toContain('build-wheels');
    expect(t.inputs).toEqual(expect.arrayContaining(['{projectRoot}/pyproject.toml', { dependentTasksOutputFiles: '**/*.whl' }, { env: 'GITHUB_REF' }, { env: 'GITHUB_REF_NAME' }, '{workspaceRoot}/tools/nx-wheels/executors.json']));
    expect(t.outputs).toEqual(['{projectRoot}/wheelhouse/validation-report.json', '{projectRoot}/wheelhouse/SHA256SUMS']);
  });
});
