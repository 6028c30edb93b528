/**
 * Reading a project's files from a simple repository page: PEP 691 JSON
 * (`application/vnd.pypi.simple.v1+json`) or PEP 503 HTML, whose links carry the file's digest as
 * a URL fragment (`#sha256=<hex>`). Pure: text in, files out.
 */

/** One file the index lists for a project. */
export interface IndexFile {
  filename: string;
  /** Absolute URL of the file (fragment removed). */
  url: string;
  /** Lower-case hex sha256, or null when the index gave no sha256. */
  sha256: string | null;
  /** PEP 700 upload time (ISO 8601), when the index gives it. */
  uploadTime: string | null;
}

/** The media types asked for, PEP 691 JSON preferred. */
export const SIMPLE_ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1';

function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function fileFromHref(href: string, text: string | null, pageUrl: string): IndexFile {
  const abs = new URL(decodeEntities(href), pageUrl);
  const frag = abs.hash.replace(/^#/, '');
  abs.hash = '';
  const m = /(?:^|&)sha256=([0-9a-fA-F]{64})(?:&|$)/.exec(frag);
  const fromPath = decodeURIComponent(abs.pathname.split('/').pop() ?? '');
  const filename = text && text.trim() ? decodeEntities(text.trim()) : fromPath;
  return { filename, url: abs.href, sha256: m ? m[1].toLowerCase() : null, uploadTime: null };
}

/**
 * Parse a simple project page.
 * @param body the response body
 * @param contentType the response's Content-Type (decides JSON vs HTML)
 * @param pageUrl the page's URL, to resolve relative links
 * @returns the files listed (empty for a page without links)
 */
export function parseSimplePage(body: string, contentType: string, pageUrl: string): IndexFile[] {
  if (/json/i.test(contentType)) {
    const doc = JSON.parse(body) as { files?: Array<{ filename: string; url: string; hashes?: Record<string, string>; 'upload-time'?: string }> };
    return (doc.files ?? []).map((f) => ({
      filename: f.filename,
      url: new URL(f.url, pageUrl).href.replace(/#.*$/, ''),
      sha256: f.hashes?.['sha256']?.toLowerCase() ?? null,
      uploadTime: f['upload-time'] ?? null,
    }));
  }
  const out: IndexFile[] = [];
  for (const m of body.matchAll(/<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>([\s\S]*?)<\/a>/gi)) {
    out.push(fileFromHref(m[1] ?? m[2], m[3].replace(/<[^>]*>/g, ''), pageUrl));
  }
  return out;
}
