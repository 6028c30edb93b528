/**
 * The files of a generated binding project, as text keyed by path relative to the project
 * directory. Pure: no tree, no file system. The shape follows bindings/python (scikit-build-core
 * 1.1.2, nanobind 3.1.0, cp313 wheels tested by cibuildwheel's test-command).
 */

/** Platforms the generator configures, each with the one cibuildwheel build identifier it selects. */
export const PLATFORM_IDENTIFIERS = {
  linux: 'cp313-manylinux_x86_64',
  windows: 'cp313-win_amd64',
} as const;
export type Platform = keyof typeof PLATFORM_IDENTIFIERS;

/** Exact build-system pins (the wheel build is reproducible and Nx caches on pyproject.toml). */
const PINS = {
  scikitBuildCore: 'scikit-build-core==1.1.2',
  nanobind: 'nanobind==3.1.0',
  pybind11: 'pybind11==3.1.0',
} as const;

/** Every resolved option of one generation (see planBinding). */
export interface BindingPlan {
  /** Nx project name and [project].name. */
  name: string;
  /** Workspace-relative project directory (posix). */
  directory: string;
  /** Nx project name of the library. */
  library: string;
  /** Workspace-relative root of the library (posix). */
  libraryRoot: string;
  /** The library root relative to the project directory, e.g. `../../libs/quiver`. */
  libraryRelative: string;
  /** CMake target the extension links, e.g. `quiver::quiver`. */
  cmakeTarget: string;
  binding: 'nanobind' | 'pybind11';
  /** Python import name of the package. */
  importName: string;
  platforms: Platform[];
}

const toml = (s: string) => JSON.stringify(s);

function pyproject(p: BindingPlan): string {
  const basename = p.directory.split('/').pop();
  const archs: Record<Platform, string> = { linux: 'x86_64', windows: 'AMD64' };
  return [
    '[build-system]',
    '# Exact pins: the wheel build is reproducible and cached by Nx on this file.',
    `requires = [${toml(PINS.scikitBuildCore)}, ${toml(PINS[p.binding])}]`,
    'build-backend = "scikit_build_core.build"',
    '',
    '[project]',
    `name = ${toml(p.name)}`,
    'version = "0.1.0"',
    `description = ${toml(`Python binding of the ${p.library} C++ library.`)}`,
    `requires-python = ">=3.10"`,
    'classifiers = [',
    '  "Programming Language :: C++",',
    '  "Programming Language :: Python :: 3",',
    '  "Programming Language :: Python :: Implementation :: CPython",',
    ']',
    '',
    '[tool.scikit-build]',
    '# Enables every behaviour of the pinned scikit-build-core version.',
    'minimum-version = "build-system.requires"',
    'cmake.version = ">=3.15"',
    'cmake.build-type = "Release"',
    `wheel.packages = [${toml(`src/${p.importName}`)}]`,
    `# Only the extension goes into the wheel, not the install rules of ${p.library}.`,
    'install.components = ["python"]',
    'sdist.exclude = ["wheelhouse/", ".nx-wheels/", "build/", "dist/"]',
    '',
    ...nxWheelsTable(p, basename),
    '[tool.cibuildwheel]',
    `build = [${p.platforms.map((x) => toml(PLATFORM_IDENTIFIERS[x])).join(', ')}]`,
    'build-frontend = "build"',
    'test-requires = ["pytest"]',
    '# {project} is the workspace root (where the build runs); the tests are this project\'s own.',
    `test-command = ${toml(`pytest {project}/${p.directory}/tests -p no:cacheprovider --import-mode=importlib`)}`,
    ...p.platforms.flatMap((x) => ['', `[tool.cibuildwheel.${x}]`, `archs = [${toml(archs[x])}]`]),
    '',
  ].join('\n');
}

/**
 * The CMakeLists.txt lines that make MSVC builds byte-reproducible: without them MSVC writes the
 * link time into the .pyd's PE header, so a rebuild of the same commit (a re-run of the release
 * workflow after PyPI took the Windows wheel) differs from the published file. `/Brepro` (compiler
 * and linker) writes a content hash instead. They come before add_subdirectory() and the module so
 * the library and the binding's static helpers are built with them too. No `/PDBALTPATH`: the
 * Release build (pyproject.toml cmake.build-type) links without /DEBUG, so no PDB path is embedded.
 */
export const MSVC_REPRODUCIBLE = [
  '# MSVC stamps the link time into the .pyd; /Brepro writes a content hash instead, so a rebuild of',
  '# one commit is byte-identical (a re-run of a release then matches what PyPI already has).',
  'if(MSVC)',
  '  add_compile_options(/Brepro)',
  '  add_link_options(/Brepro)',
  'endif()',
] as const;

function cmakeLists(p: BindingPlan): string {
  const nb = p.binding === 'nanobind';
  const libDir = `\${CMAKE_CURRENT_SOURCE_DIR}/${p.libraryRelative}`;
  return [
    `# Builds the ${p.importName}._core extension. Driven by scikit-build-core (see pyproject.toml).`,
    'cmake_minimum_required(VERSION 3.15...3.31)',
    '',
    'project(${SKBUILD_PROJECT_NAME} VERSION ${SKBUILD_PROJECT_VERSION} LANGUAGES CXX)',
    '',
    'find_package(Python 3.10 REQUIRED COMPONENTS Interpreter Development.Module)',
    ...(nb
      ? ['# Found in the isolated build environment, which scikit-build-core puts on CMAKE_PREFIX_PATH.', 'find_package(nanobind CONFIG REQUIRED)']
      : ['set(PYBIND11_FINDPYTHON ON)', '# Found in the isolated build environment, which scikit-build-core puts on CMAKE_PREFIX_PATH.', 'find_package(pybind11 CONFIG REQUIRED)']),
    '',
    `if(NOT EXISTS "${libDir}/CMakeLists.txt")`,
    `  message(FATAL_ERROR "${p.libraryRoot} not found next to ${p.directory}: ${p.name} builds only from a checkout of the workspace.")`,
    'endif()',
    '',
    ...MSVC_REPRODUCIBLE,
    '',
    `# The C++ library ${p.library}. This literal relative path is also how the Nx plugin infers`,
    `# that ${p.name} depends on ${p.library}.`,
    `add_subdirectory("${libDir}" "\${CMAKE_CURRENT_BINARY_DIR}/${p.library}" EXCLUDE_FROM_ALL)`,
    '',
    nb ? 'nanobind_add_module(_core NB_STATIC src/_core.cpp)' : 'pybind11_add_module(_core src/_core.cpp)',
    `target_link_libraries(_core PRIVATE ${p.cmakeTarget})`,
    'target_compile_features(_core PRIVATE cxx_std_17)',
    '',
    `install(TARGETS _core LIBRARY DESTINATION ${p.importName} COMPONENT python)`,
    '',
  ].join('\n');
}

function coreCpp(p: BindingPlan): string {
  const doc = `Native core of ${p.importName}, linked with ${p.cmakeTarget}.`;
  const body = [
    '// Start here: include the headers of ' + p.library + ' and bind its API.',
    p.binding === 'nanobind' ? '#include <nanobind/nanobind.h>' : '#include <pybind11/pybind11.h>',
    '',
    p.binding === 'nanobind' ? 'namespace nb = nanobind;' : 'namespace py = pybind11;',
    '',
    p.binding === 'nanobind' ? 'NB_MODULE(_core, m) {' : 'PYBIND11_MODULE(_core, m) {',
    `  m.doc() = ${JSON.stringify(doc)};`,
    `  m.attr("library") = ${JSON.stringify(p.library)};`,
    p.binding === 'nanobind'
      ? '  m.def("add", [](long long a, long long b) { return a + b; }, nb::arg("a"), nb::arg("b"), "Return a + b, computed in C++.");'
      : '  m.def("add", [](long long a, long long b) { return a + b; }, py::arg("a"), py::arg("b"), "Return a + b, computed in C++.");',
    '}',
    '',
  ];
  return body.join('\n');
}

function initPy(p: BindingPlan): string {
  return [
    `"""${p.importName}: Python binding of the ${p.library} C++ library."""`,
    '',
    'from __future__ import annotations',
    '',
    'from importlib.metadata import PackageNotFoundError, version as _dist_version',
    '',
    'from ._core import add, library',
    '',
    'try:',
    `    __version__ = _dist_version(${JSON.stringify(p.name)})`,
    'except PackageNotFoundError:  # pragma: no cover - not installed',
    '    __version__ = "0+unknown"',
    '',
    '__all__ = ["__version__", "add", "library"]',
    '',
  ].join('\n');
}

function testPy(p: BindingPlan): string {
  return [
    `"""The installed ${p.name} wheel (run with --import-mode=importlib: never the source tree)."""`,
    '',
    'from __future__ import annotations',
    '',
    'import importlib.metadata',
    'from pathlib import Path',
    '',
    `import ${p.importName}`,
    `from ${p.importName} import _core`,
    '',
    '',
    'def test_imported_from_the_installed_wheel_not_the_source_tree() -> None:',
    '    source_tree = (Path(__file__).resolve().parents[1] / "src").resolve()',
    `    assert source_tree not in Path(${p.importName}.__file__).resolve().parents`,
    '',
    '',
    'def test_native_module() -> None:',
    `    assert ${p.importName}.add(2, 3) == 5`,
    `    assert _core.library == ${JSON.stringify(p.library)}`,
    '',
    '',
    'def test_version_comes_from_the_distribution_metadata() -> None:',
    `    assert ${p.importName}.__version__ == importlib.metadata.version(${JSON.stringify(p.name)})`,
    '',
  ].join('\n');
}

/** Every file of the project: path relative to the project directory -> text. */
export function bindingFiles(p: BindingPlan): Record<string, string> {
  return {
    'pyproject.toml': pyproject(p),
    'CMakeLists.txt': cmakeLists(p),
    [`src/_core.cpp`]: coreCpp(p),
    [`src/${p.importName}/__init__.py`]: initPy(p),
    'tests/test_package.py': testPy(p),
    'CHANGELOG.md': [
      '## 0.1.0',
      '',
      '### Added',
      '',
      `- First release: Python binding of ${p.library}.`,
      '',
      `<!-- Changes to ${p.name}, newest first; \`nx release\` adds each section at the top of this file`,
      '(so the file has no title block above the first section). PEP 440 versions. -->',
      '',
    ].join('\n'),
  };
}

/**
 * `[tool.nx-wheels]` of a generated binding: the project name when it differs from the directory,
 * and `release-platforms` when the binding builds fewer than both platforms (so validate-wheels
 * --platforms=release, publish and rehearse-release expect only what it builds).
 */
function nxWheelsTable(p: { name: string; platforms: Platform[] }, basename: string | undefined): string[] {
  const lines: string[] = [];
  if (basename !== p.name) lines.push('# The Nx project name (default: the directory name).', `project-name = ${toml(p.name)}`);
  if (p.platforms.length < 2) lines.push('# The platforms a release of this package ships (default: linux and windows).', `release-platforms = [${p.platforms.map(toml).join(', ')}]`);
  return lines.length ? ['[tool.nx-wheels]', ...lines, ''] : [];
}
