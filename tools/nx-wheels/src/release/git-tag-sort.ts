/**
 * Make `git tag --sort=-v:refname` order PEP 440 tags correctly.
 *
 * Nx finds the latest release tag with `git -c versionsort.suffix=- tag --sort -v:refname`. With
 * PEP 440 tags git's version sort puts `v1.4.0rc1` above `v1.4.0` (a longer string after a common
 * prefix sorts higher). Git's `versionsort.suffix` lists suffixes that sort *before* the bare
 * version, in the order given; `.dev`, `a`, `b`, `rc` is PEP 440's order. Git reads extra
 * configuration from `GIT_CONFIG_COUNT` / `GIT_CONFIG_KEY_<n>` / `GIT_CONFIG_VALUE_<n>` in the
 * environment, which the `git` processes Nx spawns inherit. Pure: computes the variables.
 */

/** The suffixes, in PEP 440 order (dev < a < b < rc < final < post). */
export const PEP440_SORT_SUFFIXES = ['.dev', 'a', 'b', 'rc'] as const;

/**
 * Environment variables to add so git sorts PEP 440 tags; `{}` when `env` already carries them.
 * Existing `GIT_CONFIG_*` entries are kept (the new ones are appended).
 */
export function pep440TagSortEnv(env: Record<string, string | undefined>): Record<string, string> {
  const count = Number(env['GIT_CONFIG_COUNT'] ?? '0') || 0;
  for (let i = 0; i < count; i++) {
    if (env[`GIT_CONFIG_KEY_${i}`] === 'versionsort.suffix' && env[`GIT_CONFIG_VALUE_${i}`] === 'rc') return {};
  }
  const out: Record<string, string> = { GIT_CONFIG_COUNT: String(count + PEP440_SORT_SUFFIXES.length) };
  PEP440_SORT_SUFFIXES.forEach((s, k) => {
    out[`GIT_CONFIG_KEY_${count + k}`] = 'versionsort.suffix';
    out[`GIT_CONFIG_VALUE_${count + k}`] = s;
  });
  return out;
}
