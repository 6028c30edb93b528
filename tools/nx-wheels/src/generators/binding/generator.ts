/**
 * `nx g @quiver/nx-wheels:binding`: a Python binding project for an existing CMake library
 * project. Writes pyproject.toml (scikit-build-core + nanobind or pybind11, `[tool.cibuildwheel]`
 * for the chosen platforms with a test-command that runs this project's own tests),
 * CMakeLists.txt that `add_subdirectory()`s the library by a literal relative path (the plugin's
 * createDependencies reads that edge), a minimal extension module, a pytest suite and
 * CHANGELOG.md; adds the project to nx.json `release.projects` when the workspace has a release
 * config. Bad input throws one {@link BindingGeneratorError} line and writes nothing.
 */
import { getProjects, logger, readNxJson, updateNxJson, type GeneratorCallback, type Tree } from '@nx/devkit';
import { posix } from 'node:path';
import type { ErrorCode } from '../../core/error-catalog';
import { QuiverError } from '../../core/errors';
import { findWheelProjects } from '../ci/generator';
import { runGenerator } from '../run';
import type { BindingGeneratorSchema } from './schema';
import { bindingFiles, type BindingPlan, PLATFORM_IDENTIFIERS, type Platform } from './files';

/** A bad option or workspace state; the message is one line naming the option and the fix. */
export class BindingGeneratorError extends QuiverError {
  constructor(message: string, code: ErrorCode = 'BINDING_BAD_OPTION') {
    super(code, message);
    this.name = 'BindingGeneratorError';
    // One line, no stack trace, when Nx prints it.
    this.stack = `${this.name}: ${message}`;
  }
}

const fail = (message: string, code?: ErrorCode): never => {
  throw new BindingGeneratorError(message, code);
};

/** Platforms from a list or a comma-separated string; throws on an unknown one or an empty set. */
export function parsePlatforms(value: BindingGeneratorSchema['platforms']): Platform[] {
  const raw = value === undefined ? ['linux', 'windows'] : Array.isArray(value) ? value : value.split(',');
  const out: Platform[] = [];
  for (const p of raw.map((s) => String(s).trim()).filter(Boolean)) {
    if (!(p in PLATFORM_IDENTIFIERS)) fail(`--platforms: "${p}" is not a platform this generator builds; give linux and/or windows, e.g. --platforms=linux,windows.`);
    if (!out.includes(p as Platform)) out.push(p as Platform);
  }
  if (out.length === 0) fail('--platforms is empty; give linux and/or windows, e.g. --platforms=linux,windows.');
  return out;
}

/**
 * The CMake target to link from the library's CMakeLists.txt: the first `add_library(<ns::name> ALIAS ...)`,
 * else the first `add_library(<name> ...)`; undefined when there is none.
 */
export function libraryCmakeTarget(cmakeText: string): string | undefined {
  const text = cmakeText.replace(/#[^\n]*/g, '');
  const alias = /add_library\s*\(\s*([A-Za-z0-9_.:+-]+)\s+ALIAS\b/i.exec(text);
  if (alias) return alias[1];
  const plain = /add_library\s*\(\s*([A-Za-z0-9_.+-]+)/i.exec(text);
  return plain?.[1];
}

/** Nx name -> root of the wheel projects the plugin infers; a pyproject.toml it cannot read is skipped here. */
function wheelProjectRoots(tree: Tree): Map<string, string> {
  try {
    return new Map(findWheelProjects(tree).map((q) => [q.name, q.root]));
  } catch {
    return new Map();
  }
}

/** Resolve and check every option against the tree; throws {@link BindingGeneratorError}. */
export function planBinding(tree: Tree, options: BindingGeneratorSchema): BindingPlan {
  const name = options.name?.trim();
  if (!name || !/^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(name)) {
    fail(`--name ${JSON.stringify(options.name ?? '')} is not a project/distribution name; use letters, digits, "-", "_" or ".", e.g. --name=mylib-py.`);
  }
  const projects = getProjects(tree);
  if (projects.has(name)) fail(`--name: a project named "${name}" already exists (${projects.get(name)!.root}); choose another --name.`, 'BINDING_NAME_TAKEN');
  // Wheel projects the plugin infers from pyproject.toml have no project.json: getProjects misses them.
  const inferred = wheelProjectRoots(tree).get(name);
  if (inferred !== undefined) fail(`--name: a project named "${name}" already exists (${inferred}); choose another --name.`, 'BINDING_NAME_TAKEN');
  const directory = posix.normalize((options.directory ?? `bindings/${name}`).replace(/\\/g, '/')).replace(/\/$/, '');
  if (directory.startsWith('..') || posix.isAbsolute(directory) || directory === '.' || directory === '') {
    fail(`--directory "${options.directory}" must be a relative directory inside the workspace, e.g. --directory=bindings/${name}.`);
  }
  if (tree.exists(directory) && tree.children(directory).length > 0) fail(`--directory: ${directory} already exists and is not empty; choose an empty or new directory.`, 'BINDING_DIRECTORY_NOT_EMPTY');
  if (!options.library) fail('--library is required: the Nx project of the CMake library to bind, e.g. --library=quiver.');
  const library = projects.get(options.library);
  if (!library) {
    fail(`--library: no Nx project named "${options.library}" in this workspace; give an existing CMake library project (${[...projects.keys()].sort().join(', ') || 'none found'}).`, 'BINDING_LIBRARY_NOT_CMAKE');
  }
  const libraryRoot = library!.root;
  const libraryCmake = posix.join(libraryRoot, 'CMakeLists.txt');
  if (!tree.exists(libraryCmake)) fail(`--library: project "${options.library}" has no ${libraryCmake}; the binding builds the library with CMake (add_subdirectory), so bind a CMake project.`, 'BINDING_LIBRARY_NOT_CMAKE');
  const cmakeTarget = options.cmakeTarget ?? libraryCmakeTarget(tree.read(libraryCmake, 'utf-8') ?? '');
  if (!cmakeTarget) fail(`--cmakeTarget: ${libraryCmake} has no add_library() target to link; pass the library's CMake target, e.g. --cmakeTarget=mylib::mylib.`, 'BINDING_LIBRARY_NOT_CMAKE');
  const binding = options.binding ?? 'nanobind';
  if (binding !== 'nanobind' && binding !== 'pybind11') fail(`--binding "${binding}" is not supported; use --binding=nanobind or --binding=pybind11.`);
  const importName = options.importName ?? name.toLowerCase().replace(/[-.]+/g, '_');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(importName)) fail(`--importName "${importName}" is not a Python identifier; pass one, e.g. --importName=${name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1')}.`);
  const rel = posix.relative(directory, libraryRoot);
  if (!rel.startsWith('..')) fail(`--directory: ${directory} is inside the library ${libraryRoot}; put the binding beside it, e.g. --directory=bindings/${name}.`);
  return {
    name,
    directory,
    library: options.library,
    libraryRoot,
    libraryRelative: rel,
    cmakeTarget: cmakeTarget!,
    binding,
    importName,
    platforms: parsePlatforms(options.platforms),
  };
}

/** The generator: writes the project (see the module comment); Nx calls the returned callback after writing. */
export default function bindingGenerator(tree: Tree, options: BindingGeneratorSchema): GeneratorCallback {
  return runGenerator('binding', () => generateBinding(tree, options));
}

function generateBinding(tree: Tree, options: BindingGeneratorSchema): GeneratorCallback {
  const plan = planBinding(tree, options);
  for (const [file, text] of Object.entries(bindingFiles(plan))) tree.write(posix.join(plan.directory, file), text);
  const nxJson = readNxJson(tree);
  const projects = nxJson?.release?.projects;
  if (nxJson?.release) {
    if (projects === undefined) {
      // Without release.projects, nx release takes every project; nothing to add.
    } else {
      const list = Array.isArray(projects) ? projects : [projects];
      if (!list.includes(plan.name)) {
        nxJson.release.projects = [...list, plan.name];
        updateNxJson(tree, nxJson);
      }
    }
  }
  return () => {
    logger.info(`Next: npx nx run ${plan.name}:build-wheels (builds and tests ${plan.platforms.map((p) => PLATFORM_IDENTIFIERS[p]).join(', ')}).`);
  };
}

export { bindingGenerator };
