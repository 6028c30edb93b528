/** core/manylinux.ts: the native engine's manylinux target from the option or cibuildwheel's image setting. */
import { QuiverError } from '../../src/core/errors';
import { parseIdentifier } from '../../src/core/identifiers';
import { checkZigIdentifier, parseManylinux, policyOfImage, resolveNativeTarget } from '../../src/core/manylinux';

const base = { cibuildwheel: {}, env: {}, hostArch: 'x86_64', pyprojectFile: 'bindings/python/pyproject.toml' };

function failure(fn: () => unknown): QuiverError {
  try {
    fn();
  } catch (e) {
    return e as QuiverError;
  }
  throw new Error('did not throw');
}

describe('manylinux target', () => {
  it('spellings of the same policy resolve to one zig target', () => {
    for (const v of ['2_28', '2.28', 'manylinux_2_28', 'manylinux_2_28_x86_64']) {
      expect(resolveNativeTarget({ ...base, option: v })).toEqual({ toolchain: 'zig', policy: 'manylinux_2_28_x86_64', zigTarget: 'x86_64-linux-gnu.2.28', source: 'option' });
    }
    expect(parseManylinux('manylinux2014', 'x')).toBe('2_17');
  });

  it('no option: host, unless cibuildwheel\'s image names a policy (pyproject or CIBW_ env, env wins)', () => {
    expect(resolveNativeTarget(base)).toMatchObject({ toolchain: 'host', policy: null, source: 'default' });
    const py = { ...base, cibuildwheel: { 'manylinux-x86_64-image': 'manylinux_2_28' } };
    expect(resolveNativeTarget(py)).toMatchObject({ policy: 'manylinux_2_28_x86_64', source: 'cibuildwheel-image' });
    expect(resolveNativeTarget({ ...py, env: { CIBW_MANYLINUX_X86_64_IMAGE: 'quay.io/pypa/manylinux_2_34_x86_64:2025.01.01-1' } })).toMatchObject({ policy: 'manylinux_2_34_x86_64' });
    // a custom image names no policy: host
    expect(resolveNativeTarget({ ...base, cibuildwheel: { 'manylinux-x86_64-image': 'ghcr.io/acme/builder:3' } })).toMatchObject({ toolchain: 'host' });
    // the option wins over the image
    expect(resolveNativeTarget({ ...py, option: 'host' })).toMatchObject({ toolchain: 'host', source: 'option' });
    expect(policyOfImage('quay.io/pypa/manylinux2014_x86_64:latest')).toBe('manylinux2014');
  });

  it('[tool.nx-wheels] manylinux: below the option, above cibuildwheel\'s image; a bad value names the key', () => {
    const py = { ...base, cibuildwheel: { 'manylinux-x86_64-image': 'manylinux_2_34' }, nxWheels: '2_28' };
    expect(resolveNativeTarget(py)).toMatchObject({ policy: 'manylinux_2_28_x86_64', source: 'nx-wheels' });
    expect(resolveNativeTarget({ ...py, nxWheels: 'host' })).toMatchObject({ toolchain: 'host', source: 'nx-wheels' });
    expect(resolveNativeTarget({ ...py, option: 'host' })).toMatchObject({ toolchain: 'host', source: 'option' });
    const e = failure(() => resolveNativeTarget({ ...base, nxWheels: 'musllinux_1_2' }));
    expect(e.code).toBe('BAD_OPTION_MANYLINUX');
    expect(e.message).toMatch(/^bindings\/python\/pyproject\.toml \[tool\.nx-wheels\] manylinux: "musllinux_1_2" is a musllinux policy/);
  });

  it('unsupported targets: one line naming the option and the fix', () => {
    const cases: Array<[string, RegExp]> = [
      ['musllinux_1_2', /^option manylinux: "musllinux_1_2" is a musllinux policy; .*--engine=cibuildwheel/],
      ['manylinux_2_28_aarch64', /^option manylinux: "manylinux_2_28_aarch64" targets aarch64, .*--engine=cibuildwheel on a aarch64 runner/],
      ['2_12', /^option manylinux: glibc 2\.12 is older than zig can target \(2\.17\); pass --manylinux=2_17/],
      ['win_amd64', /^option manylinux: "win_amd64" is not a manylinux policy; pass host or 2_<glibc minor>/],
    ];
    for (const [v, re] of cases) {
      const e = failure(() => resolveNativeTarget({ ...base, option: v }));
      expect(e.code).toBe('BAD_OPTION_MANYLINUX');
      expect(e.message).toMatch(re);
      expect(e.message).not.toContain('\n');
    }
    const img = failure(() => resolveNativeTarget({ ...base, cibuildwheel: { 'manylinux-aarch64-image': 'manylinux_2_28' }, hostArch: 'aarch64' }));
    expect(img.message).toMatch(/^option manylinux: the zig route is tested on x86_64 hosts only/);
  });

  it('a musllinux identifier is refused for the zig route, a manylinux one passes; host checks nothing', () => {
    const zig = resolveNativeTarget({ ...base, option: '2_28' });
    expect(() => checkZigIdentifier(parseIdentifier('cp313-manylinux_x86_64')!, zig)).not.toThrow();
    expect(failure(() => checkZigIdentifier(parseIdentifier('cp313-musllinux_x86_64')!, zig)).message).toMatch(/cp313-musllinux_x86_64 is not a manylinux wheel; .*CIBW_SKIP/);
    expect(() => checkZigIdentifier(parseIdentifier('cp313-musllinux_x86_64')!, resolveNativeTarget(base))).not.toThrow();
  });
});
