/**
 * docs/publishing.md's error table lists exactly the codes the publish source can throw or record:
 * every upper-snake string literal in the publish modules that is not an environment variable name
 * must be in the table, and every code in the table must be one the source (publish's or an
 * upstream module's, e.g. pyproject's) can produce.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const src = join(root, 'src');
const PUBLISH_SOURCES = [
  ...readdirSync(join(src, 'pipeline')).filter((f) => /^publish.*\.ts$/.test(f)).map((f) => join(src, 'pipeline', f)),
  ...readdirSync(join(src, 'core', 'publish')).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts')).map((f) => join(src, 'core', 'publish', f)),
  ...['twine', 'index-client', 'oidc', 'attestations'].map((f) => join(src, 'runners', `${f}.ts`)),
  join(src, 'executors', 'publish', 'executor.ts'),
];
/** Environment variables publish reads or sets (documented elsewhere in the page), not error codes. */
const ENV_NAME = /^(ACTIONS|GITHUB|NX|TWINE|QUIVER)_|^PYPI_API_TOKEN$/;
const literals = (text: string) => [...text.matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g)].map((m) => m[1]);

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

test("docs/publishing.md's error table matches the codes publish can throw", () => {
  const doc = readFileSync(join(root, '..', '..', 'docs', 'publishing.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Errors'), doc.indexOf('\n## ', doc.indexOf('## Errors') + 1));
  const documented = new Set(section.split('\n').filter((l) => l.startsWith('| `')).flatMap((l) => [...l.split('|')[1].matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1])));
  const thrown = new Set(PUBLISH_SOURCES.flatMap((f) => literals(readFileSync(f, 'utf8'))).filter((c) => !ENV_NAME.test(c)));
  expect(thrown.size).toBeGreaterThan(20);
  expect([...thrown].filter((c) => !documented.has(c)).sort()).toEqual([]);
  const anywhere = new Set(walk(src).flatMap((f) => literals(readFileSync(f, 'utf8'))));
  expect([...documented].filter((c) => !anywhere.has(c)).sort()).toEqual([]);
});
