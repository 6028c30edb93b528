/**
 * The binding and ci generators' schema.json and hand-written schema.d.ts agree: the same
 * properties, the same required ones, enums as string-literal unions, and a description for
 * every option.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(__dirname, '..', '..', 'src', 'generators');

/** `name?: type;` members of the one interface in a schema.d.ts. */
function members(dts: string): Map<string, { optional: boolean; type: string }> {
  const body = /export interface \w+ \{([\s\S]*)\}/.exec(dts)![1];
  const out = new Map<string, { optional: boolean; type: string }>();
  for (const m of body.matchAll(/^\s*(\w+)(\??):\s*([^;]+);/gm)) out.set(m[1], { optional: m[2] === '?', type: m[3].trim() });
  return out;
}

describe.each(['binding', 'ci'])('%s generator schema', (name) => {
  const schema = JSON.parse(readFileSync(join(DIR, name, 'schema.json'), 'utf8'));
  const dts = members(readFileSync(join(DIR, name, 'schema.d.ts'), 'utf8'));

  it('schema.json and schema.d.ts name the same options, required the same way', () => {
    expect([...dts.keys()].sort()).toEqual(Object.keys(schema.properties).sort());
    for (const [k, m] of dts) expect({ k, required: !m.optional }).toEqual({ k, required: (schema.required ?? []).includes(k) });
  });

  it('every option has a description; enums are unions of the same literals', () => {
    expect(typeof schema.description).toBe('string');
    for (const [k, p] of Object.entries<Record<string, unknown>>(schema.properties)) {
      expect({ k, described: typeof p['description'] === 'string' && (p['description'] as string).length > 20 }).toEqual({ k, described: true });
      const en = (p['enum'] as string[] | undefined) ?? ((p['oneOf'] as Array<{ items?: { enum?: string[] } }> | undefined)?.find((x) => x.items?.enum)?.items?.enum);
      if (en) for (const v of en) expect(dts.get(k)!.type).toContain(`'${v}'`);
    }
  });
});
