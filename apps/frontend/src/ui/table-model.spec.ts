import {
  answeringVersion,
  columnLabel,
  columnsOf,
  errorMessage,
  formatCell,
  statusTone,
  versionMix,
} from './table-model.js';

const headers = (values: Record<string, string>) => new Headers(values);

describe('columnsOf', () => {
  it('puts url first and keeps the order of first appearance', () => {
    expect(columnsOf([{ total: 1, url: 'a', success: 1 }])).toEqual(['url', 'total', 'success']);
  });

  it('takes the union of keys over all rows, so a field only some rows have still gets a column', () => {
    const rows = [
      { url: 'a', total: 1, success: 1, latency: 3, statusCode: 200 },
      { url: 'b', total: 1, success: 1, latency: 3, statusCode: 200, responseSize: 512 },
    ];
    expect(columnsOf(rows)).toEqual(['url', 'total', 'success', 'latency', 'statusCode', 'responseSize']);
  });

  it('has just the url column for no rows', () => {
    expect(columnsOf([])).toEqual(['url']);
  });
});

describe('columnLabel', () => {
  it('names known pinger fields', () => {
    expect(columnLabel('responseSize')).toBe('Response size (bytes)');
    expect(columnLabel('statusCode')).toBe('Status');
  });

  it('turns unknown camelCase or snake_case keys into words', () => {
    expect(columnLabel('contentType')).toBe('Content type');
    expect(columnLabel('tls_version')).toBe('Tls version');
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
    expect(formatCell(value)).toBe(text);
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
    expect(statusTone(status)).toBe(tone);
  });
});

describe('answeringVersion', () => {
  it('prefers the version in the body', () => {
    expect(
      answeringVersion(
        { version: 'v2' },
        headers({ 'x-upstream-service': 'pinger', 'x-service-version': 'v1' }),
      ),
    ).toBe('v2');
  });

  it('falls back to the header of a pinger answer', () => {
    expect(
      answeringVersion({ stats: [] }, headers({ 'x-upstream-service': 'pinger', 'x-service-version': 'v2' })),
    ).toBe('v2');
  });

  it("ignores answers that pinger did not give (the frontend's own 502 carries the frontend's version)", () => {
    expect(
      answeringVersion({ error: 'upstream_unavailable' }, headers({ 'x-service-version': 'v1' })),
    ).toBeUndefined();
  });
});

describe('errorMessage', () => {
  it("uses the server's message", () => {
    expect(
      errorMessage(502, { error: 'upstream_unavailable', message: 'pinger is unreachable (ECONNREFUSED)' }),
    ).toBe('pinger is unreachable (ECONNREFUSED)');
  });

  it('says what happened when there is no message', () => {
    expect(errorMessage(500, undefined)).toBe('The server answered 500 without an explanation');
  });
});

describe('versionMix', () => {
  it('counts versions, most frequent first', () => {
    expect(versionMix(['v1', 'v2', 'v1', 'v1'])).toEqual([
      ['v1', 3],
      ['v2', 1],
    ]);
  });
});
