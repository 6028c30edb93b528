/**
 * The one catalog of error codes: every code a QuiverError carries and every validate-wheels
 * finding code, each with a one-sentence summary, the fix and the page that documents it.
 * `ErrorCode` is its key type, so tsc proves that every thrown code is catalogued; the docs test
 * (test/errors/catalog.spec.ts) proves that every code is documented and every documented code is
 * catalogued, and writes docs/error-codes.md from it.
 *
 * Findings (validate-wheels) keep their check and severity in ./validation/codes.ts; here they are
 * the same codes with their documentation page, so a finding and a failure never share a code
 * with two meanings. FILE_UNREADABLE and VERSION_LOCAL are both: the failure entries (validate-release)
 * describe the same condition for pyproject.toml and the changelog.
 */
import { BUILD_ERRORS } from './catalog/build';
import { type DocPage, type ErrorInfo } from './catalog/entry';
import { GENERATOR_ERRORS } from './catalog/generators';
import { PUBLISH_ERRORS } from './catalog/publish';
import { RELEASE_ERRORS } from './catalog/release';
import { CODES, type Code } from './validation/codes';

export type { DocPage, ErrorInfo };

/** Codes thrown as QuiverError (one line, non-zero exit), by area. */
export const FAILURES = { ...BUILD_ERRORS, ...RELEASE_ERRORS, ...PUBLISH_ERRORS, ...GENERATOR_ERRORS } as const;

const findings = Object.fromEntries(
  Object.entries(CODES).map(([code, info]) => [code, { summary: info.title, fix: info.fix, doc: 'docs/validation-codes.md' as const }]),
) as { readonly [K in Code]: ErrorInfo };

/** Every code: validate-wheels findings, then failures (a failure's entry wins for a code that is both). */
export const ERRORS: { readonly [K in Code | keyof typeof FAILURES]: ErrorInfo } = { ...findings, ...FAILURES };

/** A code from the catalog. */
export type ErrorCode = keyof typeof ERRORS;

/** True when `code` is in the catalog. */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERRORS, code);
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

/**
 * docs/error-codes.md: every failure code (findings are in docs/validation-codes.md) with its
 * summary, fix and the page that explains it in context. The docs test compares the file with this.
 */
export function renderErrorCodesPage(): string {
  const rows = Object.entries(FAILURES)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([code, i]) =>
        `| \`${code}\` | ${cell(i.summary)} | ${cell(i.fix)} | ${i.doc === 'docs/error-codes.md' ? '' : `[${i.doc}](${i.doc.startsWith('docs/') ? i.doc.slice(5) : `../${i.doc}`})`} |`,
    );
  return [
    '# Error codes',
    '',
    '<!-- Generated from tools/nx-wheels/src/core/error-catalog.ts; regenerate with QUIVER_UPDATE_DOCS=1 npx jest test/errors/catalog.spec.ts -->',
    '',
    'Every failure of an executor or generator of `@quiver/nx-wheels` is one line, `<target>: <CODE>: <what is wrong, where, and the fix>`, with secrets redacted and a non-zero exit (a stack trace only with `QUIVER_DEBUG=1`).',
    'The codes of validate-wheels findings are in [validation-codes.md](validation-codes.md).',
    '',
    '| code | means | fix | more |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
