/**
 * Platform tags PyPI accepts for upload (as Warehouse's upload endpoint checks them) and the
 * manylinux / musllinux policy a tag claims (PEP 600 / PEP 656, with the PEP 513/571/599 aliases).
 */

const FIXED = new Set([
  'any',
  'win32',
  'win_amd64',
  'win_arm64',
  'win_ia64',
  'manylinux1_x86_64',
  'manylinux1_i686',
  'manylinux2010_x86_64',
  'manylinux2010_i686',
  'manylinux2014_x86_64',
  'manylinux2014_i686',
  'manylinux2014_aarch64',
  'manylinux2014_armv7l',
  'manylinux2014_ppc64',
  'manylinux2014_ppc64le',
  'manylinux2014_s390x',
  'linux_armv6l',
  'linux_armv7l',
]);
const MANYLINUX_ARCHES = new Set(['x86_64', 'i686', 'aarch64', 'armv7l', 'ppc64', 'ppc64le', 's390x', 'riscv64', 'loongarch64']);
const MUSLLINUX_ARCHES = new Set(['x86_64', 'i686', 'aarch64', 'armv7l', 'ppc64le', 's390x', 'riscv64', 'loongarch64']);
const MACOS_ARCHES = new Set(['ppc', 'ppc64', 'i386', 'x86_64', 'arm64', 'intel', 'fat', 'fat3', 'fat64', 'universal', 'universal2']);

/** True when PyPI accepts `tag` as a wheel's platform tag. */
export function isPypiPlatformTag(tag: string): boolean {
  if (FIXED.has(tag)) return true;
  let m = /^manylinux_\d+_\d+_(.+)$/.exec(tag);
  if (m) return MANYLINUX_ARCHES.has(m[1]);
  m = /^musllinux_\d+_\d+_(.+)$/.exec(tag);
  if (m) return MUSLLINUX_ARCHES.has(m[1]);
  m = /^macosx_\d+_\d+_(.+)$/.exec(tag);
  if (m) return MACOS_ARCHES.has(m[1]);
  if (/^ios_\d+_\d+_(arm64|x86_64)_(iphoneos|iphonesimulator)$/.test(tag)) return true;
  if (/^android_\d+_(armeabi_v7a|arm64_v8a|x86|x86_64)$/.test(tag)) return true;
  return false;
}

/** Why PyPI refuses a tag, for the message. */
export function rejectedTagReason(tag: string): string {
  if (/^linux_/.test(tag)) return `${tag} is a plain Linux tag: PyPI only accepts manylinux_X_Y_<arch> / musllinux_X_Y_<arch> for Linux (the wheel was not repaired by auditwheel)`;
  return `${tag} is not a platform tag PyPI accepts`;
}

/** The libc policy a Linux platform tag claims. */
export interface LinuxPolicy {
  libc: 'glibc' | 'musl';
  major: number;
  minor: number;
  arch: string;
  /** PEP 600/656 spelling, e.g. `manylinux_2_17`. */
  name: string;
}

/** `manylinux2014_x86_64` -> glibc 2.17; `musllinux_1_2_aarch64` -> musl 1.2; null for other tags. */
export function linuxPolicy(tag: string): LinuxPolicy | null {
  const legacy: Record<string, [number, number]> = { manylinux1: [2, 5], manylinux2010: [2, 12], manylinux2014: [2, 17] };
  let m = /^(manylinux1|manylinux2010|manylinux2014)_(.+)$/.exec(tag);
  if (m) {
    const [major, minor] = legacy[m[1]];
    return { libc: 'glibc', major, minor, arch: m[2], name: `manylinux_${major}_${minor}` };
  }
  m = /^(manylinux|musllinux)_(\d+)_(\d+)_(.+)$/.exec(tag);
  if (m) {
    const major = Number(m[2]);
    const minor = Number(m[3]);
    return { libc: m[1] === 'manylinux' ? 'glibc' : 'musl', major, minor, arch: m[4], name: `${m[1]}_${major}_${minor}` };
  }
  return null;
}

/**
 * The policy a wheel claims with its (possibly compressed) platform tags: the oldest libc among
 * them, since an installer accepts the wheel when any one of its tags matches.
 */
export function claimedPolicy(platformTags: string[]): LinuxPolicy | null {
  const policies = platformTags.map(linuxPolicy).filter((p): p is LinuxPolicy => p !== null);
  if (policies.length === 0) return null;
  return policies.reduce((a, b) => (b.major < a.major || (b.major === a.major && b.minor < a.minor) ? b : a));
}

/** Human description: `manylinux_2_17 (glibc >= 2.17)`. */
export function describePolicy(p: LinuxPolicy | null): string {
  return p ? `${p.name} (${p.libc} >= ${p.major}.${p.minor})` : '';
}
