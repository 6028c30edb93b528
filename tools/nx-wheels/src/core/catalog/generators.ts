/** Catalog entries of the generators (binding, ci, init); their errors reach the user through Nx's generate command. */
import { entry as e, type ErrorInfo } from './entry';

const D = 'docs/error-codes.md';

export const GENERATOR_ERRORS = {
  BINDING_BAD_OPTION: e(
    D,
    'An option of the binding generator has a bad value (the line names it).',
    'Pass the option as the line shows, e.g. --name=mylib-py --library=mylib.',
  ),
  BINDING_NAME_TAKEN: e(D, "A project with the binding's name already exists.", 'Choose another --name.'),
  BINDING_DIRECTORY_NOT_EMPTY: e(D, "The binding's directory exists and is not empty.", 'Choose an empty or new --directory.'),
  BINDING_LIBRARY_NOT_CMAKE: e(
    D,
    'The --library project does not exist, has no CMakeLists.txt or no add_library() target.',
    'Give an existing CMake library project, or pass --cmakeTarget.',
  ),
  CI_NO_WHEEL_PROJECT: e(
    D,
    'The workspace has no wheel project (no pyproject.toml with a [tool.cibuildwheel] table).',
    'Add one with nx g @quiver/nx-wheels:binding, then run the ci generator.',
  ),
  CI_BAD_PROJECT: e(
    D,
    'A wheel project cannot be carried by the workflows (at the workspace root, or a name with other characters).',
    'Move it into its own directory or set [tool.nx-wheels].project-name as the line says.',
  ),
  CI_DEFAULT_BRANCH_UNKNOWN: e(
    D,
    "The repository's default branch is unknown or not a plain branch name.",
    'Pass --defaultBranch=<branch>, or run git remote set-head origin --auto.',
  ),
  CI_BAD_RELEASE_CONFIG: e(
    D,
    'nx.json release.releaseTag.pattern or release.projects cannot drive the release workflow.',
    'Use a pattern <text>{version} ({projectName}-v{version} for independent releases) and list the wheel projects.',
  ),
  CI_WORKFLOWS_STALE: e(
    D,
    "With --check: the committed workflows differ from the generator's output.",
    'Run nx g @quiver/nx-wheels:ci and commit the result.',
  ),
  INIT_BAD_OPTION: e(D, 'An option of the init generator has a bad value (the line names it).', 'Pass the option as the line shows.'),
} as const satisfies Record<string, ErrorInfo>;
