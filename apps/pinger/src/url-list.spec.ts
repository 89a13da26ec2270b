import { HttpError } from '@learnathon/service-runtime';
import { errorThrownBy } from '@learnathon/testing';
import { parseTargetUrl, UrlList } from './url-list';

describe('parseTargetUrl', () => {
  it('normalises valid http and https URLs', () => {
    expect(parseTargetUrl('HTTP://Example.com')).toBe('http://example.com/');
    expect(parseTargetUrl('  https://example.com/a?b=1 ')).toBe('https://example.com/a?b=1');
  });

  it.each([
    [undefined, 'Body must be JSON like'],
    [42, 'Body must be JSON like'],
    ['', 'Body must be JSON like'],
    // The URL rules themselves are checkUserUrl's, covered by service-runtime's user-url spec:
    // these show that a broken rule becomes a 400 carrying checkUserUrl's words.
    ['ftp://example.com/', "must use http or https, got 'ftp'"],
    ['http://user:secret@example.com/', 'must not contain credentials'],
  ])('refuses %p with a 400 that says why', (input, message) => {
    const error = errorThrownBy(() => parseTargetUrl(input), HttpError);
    expect(error.status).toBe(400);
    expect(error.message).toContain(message);
  });
});

describe('UrlList', () => {
  it('keeps insertion order and ignores duplicates', () => {
    const list = new UrlList(['http://a/'], 10);
    expect(list.add('http://b/')).toBe(true);
    expect(list.add('http://a/')).toBe(false);
    expect(list.toArray()).toEqual(['http://a/', 'http://b/']);
  });

  it('refuses to grow beyond its limit and stays unchanged', () => {
    const list = new UrlList(['http://a/', 'http://b/'], 2);
    expect(() => list.add('http://c/')).toThrow('the list already holds the maximum of 2 URLs');
    expect(list.add('http://a/')).toBe(false);
    expect(list.toArray()).toEqual(['http://a/', 'http://b/']);
  });

  it('counts changes in its revision, not refusals or duplicates', () => {
    const list = new UrlList(['http://a/'], 2);
    const start = list.revision;
    list.add('http://a/');
    expect(list.revision).toBe(start);
    list.add('http://b/');
    expect(list.revision).toBe(start + 1);
    expect(() => list.add('http://c/')).toThrow();
    expect(list.revision).toBe(start + 1);
  });

  it('truncates an initial list that is too long', () => {
    expect(new UrlList(['http://a/', 'http://b/', 'http://c/'], 2).size).toBe(2);
  });
});
