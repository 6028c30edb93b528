/**
 * The native engine's manylinux target: which manylinux policy (PEP 600) the wheels must satisfy and
 * which toolchain builds them. `host` builds with the host's compiler and glibc (the wheel gets the
 * host's policy); `2_28` (or any `2_<minor>` zig supports) builds with zig's clang against glibc
 * 2.<minor> and static libc++, then `auditwheel repair --plat manylinux_2_<minor>_<arch> --only-plat`.
 * Pure: no processes.
 */
import { QuiverError } from './errors';
import { BuildIdentifier } from './identifiers';

/** What built a wheel, for the plan and build-report.json. */
export interface NativeTarget {
  /** `host` (host compiler, host glibc) or `zig`. */
  toolchain: 'host' | 'zig';
  /** manylinux policy tag the wheel is repaired to, e.g. `manylinux_2_28_x86_64`; null: auditwheel picks (host). */
  policy: string | null;
  /** zig `-target` triple, e.g. `x86_64-linux-gnu.2.28`; null for host. */
  zigTarget: string | null;
}

/** The host toolchain: what the native engine did before zig. */
export const HOST_TARGET: NativeTarget = { toolchain: 'host', policy: null, zigTarget: null };

/** Oldest glibc zig's bundled glibc stubs can target (zig 0.15 ships stubs from 2.17 on). */
const MIN_GLIBC_MINOR = 17;

/** cibuildwheel's image names that name a policy (legacy aliases of PEP 600 tags). */
const LEGACY_IMAGES: Record<string, string> = { manylinux2014: '2_17', manylinux2010: '2_12', manylinux1: '2_5' };

/**
 * Where the intent came from, for the one-line errors.
 */
export type TargetSource = 'option' | 'nx-wheels' | 'cibuildwheel-image';

/**
 * Turn a `manylinux` value into a glibc `2_<minor>` string.
 * Accepts `host`, `2_28`, `2.28`, `manylinux_2_28`, `manylinux_2_28_x86_64`, `manylinux2014`.
 * @returns `host` or `2_<minor>`
 * @throws QuiverError `BAD_OPTION_MANYLINUX` naming `where` and the fix (musllinux, other arch, junk).
 */
export function parseManylinux(value: string, where: string, hostArch = 'x86_64'): 'host' | `2_${number}` {
  const v = value.trim();
  if (v === 'host') return 'host';
  if (/^musllinux/.test(v)) {
    throw new QuiverError('BAD_OPTION_MANYLINUX', `${where}: "${v}" is a musllinux policy; the zig route builds glibc (manylinux) wheels only, so build musllinux with --engine=cibuildwheel and docker or podman.`);
  }
  const legacy = LEGACY_IMAGES[v];
  const m = legacy ? [v, legacy.split('_')[1], null] : /^(?:manylinux_)?2[._](\d+)(?:_([a-z0-9_]+))?$/.exec(v);
  if (!m) {
    throw new QuiverError('BAD_OPTION_MANYLINUX', `${where}: "${v}" is not a manylinux policy; pass host or 2_<glibc minor>, e.g. --manylinux=2_28.`);
  }
  const arch = m[2];
  if (arch && arch !== hostArch) {
    throw new QuiverError('BAD_OPTION_MANYLINUX', `${where}: "${v}" targets ${arch}, but the native engine builds for this host's ${hostArch} only; build ${arch} with --engine=cibuildwheel on a ${arch} runner.`);
  }
  const minor = Number(m[1]);
  if (minor < MIN_GLIBC_MINOR) {
    throw new QuiverError('BAD_OPTION_MANYLINUX', `${where}: glibc 2.${minor} is older than zig can target (2.${MIN_GLIBC_MINOR}); pass --manylinux=2_${MIN_GLIBC_MINOR} or newer (2_28 is cibuildwheel's default).`);
  }
  return `2_${minor}`;
}

/**
 * The policy an image setting names: `manylinux_2_28`, `manylinux2014`, or a `quay.io/pypa/<policy>_<arch>[:tag]`
 * image reference. Null for anything else (a custom image says nothing about the policy).
 */
export function policyOfImage(image: string): string | null {
  const name = image.trim().replace(/:.*$/, '').split('/').pop() ?? '';
  const m = /^(manylinux_2_\d+|manylinux2014|manylinux2010|manylinux1)(?:_[a-z0-9_]+)?$/.exec(name);
  return m ? m[1] : null;
}

/**
 * Resolve the native engine's target from the option, else `[tool.nx-wheels] manylinux` (`nxWheels`),
 * else cibuildwheel's `manylinux-x86_64-image` (`CIBW_MANYLINUX_X86_64_IMAGE` or pyproject) where it
 * names a policy, else host.
 * @param hostArch `x86_64` or `aarch64`
 * @throws QuiverError `BAD_OPTION_MANYLINUX`
 */
export function resolveNativeTarget(
  a: { option?: string; nxWheels?: string; cibuildwheel: Record<string, unknown>; env: Record<string, string | undefined>; hostArch: string; pyprojectFile: string },
): NativeTarget & { source: TargetSource | 'default' } {
  let value: 'host' | `2_${number}`;
  let source: TargetSource | 'default';
  const key = `manylinux-${a.hostArch}-image`;
  const envKey = `CIBW_MANYLINUX_${a.hostArch.toUpperCase()}_IMAGE`;
  const image = a.env[envKey] ?? (typeof a.cibuildwheel[key] === 'string' ? (a.cibuildwheel[key] as string) : undefined);
  if (a.option !== undefined) {
    value = parseManylinux(a.option, 'option manylinux', a.hostArch);
    source = 'option';
  } else if (a.nxWheels !== undefined) {
    value = parseManylinux(a.nxWheels, `${a.pyprojectFile} [tool.nx-wheels] manylinux`, a.hostArch);
    source = 'nx-wheels';
  } else if (image && policyOfImage(image)) {
    value = parseManylinux(policyOfImage(image)!, a.env[envKey] ? envKey : `${a.pyprojectFile} [tool.cibuildwheel] ${key}`, a.hostArch);
    source = 'cibuildwheel-image';
  } else {
    return { ...HOST_TARGET, source: 'default' };
  }
  if (value === 'host') return { ...HOST_TARGET, source };
  if (a.hostArch !== 'x86_64') {
    throw new QuiverError('BAD_OPTION_MANYLINUX', `option manylinux: the zig route is tested on x86_64 hosts only (this is ${a.hostArch}); pass --manylinux=host or --engine=cibuildwheel.`);
  }
  const minor = value.split('_')[1];
  return { toolchain: 'zig', policy: `manylinux_${value}_${a.hostArch}`, zigTarget: `${a.hostArch}-linux-gnu.2.${minor}`, source };
}

/**
 * Check an identifier fits the zig target (manylinux, same arch).
 * @throws QuiverError `NATIVE_UNSUPPORTED` with the fix.
 */
export function checkZigIdentifier(id: BuildIdentifier, target: NativeTarget): void {
  if (target.toolchain !== 'zig') return;
  if (id.platform !== 'linux' || id.linuxLibc !== 'manylinux') {
    throw new QuiverError('NATIVE_UNSUPPORTED', `--manylinux=${target.policy}: ${id.id} is not a manylinux wheel; the zig route builds manylinux only, so skip it (CIBW_SKIP) or use --engine=cibuildwheel.`);
  }
}

/** One line for the plan: which toolchain and target build the wheels. */
export function describeTarget(t: NativeTarget & { source?: string }): string {
  if (t.toolchain === 'host') return 'toolchain: host compiler and glibc (the wheels get this host\'s manylinux policy; --manylinux=2_28 targets an older glibc through zig)';
  const from = t.source === 'cibuildwheel-image' ? ', from cibuildwheel\'s manylinux image setting' : t.source === 'nx-wheels' ? ', from [tool.nx-wheels] manylinux' : '';
  return `toolchain: zig (pinned ziglang) -target ${t.zigTarget}, static libc++; auditwheel repair --plat ${t.policy} --only-plat${from}`;
}

/** The toolchain string recorded per wheel in build-report.json. */
export function targetLabel(t: NativeTarget, zigVersion?: string): string {
  return t.toolchain === 'host' ? 'host' : `zig${zigVersion ? ' ' + zigVersion : ''} ${t.zigTarget} -> ${t.policy}`;
}
