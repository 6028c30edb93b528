/**
 * Parsers for the text files inside a wheel's `.dist-info`: WHEEL and METADATA (RFC 822-style
 * headers, https://packaging.python.org/en/latest/specifications/core-metadata/) and RECORD
 * (CSV, https://packaging.python.org/en/latest/specifications/recording-installed-packages/#the-record-file).
 * Pure functions of text.
 */

/** Header fields of an email-header file: lower-cased key -> values in order. */
export type Headers = Map<string, string[]>;

/** Decode UTF-8 strictly. @returns the text, or null when the bytes are not UTF-8. */
export function decodeUtf8(bytes: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Parse the header block (up to the first empty line) of a WHEEL or METADATA file.
 * Continuation lines (starting with a space or tab) extend the previous value.
 * @returns the headers and the 1-based numbers of lines that are not `Key: value`.
 */
export function parseHeaders(text: string): { headers: Headers; badLines: number[] } {
  const headers: Headers = new Map();
  const badLines: number[] = [];
  const lines = text.split(/\r?\n/);
  let last: { key: string; index: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') break;
    if (/^[ \t]/.test(line) && last) {
      const values = headers.get(last.key)!;
      values[last.index] += '\n' + line.trim();
      continue;
    }
    const m = /^([A-Za-z0-9][A-Za-z0-9-]*):[ \t]?(.*)$/.exec(line);
    if (!m) {
      badLines.push(i + 1);
      last = null;
      continue;
    }
    const key = m[1].toLowerCase();
    const values = headers.get(key) ?? [];
    values.push(m[2].trim());
    headers.set(key, values);
    last = { key, index: values.length - 1 };
  }
  return { headers, badLines };
}

/** First value of a header, or null. */
export function header(h: Headers, key: string): string | null {
  return h.get(key.toLowerCase())?.[0] ?? null;
}

/** One RECORD row. */
export interface RecordRow {
  /** 1-based line number. */
  line: number;
  path: string;
  /** `sha256=...` as written, or empty. */
  hash: string;
  /** Size as written, or empty. */
  size: string;
}

/**
 * Parse RECORD as Python's csv module writes it (comma separated, `"` quoting with `""` escapes).
 * @returns rows, and the line numbers of rows that do not have exactly three fields.
 */
export function parseRecord(text: string): { rows: RecordRow[]; badLines: number[] } {
  const rows: RecordRow[] = [];
  const badLines: number[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let inQuotes = false;
    let ended = false;
    while (i < text.length && !ended) {
      const ch = text[i];
      if (inQuotes) {
        if (ch === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (ch === '"') {
          inQuotes = false;
          i++;
        } else {
          if (ch === '\n') line++;
          field += ch;
          i++;
        }
      } else if (ch === '"' && field === '') {
        inQuotes = true;
        i++;
      } else if (ch === ',') {
        fields.push(field);
        field = '';
        i++;
      } else if (ch === '\r' && text[i + 1] === '\n') {
        i += 2;
        ended = true;
      } else if (ch === '\n') {
        i++;
        ended = true;
      } else {
        field += ch;
        i++;
      }
    }
    fields.push(field);
    line++;
    if (fields.length === 1 && fields[0] === '') continue; // blank line
    if (fields.length !== 3 || fields[0] === '') {
      badLines.push(startLine);
      continue;
    }
    rows.push({ line: startLine, path: fields[0], hash: fields[1], size: fields[2] });
  }
  return { rows, badLines };
}

/** Digest algorithms RECORD may use (sha256 or stronger) mapped to Node's names. */
export const STRONG_RECORD_ALGORITHMS: Record<string, string> = {
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  sha3_256: 'sha3-256',
  sha3_384: 'sha3-384',
  sha3_512: 'sha3-512',
  blake2b: 'blake2b512',
};

/** Split `sha256=abc` into algorithm and digest; null when there is no `=`. */
export function splitRecordHash(hash: string): { algorithm: string; digest: string } | null {
  const eq = hash.indexOf('=');
  if (eq <= 0) return null;
  return { algorithm: hash.slice(0, eq).toLowerCase(), digest: hash.slice(eq + 1) };
}

/** True when `digest` is urlsafe base64 without padding (the form RECORD requires). */
export function isCanonicalRecordDigest(digest: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(digest) && Buffer.from(digest, 'base64url').toString('base64url') === digest;
}
