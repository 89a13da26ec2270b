import { DEFAULT_MIX, MAX_MIX_ENTRIES, mixCycle, MixError, mixShares, parseMix, routeName } from './mix';

describe('parseMix', () => {
  it('reads the default mix: GET unless a method is given, weights as written', () => {
    expect(parseMix(DEFAULT_MIX)).toEqual([
      { method: 'GET', path: '/', weight: 1 },
      { method: 'GET', path: '/ping/stats', weight: 6 },
      { method: 'GET', path: '/ping/urls', weight: 2 },
      { method: 'POST', path: '/url/info', weight: 1 },
    ]);
  });

  it('accepts the short form with spaces around entries and a lower-case method', () => {
    expect(parseMix(' /:1 , /ping/stats:6,post /url/info:3 ')).toEqual([
      { method: 'GET', path: '/', weight: 1 },
      { method: 'GET', path: '/ping/stats', weight: 6 },
      { method: 'POST', path: '/url/info', weight: 3 },
    ]);
  });

  it('splits on the last colon, so a path may contain one', () => {
    expect(parseMix('/a:b:2')).toEqual([{ method: 'GET', path: '/a:b', weight: 2 }]);
  });

  it.each([
    ['', /at least one entry/],
    ['/ping/stats', /needs a weight, as in '\/ping\/stats:1'/],
    ['/ping/stats:0', /whole-number weight from 1 to 100, got '0'/],
    ['/ping/stats:-1', /got '-1'/],
    ['/ping/stats:1.5', /got '1.5'/],
    ['/ping/stats:abc', /got 'abc'/],
    ['/ping/stats:101', /got '101'/],
    ['/:1,,/ping/urls:1', /empty entry/],
    ['/:1,', /empty entry/],
    ['ping/stats:1', /path starting with '\/'/],
    ['GET /a b:1', /without spaces/],
    ['DELETE /ping/urls:1', /method 'DELETE', expected one of GET, POST/],
    ['/ping/stats:1,GET /ping/stats:2', /lists 'GET \/ping\/stats' twice/],
  ])('rejects %j', (spec, message) => {
    expect(() => parseMix(spec)).toThrow(MixError);
    expect(() => parseMix(spec)).toThrow(message);
  });

  it('rejects more entries than a connection should keep in its cycle', () => {
    const spec = Array.from({ length: MAX_MIX_ENTRIES + 1 }, (_, index) => `/r${index}:1`).join(',');
    expect(() => parseMix(spec)).toThrow(`has ${MAX_MIX_ENTRIES + 1} entries`);
  });
});

describe('mixCycle', () => {
  const countRoutes = (entries: ReturnType<typeof parseMix>) =>
    entries.reduce<Record<string, number>>(
      (counts, entry) => ({ ...counts, [routeName(entry)]: (counts[routeName(entry)] ?? 0) + 1 }),
      {},
    );

  it('holds each route exactly as often as its weight says', () => {
    const cycle = mixCycle(parseMix(DEFAULT_MIX));
    expect(cycle).toHaveLength(10);
    expect(countRoutes(cycle)).toEqual({
      'GET /': 1,
      'GET /ping/stats': 6,
      'GET /ping/urls': 2,
      'POST /url/info': 1,
    });
  });

  it('reduces weights by their common divisor, so 95:5 is a cycle of 20', () => {
    const cycle = mixCycle(parseMix('/a:95,/b:5'));
    expect(cycle).toHaveLength(20);
    expect(countRoutes(cycle)).toEqual({ 'GET /a': 19, 'GET /b': 1 });
  });

  it('interleaves routes instead of sending a heavy route in one block', () => {
    const cycle = mixCycle(parseMix('/a:1,/b:1,/c:2')).map((entry) => entry.path);
    expect(cycle).toEqual(['/c', '/a', '/b', '/c']);
    const longestRun = (paths: string[]) =>
      paths.reduce(
        ({ best, run, last }, path) => ({
          run: path === last ? run + 1 : 1,
          best: Math.max(best, path === last ? run + 1 : 1),
          last: path,
        }),
        { best: 0, run: 0, last: '' },
      ).best;
    expect(longestRun(mixCycle(parseMix(DEFAULT_MIX)).map((entry) => entry.path))).toBeLessThanOrEqual(2);
  });
});

describe('mixShares', () => {
  it('turns weights into fractions of all requests', () => {
    expect(mixShares(parseMix('/:1,POST /url/info:3'))).toEqual([
      { route: 'GET /', share: 0.25 },
      { route: 'POST /url/info', share: 0.75 },
    ]);
  });
});
