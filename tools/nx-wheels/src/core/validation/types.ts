/**
 * The shapes the validate-wheels rules share: what is expected, what the pipeline read from the
 * wheel directory, and what the rules return per wheel and for the directory.
 */
import { BuildIdentifier } from '../identifiers';
import { Abi3Declaration } from './abi3';
import { WheelFilename } from '../wheel-filename';
import { WheelArchive } from '../wheel-archive';
import { SdistArchive } from '../sdist';
import { CheckName } from './codes';
import { ToolOutput } from './external';
import { Finding } from './findings';

/** What the wheelhouse must be. */
export interface Expectation {
  /** `[project].name` as written. */
  name: string;
  /** pyproject.toml path, for messages. */
  pyprojectFile: string;
  /** `[project].version` as written; null when absent. */
  version: string | null;
  /** Version is listed in `[project].dynamic` (then it is not compared). */
  dynamicVersion: boolean;
  /** Git tag or ref being released, and where it came from (`option tag`, `GITHUB_REF`), or null for no tag check. */
  tag: { value: string; source: string } | null;
  /**
   * The release tag prefix of the project (`v`, `quiverdb-v`: core/release-tag.ts); absent: one
   * leading `v` is stripped (`v1.2.3`). A tag without this prefix is TAG_INVALID.
   */
  tagPrefix?: string;
  /** One wheel is expected per identifier. */
  identifiers: BuildIdentifier[];
  /** Largest acceptable wheel, in bytes. */
  maxSize: number;
  /** Exactly one sdist is expected beside the wheels (default false: an sdist is SDIST_UNEXPECTED). */
  sdist?: boolean;
  /** The project's stable-ABI declaration: one `cpXY-abi3` wheel per platform serves the CPython identifiers from cpXY on. null/absent: version-specific wheels. */
  abi3?: Abi3Declaration | null;
  /** twine's --strict-only warnings fail the release (TWINE_CHECK_FAILED) instead of being TWINE_STRICT_WARNING (default false). */
  twineStrict?: boolean;
  /**
   * `[tool.nx-wheels] foreign-binaries`: picomatch globs of archive paths shipped for another
   * platform on purpose (e.g. `debugpy/_vendored/**\/*.dll`); the BINARY_* rules skip them.
   */
  foreignBinaries?: readonly string[];
}

/** One entry of the wheel directory, as the pipeline read it. */
export interface InspectedFile {
  /** Basename. */
  name: string;
  kind: 'file' | 'directory' | 'other';
  size: number;
  /** Lower-case hex sha256 of the whole file, when read. */
  sha256: string | null;
  /** Why the file could not be read, or null. */
  readError: string | null;
  /** The archive, for `.whl` files that were read. */
  archive: WheelArchive | null;
  /** `twine check --strict` output; null/undefined when not run. */
  twine?: ToolOutput | null;
  /** `auditwheel show` output; null/undefined when not run. */
  auditwheel?: ToolOutput | null;
  /** The sdist's reading, for `.tar.gz` files when an sdist is expected. */
  sdist?: SdistArchive | null;
}

/** Result of the checks of one wheel. */
export interface WheelResult {
  file: string;
  parsed: WheelFilename | null;
  /** Identifier it was matched to, or null. */
  identifier: string | null;
  size: number;
  sha256: string | null;
  /** Claimed Linux policy, e.g. `manylinux_2_34 (glibc >= 2.34)`, or empty. */
  policy: string;
  /** Tag `auditwheel show` found the wheel consistent with, when it ran. */
  auditwheelTag: string | null;
  /** Files whose RECORD hash and size were verified. */
  recordVerified: number;
  /** Per check: `ok` / `failed` / `skipped` and a short detail for the table. */
  checks: Array<{ check: CheckName; status: 'ok' | 'failed' | 'skipped'; detail: string }>;
  findings: Finding[];
  /** The foreign-binaries globs that matched a binary of this wheel (skipped by the BINARY_* rules). */
  foreignBinariesUsed?: string[];
}

/** Everything the rules found. */
export interface ValidationOutcome {
  /** Normalized `[project].version`, or null. */
  projectVersion: string | null;
  /** Normalized version of the tag, or null. */
  tagVersion: string | null;
  /** Findings not about one wheel: configuration, missing identifiers, unexpected files. */
  wheelhouseFindings: Finding[];
  wheels: WheelResult[];
  /** Every finding (wheelhouse + wheels), in report order. */
  findings: Finding[];
}

/**
 * What one check family returns for one wheel: its findings, the detail for the table, and
 * whether it could not run (e.g. WHEEL absent for the METADATA family is not a skip, but
 * unreadable text is). Families also report into other checks by the findings' codes.
 */
export interface FamilyResult {
  findings: Finding[];
  /** Detail per check for the table. */
  notes?: Partial<Record<CheckName, string>>;
  /** Checks that could not run. */
  skipped?: CheckName[];
}

/** A wheel's readable archive, as the archive-level families see it. */
export interface WheelContext {
  /** Basename of the wheel file. */
  file: string;
  /** Parsed filename, or null when it does not follow the grammar. */
  parsed: WheelFilename | null;
  archive: WheelArchive;
}

/** True for a pure wheel (`none` abi, `any` platform). */
export function isPure(p: WheelFilename): boolean {
  return p.abiTags.every((t) => t === 'none') && p.platformTags.every((t) => t === 'any');
}
