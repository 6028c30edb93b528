/** Options of the `binding` generator (schema.json). */
export interface BindingGeneratorSchema {
  /** Nx project name and distribution name ([project].name). */
  name: string;
  /** Workspace-relative directory of the new project. Default: `bindings/<name>`. */
  directory?: string;
  /** Nx project of the CMake library to bind (its root holds a CMakeLists.txt). */
  library: string;
  /** Binding library. Default: nanobind. */
  binding?: 'nanobind' | 'pybind11';
  /** Python import name. Default: name with `-`/`.` as `_`, lower case. */
  importName?: string;
  /** Platforms to build wheels for. Default: linux and windows. */
  platforms?: Array<'linux' | 'windows'> | string;
  /** CMake target the extension links. Default: from the library's CMakeLists.txt. */
  cmakeTarget?: string;
}
