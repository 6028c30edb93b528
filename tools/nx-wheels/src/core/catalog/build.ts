/** Catalog entries of building and testing wheels: plugin options, pyproject.toml, engines, toolchain, cross route. */
import { entry as e, type ErrorInfo } from './entry';

export const BUILD_ERRORS = {
  INTERNAL_ERROR: e(
    'docs/error-codes.md',
    'An unexpected error: a bug in the plugin or a tool it runs, not something the input caused.',
    'Re-run with QUIVER_DEBUG=1 for the stack trace and report it.',
  ),
  PLUGIN_OPTION_INVALID: e(
    'README.md',
    'An option of `@quiver/nx-wheels` in nx.json is unknown or has a bad value.',
    'Fix the option the line names in nx.json (docs/plugin-options.md lists them).',
  ),
  PYPROJECT_MISSING: e(
    'README.md',
    'The project root has no pyproject.toml.',
    'Run the target in a project whose root holds pyproject.toml.',
  ),
  PYPROJECT_SYNTAX: e(
    'README.md',
    'pyproject.toml is not valid TOML (reported as file:line:col).',
    'Fix the TOML at the position the line names.',
  ),
  PYPROJECT_NO_CIBUILDWHEEL: e(
    'README.md',
    'pyproject.toml has no [build-system] (or, for a compiled project, no [tool.cibuildwheel]) table.',
    'Add [build-system] requires and build-backend (and [tool.cibuildwheel] for a compiled package).',
  ),
  PYPROJECT_NO_NAME: e('README.md', '[project].name is missing.', 'Add name = "your-dist-name" under [project].'),
  PYPROJECT_BAD_NAME: e(
    'README.md',
    '[project].name is not a valid project name.',
    "Use letters, digits, '.', '-' and '_' (core metadata Name).",
  ),
  PYPROJECT_BAD_VERSION: e('README.md', '[project].version is not a string.', 'Write version = "1.2.3" under [project].'),
  PYPROJECT_NO_VERSION: e('docs/error-codes.md', '[project].version is missing and not dynamic.', 'Add version = "0.1.0" under [project].'),
  PYPROJECT_BAD_FIELD: e(
    'README.md',
    'A [project], [tool.cibuildwheel] or [tool.nx-wheels] field has the wrong type or value.',
    'Fix the field the line names as it says.',
  ),
  BUILD_SELECTOR_EMPTY: e(
    'README.md',
    '`build`/`skip`/`archs` (and `CIBW_*`) select no wheel for the platform.',
    'Widen the selection, or set [tool.nx-wheels] release-platforms to the platforms the package ships.',
  ),
  BAD_OPTION_PLATFORM: e(
    'README.md',
    'Option platform is not linux, windows or auto.',
    'Pass --platform=linux, --platform=windows or --platform=auto.',
  ),
  BAD_OPTION_ENGINE: e(
    'README.md',
    'Option engine is not auto, cibuildwheel or native.',
    'Pass --engine=auto, --engine=cibuildwheel or --engine=native.',
  ),
  BAD_OPTION_PLATFORMS: e(
    'docs/windows-from-linux.md',
    'Option platforms is not linux, windows or linux,windows, or disagrees with --platform.',
    'Pass --platforms=linux, --platforms=windows or --platforms=linux,windows.',
  ),
  BAD_OPTION_MANYLINUX: e(
    'README.md',
    'The manylinux target names something the zig route cannot build (musllinux, another arch, glibc < 2.17), or --manylinux is given with the cibuildwheel engine.',
    'Build musllinux with --engine=cibuildwheel and docker or podman, or pass a manylinux_2_X target.',
  ),
  BAD_OPTION_MAX_SIZE: e(
    'docs/error-codes.md',
    'Option maxSize of validate-wheels is not a positive number of bytes.',
    'Pass e.g. --maxSize=104857600 (100 MiB).',
  ),
  UNSUPPORTED_HOST: e(
    'docs/error-codes.md',
    'Platform auto cannot pick a platform on this operating system.',
    'Pass --platform=linux (needs docker or podman) or --platform=windows (needs a Windows host).',
  ),
  WINDOWS_NEEDS_WINDOWS_HOST: e(
    'README.md',
    'Windows wheels were asked for on a non-Windows host with an engine that needs Windows.',
    'Run the target on a Windows runner (runs-on: windows-latest), use the cross route, or pass --platform=linux.',
  ),
  NO_CONTAINER_ENGINE: e(
    'README.md',
    "`--engine=cibuildwheel` for Linux where no docker or podman starts a container (each engine's reason in the line).",
    'Start docker or podman, or build with --engine=native.',
  ),
  NATIVE_UNSUPPORTED: e(
    'README.md',
    'The native engine can build none of the selected identifiers (musllinux, another arch), or runs on a non-Linux host.',
    'Skip them (CIBW_SKIP) or use --engine=cibuildwheel.',
  ),
  BAD_IDENTIFIER: e(
    'docs/error-codes.md',
    'cibuildwheel printed a line that is not a build identifier.',
    'Check the pinned cibuildwheel and [tool.cibuildwheel] build/skip; report the line if it persists.',
  ),
  STAGING_NEEDS_GIT: e(
    'README.md',
    'The workspace is not a git repository, so the tracked sources to build cannot be known.',
    'Run in a clone of the repository (or git init && git add -A && git commit first).',
  ),
  PURE_WHEEL_NOT_PURE: e(
    'README.md',
    'A project built as pure-Python produced a platform wheel.',
    'Set [tool.nx-wheels] pure = false (or the plugin option pure: false).',
  ),
  COMPILED_WHEEL_IS_PURE: e(
    'README.md',
    'A project built as compiled produced a pure-Python wheel.',
    'Set [tool.nx-wheels] pure = true (or the plugin option pure: true).',
  ),
  UNEXPECTED_WHEEL: e(
    'docs/error-codes.md',
    'cibuildwheel produced a wheel that matches none of the planned identifiers.',
    'Check [tool.cibuildwheel] build/skip/archs and CIBW_* variables; they must agree with the plan.',
  ),
  NO_PYTHON: e(
    'README.md',
    'The toolchain interpreter is missing or older than CPython 3.11.',
    'Install CPython 3.11+ or pass --python=/path/to/python3.',
  ),
  NO_PYTHON_FOR_IDENTIFIER: e(
    'README.md',
    'Native engine: no CPython X.Y for any selected `cpXY` identifier.',
    'Install it (e.g. pyenv install 3.13) or pass --python=/path/to/python3.13.',
  ),
  NATIVE_BUILD_FAILED: e(
    'README.md',
    'The compiler or build back-end failed (python -m build).',
    'Read the [build ...] lines above for the compiler or back-end error.',
  ),
  NATIVE_NO_WHEEL: e(
    'docs/error-codes.md',
    'python -m build produced no wheel, or more than one.',
    'Check the back-end configuration; one build must produce exactly one wheel.',
  ),
  AUDITWHEEL_FAILED: e(
    'README.md',
    'auditwheel could not repair or analyse the wheel: it does not fit a manylinux policy.',
    'Read the [auditwheel] lines above; link against older glibc or vendor the libraries it names.',
  ),
  SDIST_BUILD_FAILED: e(
    'docs/error-codes.md',
    'Building the sdist failed (python -m build --sdist).',
    'Read the [sdist] lines above, or turn it off ([tool.nx-wheels] sdist = false).',
  ),
  TESTS_FAILED: e('README.md', "The binding's test-command failed.", 'Read the [test ...] lines above and fix the tests or the code.'),
  TEST_INSTALL_FAILED: e(
    'README.md',
    "The binding's test environment could not be created or the wheel not installed.",
    'Read the lines above; check the test-requires and the interpreter.',
  ),
  NO_BUILD_REPORT: e(
    'docs/error-codes.md',
    'The test target found no build report.',
    'Build the wheels first (the test target depends on build-wheels-untested).',
  ),
  NOTHING_TO_TEST: e(
    'docs/error-codes.md',
    'No wheel in the directory can be tested on this host.',
    "Run the test target on the host of the wheels' platform.",
  ),
  CIBUILDWHEEL_CONFIG: e(
    'README.md',
    'cibuildwheel refused the configuration (--print-build-identifiers failed).',
    "Fix [tool.cibuildwheel] or CIBW_* as cibuildwheel's message says.",
  ),
  CIBUILDWHEEL_FAILED: e(
    'README.md',
    'cibuildwheel exited 1-10 (each exit code explained in the line).',
    'Act on the explanation: start a container engine, fix the build, or use --engine=native.',
  ),
  TOOLCHAIN_INSTALL: e(
    'README.md',
    'pip could not install the pinned toolchain.',
    'Read the [toolchain] lines above; check network access to the index.',
  ),
  TOOLCHAIN_PIN: e(
    'docs/windows-from-linux.md',
    "`windows-cpython.json` (or cibuildwheel's constraints) is malformed; the line names the key and field.",
    'Restore the file from the plugin.',
  ),
  LOCK_TIMEOUT: e(
    'docs/error-codes.md',
    'A toolchain lock file is held by another process for too long.',
    'Delete the lock file the line names if no build is running.',
  ),
  TOOL_NOT_FOUND: e('docs/error-codes.md', 'A command the step needs is not on PATH.', 'Install it or put it on PATH.'),
  SPAWN_FAILED: e(
    'docs/error-codes.md',
    'A command could not be started.',
    'Check the reason in the line (permissions, a broken interpreter).',
  ),
  GIT_FAILED: e('docs/error-codes.md', 'A git command failed.', "Read git's message in the line; check the repository state."),
  NOT_A_GIT_REPO: e('docs/error-codes.md', 'The workspace is not inside a git repository.', 'Run in a clone of the repository.'),
  ZIG_BROKEN: e('README.md', 'The pinned ziglang venv does not run.', 'Delete `.nx-wheels/zig` so the next build reinstalls it.'),
  ZIG_NO_TARGET: e('docs/error-codes.md', 'The zig compiler was asked for without a manylinux target.', 'Pass --manylinux=2_<minor>.'),
  CROSS_UNSUPPORTED: e(
    'docs/windows-from-linux.md',
    'An identifier the cross route cannot build (win32, win_arm64, PyPy, free-threaded), or no CPython pinned for its version.',
    'Skip it (CIBW_SKIP) or build it on a Windows runner with --engine=cibuildwheel.',
  ),
  CROSS_WRONG_TAG: e(
    'docs/error-codes.md',
    'A cross build did not produce a win_amd64 wheel.',
    'Use a back-end that takes the target from _PYTHON_HOST_PLATFORM (scikit-build-core does).',
  ),
  CPYTHON_DOWNLOAD_FAILED: e(
    'docs/windows-from-linux.md',
    'mvn could not fetch the pinned Windows CPython package.',
    'Check network access to Maven Central and the pin in windows-cpython.json.',
  ),
  CPYTHON_SHA256_MISMATCH: e(
    'docs/windows-from-linux.md',
    'The Windows CPython package has other bytes than pinned.',
    'Nothing was installed; fetch again from Maven Central, not a mirror.',
  ),
  CPYTHON_LAYOUT: e(
    'docs/windows-from-linux.md',
    "The unpacked Windows CPython is not laid out like python.org's.",
    'Fix "root" in windows-cpython.json.',
  ),
  WINDOWS_DLL_IMPORT: e(
    'docs/windows-from-linux.md',
    'The built module imports a MinGW runtime or an unknown DLL, or is no readable PE module.',
    'Link the C++ runtime statically and rebuild.',
  ),
  WINE_MISSING: e(
    'docs/windows-from-linux.md',
    'wine is not installed, so Windows wheels cannot be tested here.',
    'Install wine (apt-get install -y wine wine64) or pass --test=false.',
  ),
  WINE_BROKEN: e(
    'docs/windows-from-linux.md',
    'wine does not run or the WINEPREFIX cannot be made.',
    'Reinstall wine (apt-get install -y --no-install-recommends wine wine64).',
  ),
} as const satisfies Record<string, ErrorInfo>;
