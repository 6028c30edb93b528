#!/usr/bin/env node
'use strict';
/**
 * Writes each executor's schema.d.ts from its schema.json, so the TypeScript type cannot say
 * something the schema does not: `node tools/nx-wheels/scripts/schema-types.js` rewrites them,
 * `--check` only compares (exit 1 naming the stale files). test/executors/schema-types.spec.ts
 * runs the same comparison, so a schema.json edited without regenerating fails the tests.
 *
 * Covers the JSON Schema subset our schemas use: string/number/integer/boolean/array/object,
 * enum, oneOf/anyOf (a union), required, nested properties. Keywords that constrain values
 * without changing the type (minimum, maximum, minItems, default) become JSDoc text.
 */
const { readdirSync, readFileSync, writeFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');

const EXECUTORS = join(__dirname, '..', 'src', 'executors');
const HEADER =
  '// Generated from schema.json by tools/nx-wheels/scripts/schema-types.js: do not edit; run the script after changing schema.json.\n';

/** `build-wheels` -> `BuildWheelsExecutorSchema`. */
function typeName(dir) {
  return `${dir.replace(/(^|-)([a-z])/g, (_, _d, c) => c.toUpperCase())}ExecutorSchema`;
}

/** A literal as TypeScript source with single quotes (Prettier's singleQuote). */
function literal(v) {
  return typeof v === 'string' ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(v);
}

/** The TypeScript type of one schema node; `indent` is the indentation of the line it starts on. */
function tsType(s, indent) {
  const alts = s.oneOf ?? s.anyOf;
  if (alts) return [...new Set(alts.map((a) => tsType(a, indent)))].join(' | ');
  if (s.enum) return s.enum.map(literal).join(' | ');
  switch (s.type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array': {
      const item = s.items ? tsType(s.items, indent) : 'unknown';
      return item.includes('|') ? `(${item})[]` : `${item}[]`;
    }
    case 'object':
      return s.properties ? objectBody(s, indent) : 'Record<string, unknown>';
    default:
      throw new Error(`schema-types: unsupported schema node ${JSON.stringify(s).slice(0, 80)}; extend scripts/schema-types.js`);
  }
}

/** JSDoc lines for one property: its description, then its bounds and default. */
function doc(p, indent) {
  const notes = [];
  if (p.minimum !== undefined) notes.push(`@minimum ${p.minimum}`);
  if (p.maximum !== undefined) notes.push(`@maximum ${p.maximum}`);
  if (p.minItems !== undefined) notes.push(`@minItems ${p.minItems}`);
  if (p.default !== undefined) notes.push(`@default ${JSON.stringify(p.default)}`);
  const text = [p.description ?? '', ...notes].filter(Boolean);
  if (text.length === 1) return `${indent}/** ${text[0]} */\n`;
  return `${indent}/**\n${text.map((t) => `${indent} * ${t}`).join('\n')}\n${indent} */\n`;
}

/** `{ name?: type; ... }` of an object schema, members documented. */
function objectBody(s, indent) {
  const inner = `${indent}  `;
  const required = new Set(s.required ?? []);
  const members = Object.entries(s.properties).map(
    ([k, p]) => `${doc(p, inner)}${inner}${k}${required.has(k) ? '' : '?'}: ${tsType(p, inner)};\n`,
  );
  return `{\n${members.join('')}${indent}}`;
}

/** The schema.d.ts text for one executor's schema.json. */
function renderSchemaTypes(schema, name) {
  if (schema.type !== 'object' || !schema.properties)
    throw new Error(`schema-types: ${name}: the schema must be an object with properties`);
  return `${HEADER}\n/** ${schema.description} */\nexport interface ${name} ${objectBody(schema, '')}\n`;
}

/** Every executor folder with a schema.json: its paths, the text on disk and the text it should be. */
function executorSchemas() {
  return readdirSync(EXECUTORS, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(EXECUTORS, d.name, 'schema.json')))
    .map((d) => {
      const dts = join(EXECUTORS, d.name, 'schema.d.ts');
      const schema = JSON.parse(readFileSync(join(EXECUTORS, d.name, 'schema.json'), 'utf8'));
      return {
        dir: d.name,
        dts,
        expected: renderSchemaTypes(schema, typeName(d.name)),
        actual: existsSync(dts) ? readFileSync(dts, 'utf8') : null,
      };
    });
}

function main(argv) {
  const stale = executorSchemas().filter((e) => e.actual !== e.expected);
  if (argv.includes('--check')) {
    for (const e of stale)
      console.error(
        `schema-types: src/executors/${e.dir}/schema.d.ts does not match its schema.json; run node tools/nx-wheels/scripts/schema-types.js`,
      );
    return stale.length ? 1 : 0;
  }
  for (const e of stale) writeFileSync(e.dts, e.expected);
  console.log(`schema-types: ${stale.length} schema.d.ts file(s) rewritten`);
  return 0;
}

module.exports = { renderSchemaTypes, executorSchemas, typeName };
if (require.main === module) process.exitCode = main(process.argv.slice(2));
