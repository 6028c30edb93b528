/**
 * Which identifiers the native engine can build on this host, and for the others why not and
 * which platform or engine provides them. The plan lists every identifier it leaves out with its
 * fix (instead of failing the build at the first), the build report records them, and
 * validate-wheels' WHEEL_MISSING names the provider when a release needs one. Pure policy: the
 * host and the installed CPythons come in as facts.
 */
import { QuiverError } from './errors';
import { BuildIdentifier } from './identifiers';
import { checkZigIdentifier, NativeTarget } from './manylinux';
import { checkNativeIdentifier, HostInfo } from './plan';

/** An identifier this host cannot build natively. */
export interface NotBuildable {
  id: BuildIdentifier;
  /** Why not, e.g. `musllinux needs a musl host or a container`. */
  why: string;
  /** Who builds it instead ({@link providerOf}). */
  provider: string;
}

/** Which platform or engine builds an identifier that the native engine on this host cannot. */
export function providerOf(id: BuildIdentifier, missingPython = false): string {
  if (id.platform === 'any') return 'pypa/build on any host (the pure wheel)';
  if (id.platform === 'windows') return 'a Windows host (runs-on: windows-latest) with engine cibuildwheel';
  if (id.platform !== 'linux') return `a ${id.platform} host with engine cibuildwheel`;
  if (id.linuxLibc === 'musllinux') return 'engine cibuildwheel with docker or podman (a musllinux container), or a musl host';
  if (id.implementation !== 'cpython') return `engine cibuildwheel with docker or podman (its manylinux images carry ${id.implementation})`;
  if (missingPython) return `CPython ${id.pythonVersion} on this host (e.g. pyenv install ${id.pythonVersion}), or engine cibuildwheel with docker or podman`;
  return `build-wheels on a Linux ${id.arch} host (engine native or cibuildwheel)`;
}

/**
 * Split the identifiers into those the native engine builds here and those it cannot.
 * @param hasPython whether a CPython `major.minor` is installed (for cpXY identifiers)
 */
export function nativeCoverage(ids: readonly BuildIdentifier[], host: HostInfo, target: NativeTarget, hasPython: (version: string) => boolean): { buildable: BuildIdentifier[]; notBuildable: NotBuildable[] } {
  const buildable: BuildIdentifier[] = [];
  const notBuildable: NotBuildable[] = [];
  for (const id of ids) {
    try {
      checkNativeIdentifier(id, host);
      checkZigIdentifier(id, target);
    } catch (e) {
      if (!(e instanceof QuiverError)) throw e;
      notBuildable.push({ id, why: e.message.replace(/^engine native cannot build \S+: /, '').replace(/; .*$/, ''), provider: providerOf(id) });
      continue;
    }
    if (!hasPython(id.pythonVersion)) {
      notBuildable.push({ id, why: `no CPython ${id.pythonVersion} on this host`, provider: providerOf(id, true) });
      continue;
    }
    buildable.push(id);
  }
  return { buildable, notBuildable };
}

/** The plan's lines for the identifiers left out. */
export function formatNotBuildable(list: readonly NotBuildable[]): string[] {
  return list.map((n) => `    - ${n.id.id}: not built here (${n.why}); built by ${n.provider}`);
}

/**
 * The error when the native engine can build none of the identifiers: every one, with its reason
 * and provider, in one line.
 */
export function nothingBuildableError(list: readonly NotBuildable[]): QuiverError {
  const code = list.every((n) => n.why.startsWith('no CPython')) ? 'NO_PYTHON_FOR_IDENTIFIER' : 'NATIVE_UNSUPPORTED';
  return new QuiverError(code, `engine native cannot build any selected identifier here: ${list.map((n) => `${n.id.id} (${n.why}; built by ${n.provider})`).join(', ')}; select identifiers this host builds (plugin option build / [tool.cibuildwheel] build / CIBW_BUILD), or use --engine=cibuildwheel with docker or podman.`);
}
