/** Catalog entries of versioning and releasing: PEP 440, validate-release, nx release, rehearse-release. */
import { entry as e, type ErrorInfo } from './entry';

export const RELEASE_ERRORS = {
  PEP440_INVALID: e(
    'docs/release-guide.md',
    'The version given is neither PEP 440 nor a SemVer pre-release PEP 440 can express.',
    'Write it like `1.3.0`, `1.3.0rc1` or `1.3.0-rc.1`.',
  ),
  PEP440_LOCAL: e(
    'docs/release-guide.md',
    'The version given has a local label (+local), which package indexes reject.',
    'Give it without the label (`nx release 2.1.0`).',
  ),
  PEP440_BAD_PREID: e('docs/error-codes.md', 'The --preid has no PEP 440 equivalent.', 'Use --preid rc, beta (b), alpha (a) or dev.'),
  PEP440_NEEDS_PREID: e(
    'docs/error-codes.md',
    'A pre-release bump was asked for without a pre-release phase.',
    'Pass --preid rc (or beta, alpha, dev).',
  ),
  PEP440_LONG_RELEASE: e(
    'docs/error-codes.md',
    'The version has more than 3 release numbers, so a relative bump is ambiguous.',
    'Give the new version explicitly.',
  ),
  PEP440_NOT_NEWER: e(
    'docs/error-codes.md',
    'The bumped version would not be newer than the current one.',
    'Give a newer version explicitly.',
  ),
  VERSION_NOT_NEWER: e(
    'docs/release-guide.md',
    '`[project].version` is not newer than the latest `v*` tag (branch mode).',
    'Bump it: `npx nx release <version> --skip-publish`.',
  ),
  VERSION_LOCAL: e(
    'docs/release-guide.md',
    '`[project].version` has a local label (`2.1.0+local`), which no index accepts.',
    'Set the version without it.',
  ),
  CHANGELOG_NO_SECTION: e(
    'docs/release-guide.md',
    '`CHANGELOG.md` has no `## <version>` section.',
    'Add one (`## 0.2.0` or `## [0.2.0] - 2026-05-01`), or let `nx release` write it.',
  ),
  CHANGELOG_MISSING: e(
    'docs/release-guide.md',
    'The changelog file does not exist.',
    'Create it with a section for the version, or point --changelog at it.',
  ),
  NO_TAGS_SHALLOW: e(
    'docs/release-guide.md',
    'No tags are visible and the clone is shallow.',
    '`actions/checkout` with `fetch-depth: 0`; locally `git fetch --tags --unshallow`.',
  ),
  NO_TAG: e('docs/release-guide.md', 'Tag mode without a tag.', 'Push a tag, run the workflow from a tag, or pass `--tag=vX.Y.Z` locally.'),
  TAG_PATTERN: e(
    'docs/release-guide.md',
    'The tag is not the release tag pattern followed by a version.',
    'Tag releases `v0.2.0`, `v0.3.0rc1`.',
  ),
  TAG_NOT_VERSION: e(
    'docs/release-guide.md',
    'The text after the tag prefix is not PEP 440.',
    'Use `v1.2.3`, `v1.2.3rc1`, `v1.2.3.post1`.',
  ),
  TAG_VERSION_MISMATCH: e(
    'docs/release-guide.md',
    'The tag names another version than pyproject.toml (or its back-end) gives.',
    'Delete the tag and tag the merged release commit.',
  ),
  FILE_UNREADABLE: e(
    'docs/release-guide.md',
    'pyproject.toml or the changelog is not a readable file (a directory, no permission).',
    'Fix the path, or pass `--changelog`.',
  ),
  FILE_UNWRITABLE: e('docs/release-guide.md', 'The notes file cannot be created.', 'Remove what is in the way or pass `--notesFile`.'),
  PEP517_METADATA_FAILED: e(
    'docs/release-guide.md',
    'A dynamic `[project].version` could not be computed by the build back-end (`prepare_metadata_for_build_wheel`).',
    'Fix the back-end configuration; for a VCS version check out with history and tags (`fetch-depth: 0`).',
  ),
  PEP517_BAD_VERSION: e(
    'docs/release-guide.md',
    'The build back-end computes a version that is not PEP 440.',
    'Fix its version configuration.',
  ),
  RELEASE_TAG_PATTERN: e(
    'docs/release-guide.md',
    "nx.json's release tag pattern is not `<text>{version}` (text and `{projectName}` before `{version}`).",
    'Write e.g. `v{version}` or `{projectName}-v{version}`; pass `--tagPrefix` to override.',
  ),
  NX_JSON_SYNTAX: e('docs/release-guide.md', 'nx.json is not valid JSON.', 'Fix the file.'),
  BAD_OPTION: e(
    'docs/release-guide.md',
    'An option has a value outside its allowed set (e.g. --mode, versionActionsOptions.zeroMajorBreaking).',
    'Use one of the values the line names.',
  ),
  CHANGELOG_HEADING_CONFLICT: e(
    'docs/release-guide.md',
    'A changelog heading Nx misreads would leave the new version without a section; nothing was written.',
    'Rename the heading it names to `## v<version>`.',
  ),
  NX_RELEASE_UNSUPPORTED: e(
    'docs/release-guide.md',
    "The workspace's Nx is outside the range the release integration is tested with, or an Nx internal it uses changed.",
    'Install an Nx in the range the line names (`NX_WHEELS_UNTESTED_NX=1` to try a newer one).',
  ),
  RELEASE_FIXED_GROUP_VERSIONS: e(
    'docs/release-guide.md',
    "A fixed release group's members are at different versions.",
    'Release them independently, or give them one version first.',
  ),
  PYPROJECT_DYNAMIC_VERSION: e(
    'docs/release-guide.md',
    '`[project].version` is dynamic and not from git tags: nx release cannot write it.',
    'A static `version = "X.Y.Z"`, or a VCS back-end whose version is the tag.',
  ),
  PYPROJECT_VERSION_NOT_EDITABLE: e(
    'docs/error-codes.md',
    '[project].version is not a one-line string nx release can edit in place.',
    'Write it as version = "X.Y.Z" under [project].',
  ),
  RELEASE_NO_CURRENT_VERSION: e(
    'docs/error-codes.md',
    'A relative bump has no current version to apply to.',
    'Set [project].version or give an explicit version (nx release 1.2.3).',
  ),
  REGISTRY_UNREACHABLE: e(
    'docs/error-codes.md',
    'The package registry that resolves the current version could not be reached.',
    'Check release.version.currentVersionResolverMetadata.registry in nx.json, or the network.',
  ),
  REGISTRY_BAD_RESPONSE: e(
    'docs/error-codes.md',
    'The package registry answered with an unexpected HTTP status.',
    'Check release.version.currentVersionResolverMetadata.registry (a JSON API base such as https://pypi.org/pypi).',
  ),
  BAD_OPTION_VERSION: e(
    'docs/error-codes.md',
    'Option specifier is neither a version nor a bump keyword.',
    'Pass a PEP 440 / SemVer version or major, minor, patch, premajor, preminor, prepatch, prerelease.',
  ),
  REHEARSAL_FAILED: e(
    'docs/error-codes.md',
    'A step of rehearse-release failed (its code and message follow).',
    'Fix the step named in the table above and rehearse again.',
  ),
  REHEARSAL_GIT: e(
    'docs/error-codes.md',
    'A git command in the rehearsal clone failed.',
    "Read git's message; the clone must be creatable from HEAD.",
  ),
  REHEARSAL_TAG_PATTERN: e(
    'docs/error-codes.md',
    "nx.json's release tag pattern does not end in {version}.",
    'Use a pattern such as v{version} or {projectName}-v{version}.',
  ),
  REHEARSAL_VERSION_NOT_NEWER: e(
    'docs/error-codes.md',
    'The rehearsed version is not newer than the latest release.',
    'Pass a newer version or major|minor|patch.',
  ),
  REHEARSAL_PLATFORM_UNAVAILABLE: e(
    'docs/error-codes.md',
    'A release platform cannot be rehearsed on this host (e.g. no wine for Windows).',
    'Install what the line names, or pass --platforms to rehearse the rest (reported as partial).',
  ),
  REHEARSAL_RELEASE_FAILED: e('docs/error-codes.md', 'nx release failed in the scratch workspace.', 'Read the [nx release] lines above.'),
  REHEARSAL_NOTHING_TO_RELEASE: e(
    'docs/error-codes.md',
    'nx release made no tag (no change conventional commits would release).',
    'Pass --specifier=patch (or a version) to rehearse one anyway.',
  ),
  RELEASE_CHECK_FAILED: e(
    'docs/error-codes.md',
    'validate-release in tag mode failed in the rehearsal.',
    'Fix what it names (docs/release-guide.md lists its codes).',
  ),
  REHEARSAL_PUBLISH_UNEXPECTED: e(
    'docs/error-codes.md',
    'A rehearsed publish did not upload (or, the second time, skip) every file.',
    'Read the publish table above; the publish pipeline is not idempotent for these files.',
  ),
  REHEARSAL_INSTALL_FAILED: e(
    'docs/error-codes.md',
    'pip could not download the rehearsed release from the throwaway index.',
    'Read the [pip download] lines above.',
  ),
  REHEARSAL_INDEX_BYTES: e(
    'docs/error-codes.md',
    'The throwaway index served other bytes than were built.',
    'Investigate the index; the release would not be the tested bytes.',
  ),
  REHEARSAL_INTERNAL: e(
    'docs/error-codes.md',
    "The rehearsal lost track of a wheel's build identifier (a bug).",
    'Report it with the rehearsal report.',
  ),
  INDEX_START_FAILED: e(
    'docs/error-codes.md',
    'The throwaway package index could not be started.',
    'Read the reason in the line; check the pinned index requirements.',
  ),
} as const satisfies Record<string, ErrorInfo>;
