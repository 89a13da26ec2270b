import * as model from './table-model.js';

const headers = (values: Record<string, string>) => new Headers(values);

describe('columnsOf', () => {
  it('puts url first and keeps the order of first appearance', () => {
    expect(model.columnsOf([{ total: 1, url: 'a', success: 1 }])).toEqual(['url', 'total', 'success']);
  });

  it('takes the union of keys over all rows, so a field only some rows have still gets a column', () => {
    const rows = [
      { url: 'a', total: 1, success: 1, latency: 3, statusCode: 200 },
      { url: 'b', total: 1, success: 1, latency: 3, statusCode: 200, responseSize: 512 },
    ];
    expect(model.columnsOf(rows)).toEqual([
      'url',
      'total',
      'success',
      'latency',
      'statusCode',
      'responseSize',
    ]);
  });

  it('has just the url column for no rows', () => {
    expect(model.columnsOf([])).toEqual(['url']);
  });
});

describe('columnLabel', () => {
  it('names known pinger fields', () => {
    expect(model.columnLabel('responseSize')).toBe('Response size (bytes)');
    expect(model.columnLabel('statusCode')).toBe('Status');
  });

  it('turns unknown camelCase or snake_case keys into words', () => {
    expect(model.columnLabel('contentType')).toBe('Content type');
    expect(model.columnLabel('tls_version')).toBe('Tls version');
  });
});

describe('formatCell', () => {
  it.each([
    [null, '—'],
    [undefined, '—'],
    ['', '—'],
    [0, '0'],
    [12.5, '12.5'],
    ['ECONNREFUSED', 'ECONNREFUSED'],
    [{ a: 1 }, '{"a":1}'],
    ['<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>'],
  ])('shows %p as %p', (value, text) => {
    expect(model.formatCell(value)).toBe(text);
  });
});

describe('statusTone', () => {
  it.each([
    [200, 'ok'],
    [301, 'ok'],
    [404, 'bad'],
    [503, 'bad'],
    ['ECONNREFUSED', 'bad'],
    [null, 'pending'],
  ])('rates %p as %p', (status, tone) => {
    expect(model.statusTone(status)).toBe(tone);
  });
});

const row = { url: 'http://a/', total: 1, success: 1, latency: 3, statusCode: 200 };

describe('statsRows', () => {
  it("reads the original's object keyed by URL hash, in its order", () => {
    const other = { ...row, url: 'http://b/', statusCode: -1 };
    expect(model.statsRows({ '3f2a': row, '9c1d': other })).toEqual([row, other]);
  });

  it("reads this app's earlier envelope {version, intervalMs, stats: [...]}", () => {
    expect(model.statsRows({ version: 'v1', intervalMs: 5000, stats: [row] })).toEqual([row]);
  });

  it('has no rows for a pinger that watches nothing, in either shape', () => {
    expect(model.statsRows({})).toEqual([]);
    expect(model.statsRows({ stats: [] })).toEqual([]);
  });

  it.each([[null], [[row]], ['text'], [{ message: 'not stats' }], [{ a: row, b: 5 }]])(
    'refuses %p, which is neither shape',
    (body) => {
      expect(model.statsRows(body)).toBeUndefined();
    },
  );
});

describe('probeIntervalMs', () => {
  it('reads the x-probe-interval-ms header', () => {
    expect(model.probeIntervalMs({}, headers({ 'x-probe-interval-ms': '2000' }))).toBe(2000);
  });

  it('falls back to the earlier body field, and to nothing', () => {
    expect(model.probeIntervalMs({ intervalMs: 5000 }, headers({}))).toBe(5000);
    expect(model.probeIntervalMs({}, headers({ 'x-probe-interval-ms': 'soon' }))).toBeUndefined();
  });
});

describe('urlList', () => {
  it('reads an array and the earlier {urls}', () => {
    expect(model.urlList(['http://a/'])).toEqual(['http://a/']);
    expect(model.urlList({ url: 'http://a/', added: true, urls: ['http://a/'] })).toEqual(['http://a/']);
  });

  it('refuses anything else', () => {
    expect(model.urlList({ error: 'bad_request' })).toBeUndefined();
    expect(model.urlList([1])).toBeUndefined();
  });
});

describe('answeringVersion', () => {
  it("reads a pinger answer's x-service-version", () => {
    expect(
      model.answeringVersion({}, headers({ 'x-upstream-service': 'pinger', 'x-service-version': 'v2' })),
    ).toBe('v2');
  });

  it("falls back to the earlier body field when pinger's header is missing", () => {
    expect(
      model.answeringVersion({ version: 'v2', stats: [] }, headers({ 'x-upstream-service': 'pinger' })),
    ).toBe('v2');
  });

  it('has none when pinger did not answer, or the answer is not from pinger', () => {
    expect(
      model.answeringVersion({ error: 'upstream_unavailable' }, headers({ 'x-upstream-service': 'pinger' })),
    ).toBeUndefined();
    expect(model.answeringVersion({}, headers({ 'x-service-version': 'v1' }))).toBeUndefined();
  });
});

describe('pollProblem', () => {
  it('names the upstream that is down', () => {
    expect(
      model.pollProblem(
        502,
        { error: 'upstream_unavailable', message: 'pinger is unreachable (ECONNREFUSED)' },
        headers({ 'x-upstream-service': 'pinger' }),
      ),
    ).toBe('Pinger is unavailable: pinger is unreachable (ECONNREFUSED)');
  });

  it('reports a frontend that did not answer as such', () => {
    expect(model.pollProblem(0, { message: 'The frontend is unreachable' }, headers({}))).toBe(
      'The frontend is unreachable',
    );
  });

  it("quotes any other failure's message", () => {
    expect(model.pollProblem(404, { message: 'No route for GET /ping/stats' }, headers({}))).toBe(
      'Live data unavailable: No route for GET /ping/stats',
    );
  });
});

describe('errorMessage', () => {
  it("uses the server's message", () => {
    expect(
      model.errorMessage(502, {
        error: 'upstream_unavailable',
        message: 'pinger is unreachable (ECONNREFUSED)',
      }),
    ).toBe('pinger is unreachable (ECONNREFUSED)');
  });

  it('says what happened when there is no message', () => {
    expect(model.errorMessage(500, undefined)).toBe('The server answered 500 without an explanation');
  });
});

describe('versionMix', () => {
  it('counts versions, most frequent first', () => {
    expect(model.versionMix(['v1', 'v2', 'v1', 'v1'])).toEqual([
      ['v1', 3],
      ['v2', 1],
    ]);
  });
});
