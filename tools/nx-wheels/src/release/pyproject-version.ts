/**
 * Surgical edit of `[project].version` in a pyproject.toml (PEP 621): only the characters of the
 * version string change; comments, key order, quoting, blank lines and line endings stay byte for
 * byte. Pure: text in, text out.
 *
 * smol-toml parses the document (to read the version and to verify the edit); a small scanner
 * that understands TOML strings, comments, arrays and inline tables finds where the value sits.
 */
import { parse } from 'smol-toml';
import { QuiverError } from '../core/errors';
import { parseToml } from '../core/pyproject';

/** Where the `[project].version` string sits in the text. */
export interface VersionLocation {
  /** Offset of the first character inside the quotes. */
  start: number;
  /** Offset of the closing quote. */
  end: number;
  /** `"` (basic string) or `'` (literal string). */
  quote: '"' | "'";
  /** 1-based line number, for messages. */
  line: number;
}

const WS = new Set([' ', '\t']);

/** A tiny scanner over TOML text: enough to walk statements and skip values. */
class Scanner {
  i = 0;
  constructor(readonly s: string) {}
  get done() {
    return this.i >= this.s.length;
  }
  peek(n = 0) {
    return this.s[this.i + n];
  }
  startsWith(t: string) {
    return this.s.startsWith(t, this.i);
  }
  skipInlineWs() {
    while (!this.done && WS.has(this.s[this.i])) this.i++;
  }
  /** Whitespace, newlines and comments (between statements and inside arrays). */
  skipTrivia() {
    for (;;) {
      while (!this.done && (WS.has(this.s[this.i]) || this.s[this.i] === '\n' || this.s[this.i] === '\r')) this.i++;
      if (this.peek() === '#') this.skipToEol();
      else return;
    }
  }
  skipToEol() {
    while (!this.done && this.s[this.i] !== '\n') this.i++;
  }
  /** Skip any string at the cursor; returns [contentStart, contentEnd) of it. */
  skipString(): [number, number] {
    const s = this.s;
    for (const q of ['"""', "'''"]) {
      if (this.startsWith(q)) {
        const start = this.i + 3;
        let j = start;
        for (;;) {
          if (j >= s.length) throw new Error('unterminated multi-line string');
          if (q === '"""' && s[j] === '\\') {
            j += 2;
            continue;
          }
          if (s.startsWith(q, j)) {
            // Up to two extra quotes may belong to the content (`""""a""""`).
            let k = j + 3;
            while (s[k] === q[0] && k - j < 5) k++;
            this.i = k;
            return [start, k - 3];
          }
          j++;
        }
      }
    }
    const q = s[this.i];
    const start = this.i + 1;
    let j = start;
    while (j < s.length && s[j] !== q && s[j] !== '\n') {
      if (q === '"' && s[j] === '\\') j++;
      j++;
    }
    if (s[j] !== q) throw new Error('unterminated string');
    this.i = j + 1;
    return [start, j];
  }
  /** Parse a (dotted) key; returns its parts unquoted. */
  readKey(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipInlineWs();
      const c = this.peek();
      if (c === '"' || c === "'") {
        const [a, b] = this.skipString();
        const raw = this.s.slice(a, b);
        parts.push(c === '"' ? (JSON.parse(`"${raw}"`) as string) : raw);
      } else {
        const m = /^[A-Za-z0-9_-]+/.exec(this.s.slice(this.i, this.i + 256));
        if (!m) throw new Error('bad key');
        parts.push(m[0]);
        this.i += m[0].length;
      }
      this.skipInlineWs();
      if (this.peek() === '.') {
        this.i++;
        continue;
      }
      return parts;
    }
  }
  /** Skip one value of any kind. */
  skipValue() {
    const c = this.peek();
    if (c === '"' || c === "'") {
      this.skipString();
    } else if (c === '[' || c === '{') {
      const close = c === '[' ? ']' : '}';
      this.i++;
      for (;;) {
        this.skipTrivia();
        if (this.done) throw new Error('unterminated container');
        if (this.peek() === close) {
          this.i++;
          return;
        }
        if (this.peek() === ',') {
          this.i++;
          continue;
        }
        if (c === '{') {
          this.readKey();
          if (this.peek() !== '=') throw new Error('expected =');
          this.i++;
          this.skipInlineWs();
        }
        this.skipValue();
      }
    } else {
      // number, boolean, date-time (which may contain one space): up to a delimiter
      while (!this.done && !/[,\]}\n\r#]/.test(this.s[this.i])) this.i++;
    }
  }
}

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/**
 * Find the string value of `[project].version`, written either under a `[project]` header or as
 * a dotted key (`project.version = "..."` at the top, `version` under `[project]`).
 * @returns its location, or `null` when there is no such key written as a one-line string
 *   (e.g. it sits in an inline table `project = { version = "1" }`, or is a multi-line string).
 */
export function locateProjectVersion(text: string): VersionLocation | null {
  const sc = new Scanner(text);
  let table: string[] = [];
  try {
    for (;;) {
      sc.skipTrivia();
      if (sc.done) return null;
      if (sc.peek() === '[') {
        const arrayTable = sc.peek(1) === '[';
        sc.i += arrayTable ? 2 : 1;
        const key = sc.readKey();
        sc.i += arrayTable ? 2 : 1;
        table = arrayTable ? ['\0array', ...key] : key;
        sc.skipInlineWs();
        continue;
      }
      const key = sc.readKey();
      if (sc.peek() !== '=') return null;
      sc.i++;
      sc.skipInlineWs();
      const full = [...table, ...key];
      const c = sc.peek();
      if (full.length === 2 && full[0] === 'project' && full[1] === 'version' && (c === '"' || c === "'") && !sc.startsWith(c.repeat(3))) {
        const [start, end] = sc.skipString();
        return { start, end, quote: c as '"' | "'", line: lineOf(text, start) };
      }
      sc.skipValue();
    }
  } catch {
    return null;
  }
}

function stripVersion(doc: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(doc) as Record<string, unknown>;
  const project = copy['project'] as Record<string, unknown> | undefined;
  if (project && typeof project === 'object') delete project['version'];
  return copy;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date ? String(a) === String(b) : false;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Replace `[project].version` in pyproject.toml text by `newVersion`, changing nothing else.
 * The result is re-parsed: it must read back `newVersion` and be otherwise equal to the original.
 * @param file path used in messages
 * @throws QuiverError `PYPROJECT_SYNTAX` (the input is not TOML), `PYPROJECT_DYNAMIC_VERSION`
 *   (version listed in [project].dynamic), `PYPROJECT_NO_VERSION` (no static version to edit),
 *   `PYPROJECT_VERSION_NOT_EDITABLE` (written in a form this editor does not change, e.g. an
 *   inline table), `PYPROJECT_BAD_VERSION` (newVersion is not representable as a TOML basic string)
 */
export function setProjectVersion(text: string, newVersion: string, file = 'pyproject.toml'): string {
  const doc = parseToml(text, file);
  const project = (doc['project'] ?? {}) as Record<string, unknown>;
  if (Array.isArray(project['dynamic']) && (project['dynamic'] as unknown[]).includes('version')) {
    throw new QuiverError('PYPROJECT_DYNAMIC_VERSION', `${file}: [project].version is dynamic; nx release needs a static version: remove "version" from [project].dynamic and set version = "X.Y.Z" under [project].`);
  }
  if (typeof project['version'] !== 'string') {
    throw new QuiverError('PYPROJECT_NO_VERSION', `${file}: [project].version is missing; add version = "0.1.0" under [project].`);
  }
  if (!/^[A-Za-z0-9.!+_-]+$/.test(newVersion)) {
    throw new QuiverError('PYPROJECT_BAD_VERSION', `${file}: refusing to write version "${newVersion}"; it must be a PEP 440 version.`);
  }
  const loc = locateProjectVersion(text);
  if (!loc) {
    throw new QuiverError('PYPROJECT_VERSION_NOT_EDITABLE', `${file}: could not find [project].version as a one-line string; write it as version = "X.Y.Z" under [project].`);
  }
  const out = text.slice(0, loc.start) + newVersion + text.slice(loc.end);
  let reparsed: Record<string, unknown>;
  try {
    reparsed = parse(out) as Record<string, unknown>;
  } catch {
    reparsed = {};
  }
  const readBack = (reparsed['project'] as Record<string, unknown> | undefined)?.['version'];
  if (readBack !== newVersion || !deepEqual(stripVersion(reparsed), stripVersion(doc))) {
    throw new QuiverError('PYPROJECT_VERSION_NOT_EDITABLE', `${file}:${loc.line}: editing [project].version in place did not round-trip; write it as version = "X.Y.Z" under [project].`);
  }
  return out;
}
