import { parseIdentifier } from './identifiers';
import { HOST_TARGET } from './manylinux';
import { formatNotBuildable, nativeCoverage, nothingBuildableError, providerOf } from './native-coverage';

const host = { os: 'linux' as NodeJS.Platform, arch: 'x64', containerEngine: null };
const ids = (...s: string[]) => s.map((x) => parseIdentifier(x)!);

describe('nativeCoverage', () => {
  it('keeps what this host builds and lists every other identifier with why and who builds it', () => {
    const c = nativeCoverage(ids('cp311-manylinux_x86_64', 'cp311-musllinux_x86_64', 'cp314-manylinux_x86_64', 'cp311-manylinux_aarch64'), host, HOST_TARGET, (v) => v === '3.11');
    expect(c.buildable.map((i) => i.id)).toEqual(['cp311-manylinux_x86_64']);
    expect(formatNotBuildable(c.notBuildable)).toEqual([
      '    - cp311-musllinux_x86_64: not built here (musllinux needs a musl host or a container); built by engine cibuildwheel with docker or podman (a musllinux container), or a musl host',
      '    - cp314-manylinux_x86_64: not built here (no CPython 3.14 on this host); built by CPython 3.14 on this host (e.g. pyenv install 3.14), or engine cibuildwheel with docker or podman',
      '    - cp311-manylinux_aarch64: not built here (its architecture aarch64 is not this host\'s x86_64); built by build-wheels on a Linux aarch64 host (engine native or cibuildwheel)',
    ]);
  });
  it('nothing buildable: one error naming every identifier; only missing CPythons is NO_PYTHON_FOR_IDENTIFIER', () => {
    const musl = nativeCoverage(ids('cp311-musllinux_x86_64', 'cp314-manylinux_x86_64'), host, HOST_TARGET, () => false);
    const e = nothingBuildableError(musl.notBuildable);
    expect(e.code).toBe('NATIVE_UNSUPPORTED');
    expect(e.message).toContain('cp311-musllinux_x86_64 (musllinux needs a musl host or a container;');
    expect(e.message).toContain('cp314-manylinux_x86_64 (no CPython 3.14 on this host;');
    expect(nothingBuildableError(nativeCoverage(ids('cp314-manylinux_x86_64'), host, HOST_TARGET, () => false).notBuildable).code).toBe('NO_PYTHON_FOR_IDENTIFIER');
  });
  it('providerOf names the Windows runner for a Windows identifier', () => {
    expect(providerOf(parseIdentifier('cp313-win_amd64')!)).toBe('a Windows host (runs-on: windows-latest) with engine cibuildwheel');
  });
});
