/**
 * schema.json owns every executor option: schema.d.ts must be exactly what
 * scripts/schema-types.js renders from it (so the two cannot drift), the descriptions stay one
 * sentence with the prose in docs/executors.md, and that page lists every option.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { renderSchemaTypes, executorSchemas } = require('../../scripts/schema-types.js') as {
  renderSchemaTypes: (schema: unknown, name: string) => string;
  executorSchemas: () => Array<{ dir: string; dts: string; expected: string; actual: string | null }>;
};

const EXECUTORS = join(__dirname, '..', '..', 'src', 'executors');
const DOCS = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'executors.md'), 'utf8');
const schemas = executorSchemas();

test('all seven executors have a schema.json', () => {
  expect(schemas.map((s) => s.dir).sort()).toEqual([
    'build-wheels',
    'publish',
    'rehearse-release',
    'test-wheels',
    'toolchain',
    'validate-release',
    'validate-wheels',
  ]);
});

test.each(schemas.map((s) => [s.dir, s] as const))('%s: schema.d.ts is what its schema.json renders to', (_dir, s) => {
  // On failure: node tools/nx-wheels/scripts/schema-types.js
  expect(s.actual).toBe(s.expected);
});

describe('the renderer', () => {
  const schema = {
    type: 'object',
    description: 'Demo.',
    required: ['mode'],
    properties: {
      mode: { type: 'string', enum: ['a', "it's"], default: 'a', description: 'Mode.' },
      n: { type: 'number', minimum: 0, maximum: 20, description: 'Count.' },
      list: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string', enum: ['x', 'y'] } }], description: 'List.' },
      nested: { type: 'object', properties: { on: { type: 'boolean', description: 'On.' } }, description: 'Nested.' },
    },
  };
  const text = renderSchemaTypes(schema, 'DemoExecutorSchema');

  it('turns enums into literal unions, required into non-optional members, oneOf into a union', () => {
    expect(text).toContain("mode: 'a' | 'it\\'s';");
    expect(text).toContain('n?: number;');
    expect(text).toContain("list?: string | ('x' | 'y')[];");
    expect(text).toMatch(/nested\?: \{\n {4}\/\*\* On\. \*\/\n {4}on\?: boolean;\n {2}\};/);
  });

  it('keeps bounds and defaults as JSDoc', () => {
    expect(text).toMatch(/Count\.\n {3}\* @minimum 0\n {3}\* @maximum 20/);
    expect(text).toContain('@default "a"');
  });

  it('refuses a node it cannot type instead of guessing', () => {
    expect(() => renderSchemaTypes({ type: 'object', properties: { x: { type: 'null' } } }, 'X')).toThrow(/unsupported schema node/);
  });
});

describe.each(schemas.map((s) => [s.dir] as const))('%s schema.json', (dir) => {
  const schema = JSON.parse(readFileSync(join(EXECUTORS, dir, 'schema.json'), 'utf8'));
  const section = dir === 'toolchain' ? 'python-toolchain' : dir;

  it('describes itself in one sentence that links its section of docs/executors.md', () => {
    expect(schema.description).toMatch(new RegExp(`^[^.]+(\\.[^ ][^.]*)*\\. See docs/executors\\.md#${section}\\.$`));
    expect(DOCS).toContain(`\n## ${section}\n`);
  });

  it('describes every option in one short sentence, and docs/executors.md lists it', () => {
    const body = DOCS.split(`\n## ${section}\n`)[1].split('\n## ')[0];
    for (const [k, p] of Object.entries<{ description?: string }>(schema.properties)) {
      const d = p.description ?? '';
      expect({ k, length: d.length <= 200, oneSentence: !/\. [A-Z]/.test(d) && /[.)]$/.test(d) }).toEqual({
        k,
        length: true,
        oneSentence: true,
      });
      expect({ k, documented: body.includes(`- \`${k}\` (`) }).toEqual({ k, documented: true });
    }
  });
});
