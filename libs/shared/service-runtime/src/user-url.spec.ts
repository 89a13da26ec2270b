import { checkUserUrl, MAX_URL_LENGTH } from './user-url';

const problemOf = (value: string, base?: URL) => {
  const result = checkUserUrl(value, base);
  return 'problem' in result ? result.problem : undefined;
};
const hrefOf = (value: string, base?: URL) => {
  const result = checkUserUrl(value, base);
  return 'url' in result ? result.url.href : undefined;
};

describe('checkUserUrl', () => {
  it.each([
    ['https://example.com', 'https://example.com/'],
    ['  HTTP://Example.COM:80/a?b#c ', 'http://example.com/a?b#c'],
    ['http://2852039166/', 'http://169.254.169.254/'],
    ['http://[::ffff:169.254.169.254]/', 'http://[::ffff:a9fe:a9fe]/'],
  ])('accepts %s as %s', (value, href) => {
    expect(hrefOf(value)).toBe(href);
  });

  it.each([
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    ['example.com', 'not a valid absolute URL'],
    ['http://', 'not a valid absolute URL'],
    ['ftp://example.com/', "must use http or https, got 'ftp'"],
    ['file:///etc/passwd', "got 'file'"],
    ['javascript:alert(1)', "got 'javascript'"],
    ['gopher://127.0.0.1:6379/_INFO', "got 'gopher'"],
    ['http://user:secret@example.com/', 'must not contain credentials'],
    ['http://user@example.com/', 'must not contain credentials'],
    [`http://example.com/${'a'.repeat(MAX_URL_LENGTH)}`, `at most ${MAX_URL_LENGTH} characters`],
  ])('refuses %j', (value, problem) => {
    expect(problemOf(value)).toContain(problem);
  });

  it('refuses a URL that only grows too long once normalised', () => {
    const value = `http://example.com/${' '.repeat(10)}${'é'.repeat(MAX_URL_LENGTH / 4)}`;
    expect(value.trim().length).toBeLessThanOrEqual(MAX_URL_LENGTH);
    expect(problemOf(value)).toContain('at most');
  });

  it('resolves relative redirect locations against the current URL', () => {
    const base = new URL('http://127.0.0.1:8080/a/b');
    expect(hrefOf('/c', base)).toBe('http://127.0.0.1:8080/c');
    expect(hrefOf('d', base)).toBe('http://127.0.0.1:8080/a/d');
    expect(hrefOf('//other.test/x', base)).toBe('http://other.test/x');
    expect(problemOf('ftp://example.com/', base)).toContain("got 'ftp'");
  });
});
