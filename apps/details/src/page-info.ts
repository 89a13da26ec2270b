import type { IncomingHttpHeaders } from 'node:http';

/** Titles longer than this are cut: enough for any real one, and the answer stays small. */
export const MAX_TITLE_LENGTH = 300;

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (entity, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('#')) {
      const codePoint = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
      return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity;
    }
    return NAMED_ENTITIES[lower] ?? entity;
  });
}

/**
 * The text of the first `<title>` element, whitespace collapsed, entities decoded, at most
 * MAX_TITLE_LENGTH characters; null if there is none (or it is not closed within the bytes read).
 * Plain index searches, not a regular expression: a body full of `<title` must not cost quadratic time.
 */
export function extractTitle(html: string): string | null {
  const lower = html.toLowerCase();
  let searchFrom = 0;
  for (;;) {
    const open = lower.indexOf('<title', searchFrom);
    if (open === -1) return null;
    const afterName = lower.charAt(open + '<title'.length);
    searchFrom = open + 1;
    if (afterName !== '>' && !/\s/.test(afterName)) continue; // `<titlefoo>` is another element
    const contentStart = lower.indexOf('>', open);
    const close = contentStart === -1 ? -1 : lower.indexOf('</title', contentStart);
    if (close === -1) return null;
    const title = decodeEntities(html.slice(contentStart + 1, close))
      .replace(/\s+/g, ' ')
      .trim();
    return title === '' ? null : title.slice(0, MAX_TITLE_LENGTH);
  }
}

export function isHtml(contentType: string | null): boolean {
  return /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType ?? '');
}

/** Decodes a body in the charset its Content-Type names, UTF-8 if none or unknown. */
export function decodeBody(body: Buffer, contentType: string | null): string {
  const charset = /;\s*charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

/** A Content-Length header as a number; null when absent or not a plain non-negative integer. */
export function contentLengthOf(headers: IncomingHttpHeaders): number | null {
  const value = headers['content-length'];
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : null;
}

/** A header as one string (repeated headers joined like on the wire); null when absent. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}
