import {
  contentLengthOf,
  decodeBody,
  extractTitle,
  headerValue,
  isHtml,
  MAX_TITLE_LENGTH,
} from './page-info';

describe('extractTitle', () => {
  it.each([
    ['<html><head><title>Hello</title></head></html>', 'Hello'],
    ['<TITLE lang="en">\n  Hello\n   world </TITLE >', 'Hello world'],
    ['<title>Tom &amp; Jerry &lt;3 &#39;x&#x27; &quot;q&quot; &nbsp;</title>', 'Tom & Jerry <3 \'x\' "q"'],
    ['<title>&unknown; &#0; &#x110000;</title>', '&unknown; &#0; &#x110000;'],
    ['<titlebar>no</titlebar><title>yes</title>', 'yes'],
    ['<title>first</title><title>second</title>', 'first'],
  ])('finds the title in %j', (html, title) => {
    expect(extractTitle(html)).toBe(title);
  });

  it.each([
    '',
    '<html></html>',
    '<title>never closed',
    '<title>   </title>',
    '<title',
    '<titlebar>x</titlebar>',
  ])('is null for %j', (html) => {
    expect(extractTitle(html)).toBeNull();
  });

  it(`cuts titles at ${MAX_TITLE_LENGTH} characters`, () => {
    const title = extractTitle(`<title>${'x'.repeat(MAX_TITLE_LENGTH * 3)}</title>`);
    expect(title).toHaveLength(MAX_TITLE_LENGTH);
  });

  it('answers for a body full of unclosed title tags', () => {
    expect(extractTitle('<title>'.repeat(100_000))).toBeNull();
  });
});

describe('isHtml', () => {
  it.each([
    ['text/html', true],
    ['text/html; charset=utf-8', true],
    ['application/xhtml+xml', true],
    ['application/json', false],
    ['text/plain', false],
    ['text/htmlx', false],
    [null, false],
  ])('%s → %s', (contentType, expected) => {
    expect(isHtml(contentType)).toBe(expected);
  });
});

describe('decodeBody', () => {
  it('decodes UTF-8 by default', () => {
    expect(decodeBody(Buffer.from('café', 'utf8'), 'text/html')).toBe('café');
  });

  it('uses the charset from the content type', () => {
    expect(decodeBody(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'text/html; charset="ISO-8859-1"')).toBe('café');
  });

  it('falls back to UTF-8 for an unknown charset', () => {
    expect(decodeBody(Buffer.from('café', 'utf8'), 'text/html; charset=nonsense')).toBe('café');
  });
});

describe('headers', () => {
  it('reads Content-Length only when it is a plain integer', () => {
    expect(contentLengthOf({ 'content-length': '1234' })).toBe(1234);
    expect(contentLengthOf({ 'content-length': '-1' })).toBeNull();
    expect(contentLengthOf({ 'content-length': '12abc' })).toBeNull();
    expect(contentLengthOf({})).toBeNull();
  });

  it('joins repeated headers and is null for absent ones', () => {
    expect(headerValue({ server: 'nginx' }, 'server')).toBe('nginx');
    expect(headerValue({ 'x-many': ['a', 'b'] }, 'x-many')).toBe('a, b');
    expect(headerValue({}, 'server')).toBeNull();
  });
});
