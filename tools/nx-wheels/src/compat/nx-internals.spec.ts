/**
 * The check that guards nx-release.ts: against the workspace's real Nx, and against stand-in module
 * sets (named as such) that drop, re-shape or freeze one export, or carry another version.
 */
import { satisfies } from 'semver';
import { NX_EXPORTS, nxInternals, nxInternalsProblems, NxModule, TESTED_NX_RANGE, TESTED_NX_VERSIONS } from './nx-internals';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const realLoad = (m: string): NxModule | null => require(`nx/${m}`) as NxModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const realVersion: string = require('nx/package.json').version;

/** Stand-in: the real modules, with `patch` applied to a shallow copy of one module. */
function standIn(module: string, patch: (m: NxModule) => void) {
  return (m: string): NxModule | null => {
    const mod = realLoad(m);
    if (m !== module || !mod) return mod;
    const copy: NxModule = { ...mod };
    patch(copy);
    return copy;
  };
}

describe('nxInternalsProblems', () => {
  it('the workspace Nx is in the tested range and has every export with its arity', () => {
    expect(satisfies(realVersion, TESTED_NX_RANGE)).toBe(true);
    expect(nxInternalsProblems(realVersion, realLoad)).toEqual([]);
    expect(nxInternals().version).toBe(realVersion);
  });

  it('the tested versions are the ends of the range (the suite runs nx release on both)', () => {
    for (const v of TESTED_NX_VERSIONS) expect(satisfies(v, TESTED_NX_RANGE)).toBe(true);
    expect(satisfies('24.0.5', TESTED_NX_RANGE)).toBe(false);
    expect(satisfies('24.0.8', TESTED_NX_RANGE)).toBe(false);
  });

  it('a version outside the range is a problem unless allowed; a malformed one always', () => {
    expect(nxInternalsProblems('24.1.0', realLoad)).toEqual(['version 24.1.0 is outside the tested range >=24.0.6 <=24.0.7']);
    expect(nxInternalsProblems('24.1.0', realLoad, true)).toEqual([]);
    expect(nxInternalsProblems('unknown', realLoad, true)).toEqual(['its version "unknown" is not semver']);
  });

  it('a missing export, another arity, a frozen replaced export or a missing module is named (stand-in modules)', () => {
    const git = 'src/command-line/release/utils/git';
    expect(nxInternalsProblems(realVersion, standIn(git, (m) => delete m['getLatestGitTagForPattern']))).toEqual([`nx/${git} has no function getLatestGitTagForPattern`]);
    expect(nxInternalsProblems(realVersion, standIn(git, (m) => (m['getCommitHash'] = (a: string, b: string) => a + b)))).toEqual([`nx/${git} getCommitHash takes 2 parameters, not 1`]);
    const frozen = standIn(git, (m) => Object.defineProperty(m, 'getLatestGitTagForPattern', { value: (p: string) => p, writable: false }));
    expect(nxInternalsProblems(realVersion, frozen)).toEqual([`nx/${git} getLatestGitTagForPattern cannot be replaced`]);
    const noMarkdown = (m: string) => (m === 'src/command-line/release/utils/markdown' ? null : realLoad(m));
    expect(nxInternalsProblems(realVersion, noMarkdown)).toEqual(['nx/src/command-line/release/utils/markdown is missing']);
  });

  it('covers the four replaced exports', () => {
    expect(NX_EXPORTS.filter((e) => e.replaced).map((e) => e.name).sort()).toEqual(['createChangesFromCommits', 'createFileMapUsingProjectGraph', 'getLatestGitTagForPattern', 'resolveChangelogFromSHA']);
  });
});
