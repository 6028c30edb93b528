/**
 * Where a publish goes: the upload URL (twine's `--repository-url`), the simple index it is read
 * back from (PEP 503 / PEP 691), the base of the trusted-publishing endpoints (`/_/oidc/...`) and,
 * for PyPI and TestPyPI, the JSON API (`/pypi/<name>/<version>/json`). Pure.
 */
import { QuiverError } from '../errors';

/** The resolved endpoints of one index. */
export interface IndexEndpoints {
  /** Upload URL (legacy upload API), e.g. `https://upload.pypi.org/legacy/`. */
  repositoryUrl: string;
  /** Simple index base, ending in `/`, e.g. `https://pypi.org/simple/`. */
  indexUrl: string;
  /** Base URL of `/_/oidc/audience` and `/_/oidc/mint-token`, without a trailing slash. */
  oidcUrl: string;
  /** Base of the JSON API (`<jsonApiUrl>/<name>/<version>/json`), or null when the index has none we know of. */
  jsonApiUrl: string | null;
  /** `pypi`, `testpypi`, or null for any other index. */
  known: 'pypi' | 'testpypi' | null;
}

/** PyPI's upload URL, the default `repositoryUrl`. */
const PYPI_UPLOAD_URL = 'https://upload.pypi.org/legacy/';

const withSlash = (u: string) => (u.endsWith('/') ? u : u + '/');

/** The error code of each URL option (written out, so docs/publishing.md's code table can be checked against the source). */
const URL_OPTION_CODES = { repositoryUrl: 'BAD_OPTION_REPOSITORY_URL', indexUrl: 'BAD_OPTION_INDEX_URL', oidcUrl: 'BAD_OPTION_OIDC_URL' } as const;

function parseUrl(value: string, option: keyof typeof URL_OPTION_CODES): URL {
  const code = URL_OPTION_CODES[option];
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new QuiverError(code, `option ${option}: "${value}" is not a URL; e.g. --${option}=https://test.pypi.org/legacy/.`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new QuiverError(code, `option ${option}: "${u.protocol}" URLs are not supported; use an http(s) URL.`);
  if (u.username || u.password) {
    // Credentials in a URL end up in logs and reports: refuse them without echoing the URL.
    throw new QuiverError(
      code,
      `option ${option}: the URL contains credentials (not shown), refused: the command line has already exposed them (shell history, CI logs, Nx's task header print it), so revoke that token on the index now and create a new one; pass it as PYPI_API_TOKEN (or TWINE_USERNAME/TWINE_PASSWORD), never in a URL.`,
    );
  }
  return u;
}

/**
 * Resolve the endpoints from the options. PyPI (`upload.pypi.org`) and TestPyPI
 * (`test.pypi.org/legacy/`) map to their documented simple index, OIDC and JSON API hosts; any
 * other upload URL (pypiserver, devpi, a private index) is taken as `<base>/` or `<base>/legacy/`,
 * its simple index as `<base>/simple/` and its OIDC endpoints as `<base>/_/oidc/...`.
 * @param o.repositoryUrl upload URL (default {@link PYPI_UPLOAD_URL})
 * @param o.indexUrl simple index URL, overriding the derived one
 * @param o.oidcUrl base of the OIDC endpoints, overriding the derived one
 * @throws QuiverError `BAD_OPTION_REPOSITORY_URL`, `BAD_OPTION_INDEX_URL`, `BAD_OPTION_OIDC_URL`
 */
export function resolveEndpoints(o: { repositoryUrl?: string; indexUrl?: string; oidcUrl?: string }): IndexEndpoints {
  const repo = parseUrl(o.repositoryUrl?.trim() || PYPI_UPLOAD_URL, 'repositoryUrl');
  const host = repo.hostname.toLowerCase();
  let known: IndexEndpoints['known'] = null;
  let base: string;
  let jsonApiUrl: string | null = null;
  if (host === 'upload.pypi.org' || host === 'pypi.org') {
    known = 'pypi';
    base = 'https://pypi.org';
  } else if (host === 'test.pypi.org') {
    known = 'testpypi';
    base = 'https://test.pypi.org';
  } else {
    base = withSlash(repo.origin + repo.pathname).replace(/legacy\/$/, '').replace(/\/$/, '');
  }
  if (known) jsonApiUrl = `${base}/pypi`;
  const indexUrl = o.indexUrl?.trim() ? withSlash(parseUrl(o.indexUrl.trim(), 'indexUrl').href) : `${base}/simple/`;
  const oidcUrl = o.oidcUrl?.trim() ? parseUrl(o.oidcUrl.trim(), 'oidcUrl').href.replace(/\/$/, '') : base;
  return { repositoryUrl: repo.href, indexUrl, oidcUrl, jsonApiUrl, known };
}
