/**
 * Redaction of secrets in every form they can take in text a tool prints or an index echoes back:
 *
 *  - the raw value;
 *  - URL-encoded (`encodeURIComponent`, and form encoding with `+` for spaces);
 *  - JSON-escaped (the inside of `JSON.stringify(secret)`, also with `/` as `\/`);
 *  - base64 and base64url of `user:secret` (HTTP Basic auth, RFC 7617), for every user name given,
 *    and of the secret alone at each of the three byte alignments (so base64 of the secret inside
 *    any longer string is caught whatever precedes it);
 *  - any run of at least {@link MIN_FRAGMENT} characters of one of these forms (a truncated echo,
 *    e.g. an error body cut at 70 of 92 base64 characters, still counts).
 *
 * Each matched run is replaced by `***` as a whole (overlapping and adjacent matches merge). Pure.
 */

/** Shortest fragment of an encoded form that is redacted on its own (characters). */
const MIN_FRAGMENT = 16;

/** Shortest secret that is redacted at all (shorter strings would mask ordinary text). */
const MIN_SECRET = 4;

const b64 = (s: Buffer) => s.toString('base64').replace(/=+$/, '');
const b64url = (s: Buffer) => s.toString('base64url');

/**
 * The base64 characters that depend only on `secret`'s bytes when it is preceded by `k` (0..2)
 * other bytes (mod 3) and followed by anything: whole 3-byte groups inside the secret.
 */
function alignedBase64(secret: Buffer, k: number): string[] {
  const padded = Buffer.concat([Buffer.alloc(k), secret]);
  const first = k === 0 ? 0 : 1; // first group made only of the secret's bytes
  const last = Math.floor(padded.length / 3); // groups fully inside
  if (last <= first) return [];
  const bytes = padded.subarray(first * 3, last * 3);
  return [bytes.toString('base64'), bytes.toString('base64url')];
}

/**
 * Every form of `secret` that must not appear in output (see the module comment).
 * @param secret the raw value
 * @param usernames user names it may be paired with in Basic auth (e.g. `__token__`)
 * @returns distinct forms, longest first; empty for a secret shorter than {@link MIN_SECRET}
 */
export function secretForms(secret: string, usernames: readonly string[] = ['__token__']): string[] {
  if (!secret || secret.length < MIN_SECRET) return [];
  const raw = Buffer.from(secret, 'utf8');
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = new Set<string>([
    secret,
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
    json,
    json.replace(/\//g, '\\/'),
    b64(raw),
    b64url(raw).replace(/=+$/, ''),
  ]);
  for (const u of usernames) {
    const pair = Buffer.from(`${u}:${secret}`, 'utf8');
    forms.add(b64(pair));
    forms.add(b64url(pair));
  }
  for (const k of [0, 1, 2]) for (const f of alignedBase64(raw, k)) forms.add(f);
  return [...forms].filter((f) => f.length >= MIN_SECRET).sort((a, b) => b.length - a.length);
}

interface Compiled {
  whole: string[];
  grams: Set<string>;
}

const cache = new Map<string, Compiled>();

function compile(secrets: readonly string[], usernames: readonly string[]): Compiled {
  const key = JSON.stringify([secrets, usernames]);
  const hit = cache.get(key);
  if (hit) return hit;
  const whole = new Set<string>();
  const grams = new Set<string>();
  for (const s of secrets) {
    for (const f of secretForms(s, usernames)) {
      whole.add(f);
      for (let i = 0; i + MIN_FRAGMENT <= f.length; i++) grams.add(f.slice(i, i + MIN_FRAGMENT));
    }
  }
  const c = { whole: [...whole].sort((a, b) => b.length - a.length), grams };
  if (cache.size > 64) cache.clear();
  cache.set(key, c);
  return c;
}

/**
 * Replace every form of every secret (see the module comment) in `text` with `***`.
 * @param secrets raw secret values; those shorter than {@link MIN_SECRET} are ignored
 * @param usernames Basic-auth user names the secrets may be paired with (default `__token__`)
 */
export function redactSecrets(text: string, secrets: readonly string[], usernames: readonly string[] = ['__token__']): string {
  const live = secrets.filter((s) => s && s.length >= MIN_SECRET);
  if (!live.length || !text) return text;
  const c = compile(live, usernames);
  const hide = new Uint8Array(text.length);
  let any = false;
  for (const f of c.whole) {
    for (let i = text.indexOf(f); i >= 0; i = text.indexOf(f, i + 1)) {
      hide.fill(1, i, i + f.length);
      any = true;
    }
  }
  if (c.grams.size) {
    for (let i = 0; i + MIN_FRAGMENT <= text.length; i++) {
      if (c.grams.has(text.slice(i, i + MIN_FRAGMENT))) {
        hide.fill(1, i, i + MIN_FRAGMENT);
        any = true;
      }
    }
  }
  if (!any) return text;
  let out = '';
  for (let i = 0; i < text.length; ) {
    if (hide[i]) {
      out += '***';
      while (i < text.length && hide[i]) i++;
    } else {
      const j = hide.indexOf(1, i);
      const end = j < 0 ? text.length : j;
      out += text.slice(i, end);
      i = end;
    }
  }
  return out;
}
