/**
 * The bash of the workflows' longer steps lives in ./scripts/*.sh (bash files, not escaped
 * TypeScript strings; `@@KEY@@` placeholders take the plan's names and tables). The generator
 * reads them and embeds them as the step's `run:` block, so a user's workspace gets
 * self-contained workflows and no script files.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The scripts' directory. From src/generators/ci (ts-jest) and dist/generators/ci (the build) alike,
 * the package root is three levels up; the package ships src/generators/ci/scripts/*.sh (package.json `files`).
 */
export const SCRIPTS_DIR = resolve(__dirname, '..', '..', '..', 'src', 'generators', 'ci', 'scripts');

/** The script names (files `scripts/<name>.sh`). */
export type ScriptName =
  'build-legs' | 'ci-result' | 'github-release' | 'release-verdict' | 'resolve-tag' | 'tag-on-default-branch' | 'verify-pypi-upload';

/**
 * The text of `scripts/<name>.sh` without its leading `#@` lines, every `@@KEY@@` replaced by
 * `vars[KEY]` (inserted as is: the caller quotes for bash).
 * @throws Error naming the file and the placeholder when a placeholder has no value or a value no placeholder
 *   (a script and its caller out of step: a bug in this package, not in the user's input)
 */
export function script(name: ScriptName, vars: Record<string, string> = {}): string {
  const file = resolve(SCRIPTS_DIR, `${name}.sh`);
  const used = new Set<string>();
  // Leading `#@` lines document the script for its maintainers; the workflow does not need them.
  const body = readFileSync(file, 'utf8').replace(/^(#@.*\n)+/, '');
  const text = body.replace(/@@([A-Z0-9_]+)@@/g, (_, key: string) => {
    if (!(key in vars)) throw new Error(`${file}: no value for the placeholder @@${key}@@`);
    used.add(key);
    return vars[key];
  });
  const unused = Object.keys(vars).filter((k) => !used.has(k));
  if (unused.length) throw new Error(`${file}: no placeholder @@${unused[0]}@@ for the value given`);
  return text;
}
