import { findChangelogSection, listChangelogSections } from './changelog';

const TEXT = `## v1.4.0rc2 (2026-01-02)

### Fixes

- rc2 fix

# Changelog

Preamble.

## [Unreleased]

- pending

## [1.3.0] - 2025-12-01

### Added
- keep-a-changelog style

## 1.2.0

- plain

## 1.1.0 (2025-10-01)
- nx style
`;

describe('changelog sections', () => {
  it('accepts ## [X.Y.Z] and ## X.Y.Z headings, with or without a date', () => {
    expect(listChangelogSections(TEXT).map((s) => s.normalizedVersion)).toEqual(['1.4.0rc2', '1.3.0', '1.2.0', '1.1.0']);
    expect(findChangelogSection(TEXT, '1.3.0')!.body).toBe('### Added\n- keep-a-changelog style');
    expect(findChangelogSection(TEXT, '1.2.0')!.body).toBe('- plain');
    expect(findChangelogSection(TEXT, '1.1.0')!.body).toBe('- nx style');
  });

  it('ends a section at the next # or ## heading, not at ###', () => {
    expect(findChangelogSection(TEXT, '1.4.0rc2')!.body).toBe('### Fixes\n\n- rc2 fix');
  });

  it('matches after PEP 440 normalization', () => {
    expect(findChangelogSection(TEXT, '1.4.0-rc.2')!.line).toBe(1);
    expect(findChangelogSection(TEXT, '1.4.0')).toBeNull();
  });
});

describe('conventional-changelog headings', () => {
  // The shape conventional-changelog / standard-version / release-please write.
  const CC = `# Changelog

## [1.3.0](https://github.com/quiver-dev/quiver/compare/v1.2.3...v1.3.0) (2026-03-01)

### Features

* **python:** search mode ([abc1234](https://github.com/quiver-dev/quiver/commit/abc1234))

### [1.2.3](https://github.com/quiver-dev/quiver/compare/v1.2.2...v1.2.3) (2026-02-01)

### Bug Fixes

* off by one
`;

  it('reads ## [X.Y.Z](compare-url) (date) and the ### form of patch releases', () => {
    expect(listChangelogSections(CC).map((s) => s.normalizedVersion)).toEqual(['1.3.0', '1.2.3']);
    expect(findChangelogSection(CC, '1.3.0')!.body).toBe('### Features\n\n* **python:** search mode ([abc1234](https://github.com/quiver-dev/quiver/commit/abc1234))');
    expect(findChangelogSection(CC, '1.2.3')!.body).toBe('### Bug Fixes\n\n* off by one');
  });

  it('a ### subsection that is not a linked version does not end a section', () => {
    expect(findChangelogSection(CC, '1.3.0')!.body).toContain('### Features');
  });
});
