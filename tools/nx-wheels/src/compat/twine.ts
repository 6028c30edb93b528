/**
 * The twine patch publish runs under: toolchain/twine_upload.py replaces twine's upload retries
 * and request session (see that file) so publish has exactly one retry policy, its own. The patch
 * touches twine internals, so the script checks the installed twine first: a version outside
 * {@link TESTED_TWINE} or a re-shaped `Repository.upload` / `make_requests_session` makes it print
 * one `QUIVER_TWINE_UNSUPPORTED {...}` line and exit with {@link TWINE_UNSUPPORTED_EXIT} before
 * anything is patched or uploaded; {@link twineUnsupportedError} turns that into `TWINE_UNSUPPORTED`.
 */
import { resolve } from 'node:path';
import { QuiverError } from '../core/errors';

/** The script `python <script> upload ...` runs instead of `twine` (it ships in the package: `files` toolchain/*.py). */
export const TWINE_UPLOAD_SCRIPT = resolve(__dirname, '..', '..', 'toolchain', 'twine_upload.py');

/** twine versions the patch is tested with (PEP 440 specifier set): the pin in toolchain/requirements.txt. */
const TESTED_TWINE = '==7.0.*';

/** Exit status of the script when the guard refuses this twine. */
const TWINE_UNSUPPORTED_EXIT = 3;

/** The line marker the guard prints on stderr, followed by `{"version", "problems"}` JSON. */
export const TWINE_UNSUPPORTED_MARKER = 'QUIVER_TWINE_UNSUPPORTED ';

/** Environment the script reads for its guard. */
export function twinePatchEnv(tested: string = TESTED_TWINE): Record<string, string> {
  return { QUIVER_TWINE_TESTED: tested };
}

/**
 * The `TWINE_UNSUPPORTED` error for a run of the script, or null when the guard let it through.
 * @param exitCode the script's exit status
 * @param line the guard's line (marker removed), when one was printed
 */
export function twineUnsupportedError(exitCode: number | null, line: string | undefined): QuiverError | null {
  if (exitCode !== TWINE_UNSUPPORTED_EXIT || line === undefined) return null;
  let facts: { version?: string; problems?: string[] } = {};
  try {
    facts = JSON.parse(line) as typeof facts;
  } catch {
    facts = { problems: [line] };
  }
  return new QuiverError(
    'TWINE_UNSUPPORTED',
    `TWINE_UNSUPPORTED: publish's twine patch (toolchain/twine_upload.py) cannot run on twine ${facts.version ?? '?'} (${(facts.problems ?? []).join('; ')}); ` +
      `install the pinned toolchain (nx run <project>:python-toolchain, twine ${TESTED_TWINE} from toolchain/requirements.txt) or update the patch. Nothing was uploaded.`,
  );
}
