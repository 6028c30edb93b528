import { describeEmptySection, ReleaseNotesFacts } from './release-notes';

const SHOWN = ['feat', 'fix', 'perf'];
const v130 = { tag: 'v1.3.0', version: '1.3.0' };

describe('describeEmptySection', () => {
  const cases: Array<[string, string, ReleaseNotesFacts, string]> = [
    [
      'first release, non-conventional commits',
      '1.2.3',
      { from: null, promotes: [], commitTypes: ['__INVALID__', '__INVALID__', 'chore'] },
      'First release of python (no earlier release tag v…). None of the 3 commits touching python or its dependencies is a feat, fix or perf commit (conventional commits), so none is listed.',
    ],
    ['first release, no commit of the project', '0.1.0', { from: null, promotes: [], commitTypes: [] }, 'First release of python (no earlier release tag v…). No commit touches python or its dependencies yet.'],
    [
      'final promoting release candidates',
      '1.4.0',
      { from: v130, promotes: ['1.4.0rc0', '1.4.0rc1'], commitTypes: ['build', 'chore', 'build'] },
      'Promotes 1.4.0rc0, 1.4.0rc1 to 1.4.0: no feat, fix or perf commit touching python or its dependencies since 1.3.0 (3 other commits: build, chore).',
    ],
    ['only hidden types', '1.3.1', { from: v130, promotes: [], commitTypes: ['chore'] }, 'No feat, fix or perf commit touching python or its dependencies since 1.3.0 (1 other commit: chore).'],
    ['non-conventional since the last release', '1.3.1', { from: v130, promotes: [], commitTypes: ['__INVALID__'] }, 'No feat, fix or perf commit touching python or its dependencies since 1.3.0 (1 other commit: not conventional).'],
    ['nothing at all', '1.3.1', { from: v130, promotes: [], commitTypes: [] }, 'No commit touches python or its dependencies since 1.3.0.'],
  ];
  it.each(cases)('%s', (_name, version, facts, text) => {
    expect(describeEmptySection('python', version, facts, SHOWN, 'v')).toBe(text);
  });

  it('names the types nx.json shows', () => {
    expect(describeEmptySection('python', '1.3.1', { from: v130, promotes: [], commitTypes: ['chore'] }, ['feat', 'fix', 'perf', 'docs'], 'v')).toContain('no feat, fix, perf or docs commit'.replace(/^n/, 'N'));
  });
});
