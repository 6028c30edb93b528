import { QuiverError } from './errors';
import { parseIdentifier } from './identifiers';
import { checkNativeIdentifier, formatPlan, HostInfo, identifiersFromOutput, resolveEngine, resolvePlatform, resolvePlatforms } from './plan';

const linuxNoDocker: HostInfo = { os: 'linux', arch: 'x64', containerEngine: null };
const linuxDocker: HostInfo = { os: 'linux', arch: 'x64', containerEngine: 'docker' };
const windows: HostInfo = { os: 'win32', arch: 'x64', containerEngine: null };

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(QuiverError);
    return (e as QuiverError).code;
  }
  return 'none';
}

describe('resolvePlatform', () => {
  it('auto means the host platform', () => {
    expect(resolvePlatform('auto', linuxNoDocker)).toBe('linux');
    expect(resolvePlatform(undefined, windows)).toBe('windows');
    expect(resolvePlatform('windows', linuxNoDocker)).toBe('windows');
  });
  it('rejects unknown platforms and auto on other hosts', () => {
    expect(code(() => resolvePlatform('macos', linuxNoDocker))).toBe('BAD_OPTION_PLATFORM');
    expect(code(() => resolvePlatform('auto', { ...linuxNoDocker, os: 'darwin' }))).toBe('UNSUPPORTED_HOST');
  });
});

describe('resolveEngine', () => {
  it('auto: native on Linux without a container engine, cibuildwheel with one or on Windows', () => {
    expect(resolveEngine('auto', 'linux', linuxNoDocker)).toMatchObject({ engine: 'native', reason: expect.stringContaining('no container starts here') });
    const probed: HostInfo = { ...linuxNoDocker, containerNote: 'podman could not start a container from img (crun: cgroups)' };
    expect(resolveEngine('auto', 'linux', probed).reason).toBe('auto: no container starts here (podman could not start a container from img (crun: cgroups)), so build -> auditwheel repair -> test on this host');
    expect(resolveEngine('auto', 'linux', { ...linuxDocker, containerNote: 'podman started a container from img' }).reason).toBe('auto: podman started a container from img');
    expect(resolveEngine('auto', 'linux', linuxDocker)).toMatchObject({ engine: 'cibuildwheel', reason: expect.stringContaining('docker') });
    expect(resolveEngine('auto', 'windows', windows).engine).toBe('cibuildwheel');
  });
  it('refuses what the host cannot do, naming the fix', () => {
    expect(code(() => resolveEngine('auto', 'windows', linuxNoDocker))).toBe('WINDOWS_NEEDS_WINDOWS_HOST');
    expect(code(() => resolveEngine('cibuildwheel', 'linux', linuxNoDocker))).toBe('NO_CONTAINER_ENGINE');
    expect(() => resolveEngine('cibuildwheel', 'linux', { ...linuxNoDocker, containerNote: 'docker cannot reach its daemon (Cannot connect)' })).toThrow(/none starts here \(docker cannot reach its daemon \(Cannot connect\)\); start docker or podman/);
    expect(code(() => resolveEngine('native', 'windows', windows))).toBe('NATIVE_UNSUPPORTED');
    expect(code(() => resolveEngine('native', 'linux', { ...windows }))).toBe('NATIVE_UNSUPPORTED');
    expect(code(() => resolveEngine('docker', 'linux', linuxDocker))).toBe('BAD_OPTION_ENGINE');
  });
});

describe('identifiersFromOutput', () => {
  it('parses one identifier per line', () => {
    expect(identifiersFromOutput('cp313-manylinux_x86_64\n', 'linux', 'p/pyproject.toml', {}).map((i) => i.id)).toEqual(['cp313-manylinux_x86_64']);
  });
  it('an empty selection names the file and any CIBW_* selector in effect', () => {
    try {
      identifiersFromOutput('\n', 'linux', 'p/pyproject.toml', { CIBW_SKIP: '*' });
      throw new Error('no throw');
    } catch (e) {
      expect((e as QuiverError).code).toBe('BUILD_SELECTOR_EMPTY');
      expect((e as Error).message).toContain('p/pyproject.toml [tool.cibuildwheel]');
      expect((e as Error).message).toContain('CIBW_SKIP');
    }
  });
  it('no windows wheel for a Linux-only package points at release-platforms first, not at adding a Windows wheel', () => {
    expect(() => identifiersFromOutput('', 'windows', 'p/pyproject.toml', {})).toThrow(
      'p/pyproject.toml [tool.cibuildwheel] build/skip/archs select no windows wheel; if the package ships no windows wheels, set [tool.nx-wheels] release-platforms = ["linux"] (or the plugin option releasePlatforms in nx.json) so validate-wheels --platforms=release and publish do not ask for them; otherwise select a windows identifier such as "cp313-win_amd64" in build, or fix skip/archs.',
    );
  });
});

describe('checkNativeIdentifier', () => {
  it('accepts manylinux of the host arch, refuses the rest', () => {
    expect(() => checkNativeIdentifier(parseIdentifier('cp313-manylinux_x86_64')!, linuxNoDocker)).not.toThrow();
    for (const id of ['cp313-musllinux_x86_64', 'cp313-manylinux_aarch64', 'cp313-win_amd64', 'pp310-manylinux_x86_64']) {
      expect(code(() => checkNativeIdentifier(parseIdentifier(id)!, linuxNoDocker))).toBe('NATIVE_UNSUPPORTED');
    }
  });
});

it('formatPlan lists identifiers, engine and reason, output dir', () => {
  const text = formatPlan({
    project: 'python',
    packageDir: 'bindings/python',
    outputDir: 'bindings/python/wheelhouse',
    platforms: [{ platform: 'linux', engine: 'native', reason: 'why', identifiers: [parseIdentifier('cp313-manylinux_x86_64')!] }],
  });
  expect(text).toContain('engine native (why)');
  expect(text).toContain('- cp313-manylinux_x86_64');
  expect(text).toContain('output dir: bindings/python/wheelhouse');
});

it('formatPlan prints SOURCE_DATE_EPOCH, where it comes from, and that a Linux container gets it', () => {
  const ids = [parseIdentifier('cp313-manylinux_x86_64')!];
  const base = { project: 'python', packageDir: 'bindings/python', outputDir: 'o' };
  const cibw = formatPlan({ ...base, platforms: [{ platform: 'linux', engine: 'cibuildwheel', reason: 'r', identifiers: ids }], sourceDateEpoch: { value: '1767225600', origin: 'head' } });
  expect(cibw).toContain("SOURCE_DATE_EPOCH: 1767225600 (HEAD's commit time, 2026-01-01T00:00:00Z); passed into the container (environment-pass)");
  const native = formatPlan({ ...base, platforms: [{ platform: 'linux', engine: 'native', reason: 'r', identifiers: ids }], sourceDateEpoch: { value: '42', origin: 'environment' } });
  expect(native).toContain('SOURCE_DATE_EPOCH: 42 (set in the environment, 1970-01-01T00:00:42Z)');
  expect(native).not.toContain('container');
  expect(formatPlan({ ...base, platforms: [], sourceDateEpoch: null })).toContain('SOURCE_DATE_EPOCH: unset');
});

describe('resolvePlatforms', () => {
  const linux = { os: 'linux' as NodeJS.Platform, arch: 'x64', containerEngine: null };
  it.each([
    ['linux', ['linux']],
    ['windows', ['windows']],
    ['linux,windows', ['linux', 'windows']],
    [' windows , linux ', ['linux', 'windows']],
  ])('--platforms=%s builds %j', (value, want) => {
    expect(resolvePlatforms(value, undefined, linux)).toEqual(want);
  });
  it('without platforms, platform decides (auto = the host)', () => {
    expect(resolvePlatforms(undefined, undefined, linux)).toEqual(['linux']);
  });
  it.each([['macos'], [''], ['linux,macos']])('--platforms=%j is BAD_OPTION_PLATFORMS naming the values', (value) => {
    expect(() => resolvePlatforms(value, undefined, linux)).toThrow(/^option platforms: .* pass --platforms=linux, --platforms=windows or --platforms=linux,windows\.$/);
  });
  it('platform and platforms that disagree are refused', () => {
    expect(() => resolvePlatforms('windows', 'linux', linux)).toThrow(/disagree/);
  });
});
