/**
 * The stable codes of validate-wheels findings. Each code names one thing that makes a release
 * wrong, the check (column of the per-wheel table) it belongs to, and the one-line fix printed
 * beside it. Codes never change meaning; new ones are added at the end of their group.
 * docs/validation-codes.md documents every code (a unit test keeps the two in sync).
 */

/** The check a finding belongs to; one row group of the per-wheel table. */
export type CheckName =
  | 'config'
  | 'wheelhouse'
  | 'filename'
  | 'version'
  | 'tags'
  | 'size'
  | 'archive'
  | 'dist-info'
  | 'WHEEL'
  | 'METADATA'
  | 'RECORD'
  | 'binaries'
  | 'twine'
  | 'auditwheel'
  | 'sdist';

/** `error` fails the validation; `warning` is printed and reported but does not fail it. */
export type Severity = 'error' | 'warning';

export interface CodeInfo {
  check: CheckName;
  severity: Severity;
  /** What the code means, one sentence. */
  title: string;
  /** The one-line fix. */
  fix: string;
}

const c = (check: CheckName, title: string, fix: string, severity: Severity = 'error'): CodeInfo => ({ check, severity, title, fix });

/** Every code, in documentation order. */
export const CODES = {
  // configuration: what "expected" means
  PYPROJECT_VERSION_INVALID: c('config', '[project].version is missing or not a PEP 440 version, so no wheel version can be checked against it.', 'Set [project].version in pyproject.toml to a PEP 440 version such as "1.2.3" or "1.2.3rc1".'),
  TAG_INVALID: c('config', 'The git tag (option tag, GITHUB_REF_NAME or GITHUB_REF) does not name a PEP 440 version after stripping a leading "v".', 'Tag releases as vX.Y.Z (e.g. v1.2.3, v1.2.3rc1), or pass --tag with the release tag.'),

  // the wheelhouse as a set
  WHEELHOUSE_EMPTY: c('wheelhouse', 'The wheel directory contains no wheel at all.', 'Build the wheels first (nx run <project>:build-wheels) or download every platform\'s artifact into the directory.'),
  WHEEL_MISSING: c('wheelhouse', 'A build identifier that cibuildwheel selects for the configured platforms has no wheel.', 'Build (or download the artifact of) the missing platform, or remove the identifier from [tool.cibuildwheel] build/skip.'),
  WHEEL_EXTRA: c('wheelhouse', 'A wheel matches none of the identifiers cibuildwheel selects for the configured platforms.', 'Delete the stray wheel, or add its identifier to [tool.cibuildwheel] build (and the platform to the platforms option).'),
  WHEEL_DUPLICATE: c('wheelhouse', 'Two or more wheels were built for the same build identifier.', 'Keep exactly one wheel per identifier: clear the directory and rebuild, or delete the stale copy.'),
  WHEEL_PURE_UNEXPECTED: c('wheelhouse', 'A pure-Python wheel (py3-none-any) is present although this project ships binary wheels.', 'Delete it; a pure wheel would be installed on every platform instead of the binary ones.'),
  SDIST_UNEXPECTED: c('wheelhouse', 'A source distribution is in the wheel directory, which validate-wheels does not expect.', 'Keep sdists out of the wheel directory (publish them from their own directory) or delete it.'),
  FILE_UNEXPECTED: c('wheelhouse', 'A file or directory that is neither a wheel nor one of quiver\'s reports is in the wheel directory.', 'Delete it: `twine upload <dir>/*` would try to upload it.'),
  FILE_UNREADABLE: c('wheelhouse', 'A wheel cannot be read (permissions, dangling link, a directory named *.whl).', 'Fix the file\'s permissions or replace it with a real wheel file.'),

  // filename
  FILENAME_INVALID: c('filename', 'The name does not follow {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl.', 'Rebuild the wheel; never rename wheels by hand.'),
  NAME_NOT_NORMALIZED: c('filename', 'The distribution part of the filename is not the normalized, escaped form (lower case, runs of "-_." as one "_").', 'Rebuild with a current build backend; the filename must start with the normalized name (e.g. quiverdb-).'),
  NAME_MISMATCH: c('filename', 'The wheel\'s distribution name is not [project].name (after PEP 503 normalization).', 'Remove wheels of other projects from the directory, or fix [project].name.'),

  // version
  VERSION_INVALID: c('version', 'The version in the filename is not a PEP 440 version.', 'Rebuild from a pyproject.toml whose [project].version is PEP 440.'),
  VERSION_NOT_NORMALIZED: c('version', 'The version in the filename is not in PEP 440 normalized form (e.g. 1.0.0-rc1 instead of 1.0.0rc1).', 'Rebuild with a current build backend; it writes the normalized version.'),
  VERSION_MISMATCH_PYPROJECT: c('version', 'The wheel\'s version differs from [project].version.', 'Rebuild the wheels from the current pyproject.toml (stale wheels from an older version are in the directory).'),
  VERSION_MISMATCH_TAG: c('version', 'The wheel\'s version differs from the git tag being released.', 'Bump [project].version to the tag\'s version (nx release version) and rebuild, or tag the commit with v<version>.'),
  VERSION_LOCAL: c('version', 'The version in the wheel filename, its METADATA or [project].version has a PEP 440 local label (1.2.3+local), which PyPI refuses (HTTP 400).', 'Remove the "+..." label: set [project].version (or the version your build backend derives, e.g. setuptools-scm local_scheme = "no-local-version") to a public version and rebuild.'),

  // tags
  TAGS_IDENTIFIER_MISMATCH: c('tags', 'The python or abi tag does not match the build identifier the wheel was built for (e.g. cp313-abi3 for cp313-manylinux_x86_64).', 'Rebuild for that identifier with the matching interpreter; do not retag wheels by hand.'),
  PLATFORM_TAG_REJECTED: c('tags', 'PyPI refuses this platform tag (e.g. linux_x86_64: a Linux wheel must carry a manylinux or musllinux tag).', 'Repair Linux wheels with auditwheel repair (build-wheels does) so they carry manylinux_X_Y_<arch>.'),
  ABI3_UNDECLARED: c('tags', 'A stable-ABI wheel (cpXY-abi3) is in the directory, but the project declares no stable ABI, so version-specific wheels are expected.', 'Declare it where your back-end reads it (scikit-build-core wheel.py-api = "cp312", setuptools py_limited_api, PyO3 feature abi3-py312) or set [tool.nx-wheels] abi3 = "cp312"; else rebuild without the limited API.'),
  ABI3_EXPECTED: c('tags', 'The project declares the stable ABI from cpXY on, but a version-specific wheel was built for an identifier that the cpXY-abi3 wheel should serve.', 'Build with the declared limited API (cibuildwheel then builds one cpXY-abi3 wheel per platform and reuses it), delete the version-specific wheel, or remove the declaration.'),
  PLATFORM_TAG_MISMATCH: c('tags', 'The platform tag does not match the build identifier (e.g. musllinux for a manylinux identifier, or another architecture).', 'Rebuild the wheel for its identifier; check [tool.cibuildwheel] archs and manylinux images.'),

  // size
  WHEEL_TOO_LARGE: c('size', 'The wheel is larger than the upload limit (default PyPI\'s 100 MiB).', 'Strip debug symbols (CMAKE_BUILD_TYPE=Release, -s) and drop data files from the wheel, or request a larger limit from PyPI and pass --maxSize.'),

  // archive
  ZIP_INVALID: c('archive', 'The file is not a zip archive at all.', 'Replace it with the wheel as built; a download or artifact step wrote something else (an HTML page, a pointer file).'),
  ZIP_TRUNCATED: c('archive', 'The zip is cut short: it starts like a zip but its central directory is missing.', 'Download or copy the wheel again; the transfer stopped early.'),
  ZIP_CORRUPT: c('archive', 'An entry cannot be read: bad local header, inflate error, CRC-32 mismatch, or an unsupported compression or encryption.', 'Rebuild the wheel; the file was damaged after it was written.'),
  ZIP_PATH_UNSAFE: c('archive', 'An entry\'s path is absolute, has ".." segments, a drive letter or backslashes (zip-slip).', 'Rebuild with a standard build backend; a wheel must only contain relative paths inside site-packages.'),
  ZIP_SYMLINK: c('archive', 'An entry is a symbolic link, which wheels cannot represent and installers write as plain files.', 'Copy the link target into the package instead of linking (e.g. install(FILES) rather than a symlink).'),
  ZIP_DUPLICATE_ENTRY: c('archive', 'Two entries have the same path; which one is installed depends on the tool.', 'Rebuild the wheel; a tool appended a file to an existing wheel.'),
  ZIP_LOCAL_HEADER_MISMATCH: c('archive', 'An entry\'s local file header disagrees with its central directory entry (name, compression method, CRC-32 or sizes): pip reads one, some unzip tools the other.', 'Rebuild the wheel with a standard build backend (or `wheel pack`); a tool rewrote the zip in place.'),
  ZIP_ENTRIES_OVERLAP: c('archive', 'Two entries (or an entry and the central directory) share bytes of the file, as in zip bombs and polyglot files.', 'Rebuild the wheel with a standard build backend; never assemble zips by hand.'),
  ZIP_UNCLAIMED_DATA: c('archive', 'Bytes before the central directory belong to no entry (prepended or hidden data).', 'Rebuild the wheel with a standard build backend; do not append or prepend data to a wheel.'),

  // .dist-info
  DIST_INFO_MISSING: c('dist-info', 'There is no {name}-{version}.dist-info directory.', 'Rebuild the wheel with a standard build backend.'),
  DIST_INFO_MULTIPLE: c('dist-info', 'There is more than one .dist-info directory.', 'Rebuild from a clean build directory.'),
  DIST_INFO_MISMATCH: c('dist-info', 'The .dist-info directory\'s name or version differs from the filename\'s.', 'Rebuild the wheel; never rename wheels by hand.'),
  WHEEL_FILE_MISSING: c('WHEEL', 'The .dist-info/WHEEL file is missing.', 'Rebuild the wheel with a standard build backend.'),
  WHEEL_FILE_INVALID: c('WHEEL', 'The .dist-info/WHEEL file lacks Wheel-Version 1.x or cannot be parsed.', 'Rebuild the wheel with a standard build backend.'),
  WHEEL_TAGS_MISMATCH: c('WHEEL', 'The Tag: lines of .dist-info/WHEEL differ from the tags in the filename.', 'Rebuild or repair the wheel (auditwheel repair rewrites both); never rename wheels by hand.'),
  WHEEL_ROOT_IS_PURELIB: c('WHEEL', 'A binary wheel says Root-Is-Purelib: true.', 'Fix the build backend configuration so binary wheels install to platlib (Root-Is-Purelib: false).'),
  WHEEL_BUILD_TAG_MISMATCH: c('WHEEL', 'The Build: field of .dist-info/WHEEL differs from the filename\'s build tag.', 'Rebuild the wheel with the build tag given to the backend, not added to the filename afterwards.'),
  METADATA_MISSING: c('METADATA', 'The .dist-info/METADATA file is missing.', 'Rebuild the wheel with a standard build backend.'),
  METADATA_INVALID: c('METADATA', 'METADATA is not valid core metadata: Metadata-Version, Name or Version missing or malformed.', 'Rebuild with a current build backend; check [project] in pyproject.toml.'),
  METADATA_NAME_MISMATCH: c('METADATA', 'The Name in METADATA differs from the filename\'s distribution (after normalization).', 'Rebuild the wheel; never rename wheels by hand.'),
  METADATA_VERSION_MISMATCH: c('METADATA', 'The Version in METADATA differs from the filename\'s version.', 'Rebuild the wheel; never rename wheels or edit METADATA by hand.'),
  RECORD_MISSING: c('RECORD', 'The .dist-info/RECORD file is missing.', 'Rebuild the wheel; RECORD is how installers verify and uninstall it.'),
  RECORD_INVALID: c('RECORD', 'A RECORD row is malformed: not path,hash,size, a hash not written as urlsafe base64 without padding, or a path listed twice.', 'Rebuild the wheel with a standard build backend (or `wheel pack`) instead of editing RECORD.'),
  RECORD_HASH_WEAK: c('RECORD', 'A RECORD row uses a hash algorithm weaker than sha256 (md5, sha1) or an unknown one.', 'Rebuild the wheel; RECORD must use sha256 or stronger.'),
  RECORD_FILE_UNLISTED: c('RECORD', 'A file in the archive is not listed in RECORD.', 'Rebuild the wheel; files added after building (e.g. by a post-processing step) must go through `wheel pack` or auditwheel.'),
  RECORD_FILE_MISSING: c('RECORD', 'RECORD lists a file that is not in the archive.', 'Rebuild the wheel; a file was removed after building.'),
  RECORD_HASH_MISSING: c('RECORD', 'A file other than RECORD itself is listed without a hash.', 'Rebuild the wheel with a standard build backend.'),
  RECORD_HASH_MISMATCH: c('RECORD', 'A file\'s sha256 differs from the one RECORD lists: its content changed after building.', 'Rebuild the wheel; never modify files inside a built wheel.'),
  RECORD_SIZE_MISMATCH: c('RECORD', 'A file\'s size differs from the one RECORD lists.', 'Rebuild the wheel; never modify files inside a built wheel.'),

  // binaries
  BINARY_SUFFIX_MISMATCH: c('binaries', 'An extension module or shared library has a suffix of another platform: .pyd/.dll outside a Windows wheel, .so in a Windows wheel, .dylib outside a macOS wheel.', 'Rebuild the wheel for its platform from a clean build directory; a binary from another platform\'s build was packaged.'),
  BINARY_FORMAT_MISMATCH: c('binaries', 'A binary\'s executable format is not the platform tag\'s (ELF for manylinux/musllinux, PE for win_*, Mach-O for macosx_*), or a file with a binary suffix is no executable at all.', 'Rebuild the wheel on (or cross-compiling for) its platform; check that no prebuilt file of another platform is installed into the package.'),
  BINARY_ARCH_MISMATCH: c('binaries', 'A binary is for another machine than the platform tag names (e.g. ELF AArch64 in a manylinux x86_64 wheel, PE i386 in win_amd64).', 'Rebuild for the tag\'s architecture ([tool.cibuildwheel] archs) and check CMAKE_SYSTEM_PROCESSOR / the compiler\'s target; do not retag wheels.'),
  BINARY_DLL_IMPORT: c('binaries', 'A Windows module imports a DLL a user\'s Windows does not have: a MinGW runtime DLL (libstdc++-6.dll, libgcc_s_seh-1.dll, libwinpthread-1.dll) or any DLL that is neither the wheel\'s CPython DLL (python3XY.dll, python3.dll) nor a Windows system or UCRT DLL (KERNEL32.dll, api-ms-win-crt-*, vcruntime140.dll).', 'Link the C++ runtime statically (zig c++, or -static-libstdc++ -static-libgcc with MinGW; MSVC uses the UCRT) and ship or statically link any other library; delvewheel repair bundles DLLs a wheel really needs.'),
  FOREIGN_BINARIES_UNUSED: c('binaries', 'A [tool.nx-wheels] foreign-binaries glob matched no binary in any wheel of the release (a stale or mistyped pattern would hide nothing, but also allows nothing).', 'Correct the glob to the path inside the wheel (e.g. "debugpy/_vendored/**/*.dll"), or remove it from [tool.nx-wheels] foreign-binaries.', 'warning'),

  // external tools
  TWINE_CHECK_FAILED: c('twine', '`twine check --strict` reports an error (a long description that PyPI would not render, missing metadata), or a --strict warning when option twineStrict is true.', 'Fix what twine reports, usually readme / Description-Content-Type in [project], and rebuild.'),
  TWINE_STRICT_WARNING: c('twine', '`twine check --strict` warns about something PyPI accepts (e.g. long_description_content_type missing: PyPI renders the description as reStructuredText). A warning: shown, not failing, unless option twineStrict is true.', 'Set what twine names, usually readme / Description-Content-Type in [project], and rebuild; or ignore it knowingly.', 'warning'),
  AUDITWHEEL_FAILED: c('auditwheel', '`auditwheel show` could not analyse the Linux wheel.', 'Run `auditwheel show <wheel>` to see why; the wheel\'s extension modules may be damaged.'),
  AUDITWHEEL_POLICY_MISMATCH: c('auditwheel', 'The wheel claims a manylinux/musllinux policy older than its symbols allow, or is not manylinux-compatible at all.', 'Repair with `auditwheel repair` (build-wheels does), or build in an older manylinux image so the tag can be honoured.'),

  // the source distribution, when the project ships one ([tool.nx-wheels] sdist = true / option sdist)
  SDIST_MISSING: c('sdist', 'The project ships an sdist (option sdist) but the directory holds none.', 'Build it with build-wheels --sdist (it is built on the Linux leg) or download its artifact into the directory.'),
  SDIST_EXTRA: c('sdist', 'More than one source distribution is in the directory.', 'Keep exactly one {name}-{version}.tar.gz; delete stale ones.'),
  SDIST_FILENAME_INVALID: c('sdist', 'The sdist is not named {name}-{version}.tar.gz with the normalized, escaped name (PEP 625).', 'Rebuild it with python -m build --sdist (a current backend names it right); PyPI refuses other names.'),
  SDIST_INVALID: c('sdist', 'The sdist is not a gzipped tar with exactly one top-level directory {name}-{version}/ holding pyproject.toml.', 'Rebuild it with python -m build --sdist; never repack sdists by hand.'),
  SDIST_PKG_INFO_MISSING: c('sdist', 'The sdist has no {name}-{version}/PKG-INFO (its core metadata).', 'Rebuild it with a PEP 517 backend, which writes PKG-INFO.'),
  SDIST_METADATA_MISMATCH: c('sdist', 'PKG-INFO Name or Version differs from the sdist filename or [project].', 'Rebuild the sdist from the released commit; the file must not be renamed.'),
} as const satisfies Record<string, CodeInfo>;

/** A finding code. */
export type Code = keyof typeof CODES;

/** All codes in documentation order. */
export const ALL_CODES = Object.keys(CODES) as Code[];
