import { formatRehearsalTable, rehearsalMarkdown, rehearsalPlatforms, RehearsalReport, rehearsalVerdict } from './rehearsal';

describe('rehearsalPlatforms', () => {
  it.each([
    [undefined, ['linux', 'windows'], { platforms: ['linux', 'windows'], partial: false }],
    ['release', ['linux', 'windows'], { platforms: ['linux', 'windows'], partial: false }],
    ['windows,linux', ['linux', 'windows'], { platforms: ['linux', 'windows'], partial: false }],
    ['linux', ['linux', 'windows'], { platforms: ['linux'], partial: true }],
    [' linux , linux ', ['linux', 'windows'], { platforms: ['linux'], partial: true }],
    ['linux', ['linux'], { platforms: ['linux'], partial: false }],
  ] as const)('%j of %j', (requested, release, want) => {
    expect(rehearsalPlatforms(requested, release)).toEqual(want);
  });

  it('refuses a platform that is not a release platform, naming the option and the fix', () => {
    expect(() => rehearsalPlatforms('windows', ['linux'])).toThrow('option platforms: windows is not among the release platforms (linux); pass a subset of them, e.g. --platforms=linux.');
    expect(() => rehearsalPlatforms('macos,bsd', ['linux', 'windows'])).toThrow(/macos, bsd are not among/);
  });
});

describe('verdict, table and summary', () => {
  const base: RehearsalReport = {
    reportVersion: 1,
    project: 'python',
    distribution: 'quiverdb',
    version: '1.2.3',
    tag: 'v1.2.3',
    commit: 'abc',
    releasePlatforms: ['linux', 'windows'],
    platforms: ['linux', 'windows'],
    partial: false,
    ok: true,
    steps: [
      { step: 'prepare', platform: null, verdict: 'passed', seconds: 4.04, detail: 'v1.2.3 | clone' },
      { step: 'build', platform: 'windows', verdict: 'passed', seconds: 61.26, detail: 'quiverdb-1.2.3-cp313-cp313-win_amd64.whl' },
    ],
    wheels: [],
    scratch: null,
    startedAt: '2026-12-04T00:00:00.000Z',
    seconds: 95.4,
    error: null,
  };

  it('a passed rehearsal names the version, the platforms and the time; a partial one what was left out', () => {
    expect(rehearsalVerdict(base)).toBe('REHEARSAL PASSED: 1.2.3 built, validated, published, installed and tested on linux and windows in 95 s.');
    expect(rehearsalVerdict({ ...base, platforms: ['linux'], partial: true })).toBe('REHEARSAL PASSED: 1.2.3 built, validated, published, installed and tested on linux in 95 s. PARTIAL: windows not rehearsed (--platforms).');
  });

  it('a failed rehearsal names the first failed step, its platform and its detail', () => {
    const steps = [...base.steps, { step: 'install + test' as const, platform: 'windows' as const, verdict: 'failed' as const, seconds: 30, detail: 'TESTS_FAILED: test-command failed' }];
    expect(rehearsalVerdict({ ...base, ok: false, steps })).toBe('REHEARSAL FAILED at install + test (windows): TESTS_FAILED: test-command failed');
  });

  it('the table has one row per step with seconds to one decimal; the Markdown escapes pipes', () => {
    expect(formatRehearsalTable(base.steps).split('\n')).toEqual([
      'step     platform  verdict  seconds  detail',
      '-------  --------  -------  -------  ----------------------------------------',
      'prepare  -         passed   4.0      v1.2.3 | clone',
      'build    windows   passed   61.3     quiverdb-1.2.3-cp313-cp313-win_amd64.whl',
    ]);
    expect(rehearsalMarkdown(base)).toContain('| prepare | - | passed | 4.0 | v1.2.3 \\| clone |');
  });
});
