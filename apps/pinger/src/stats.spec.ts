import { createHash } from 'node:crypto';
import { StatsStore, statsKey, type ProbeResult } from './stats';

const probe = (overrides: Partial<ProbeResult>): ProbeResult => ({
  url: 'http://a/',
  ok: true,
  latencyMs: 12.345,
  statusCode: 200,
  responseSize: 512,
  ...overrides,
});

const entry = (store: StatsStore, url = 'http://a/') => store.snapshot([url])[statsKey(url)];

describe('statsKey', () => {
  it('is the SHA-256 hex of the URL, as the original pinger keys its stats', () => {
    expect(statsKey('http://a/')).toBe(createHash('sha256').update('http://a/').digest('hex'));
    expect(statsKey('http://a/')).toMatch(/^[0-9a-f]{64}$/);
    expect(statsKey('http://b/')).not.toBe(statsKey('http://a/'));
  });
});

describe('StatsStore', () => {
  it('v1 shows url, total, success, latency and statusCode only, keyed by statsKey', () => {
    const store = new StatsStore('v1');
    store.record(probe({}));
    store.record(probe({ ok: false, statusCode: 503, latencyMs: 3 }));
    expect(store.snapshot(['http://a/'])).toEqual({
      [statsKey('http://a/')]: { url: 'http://a/', total: 2, success: 1, latency: 3, statusCode: 503 },
    });
  });

  it('v1 reports a network error as -1, v2 by its code', () => {
    const refused = probe({ ok: false, statusCode: 'ECONNREFUSED', responseSize: 0 });
    const v1 = new StatsStore('v1');
    const v2 = new StatsStore('v2');
    v1.record(refused);
    v2.record(refused);
    expect(entry(v1)?.statusCode).toBe(-1);
    expect(entry(v2)).toEqual({
      url: 'http://a/',
      total: 1,
      success: 0,
      latency: 12.3,
      statusCode: 'ECONNREFUSED',
      responseSize: 0,
    });
  });

  it('v2 adds responseSize', () => {
    const store = new StatsStore('v2');
    store.record(probe({}));
    expect(entry(store)).toMatchObject({ responseSize: 512, latency: 12.3 });
  });

  it('shows URLs that were never probed with zero counts, in the order asked', () => {
    const store = new StatsStore('v2');
    store.record(probe({ url: 'http://b/' }));
    expect(
      Object.values(store.snapshot(['http://c/', 'http://b/'])).map((s) => [
        s.url,
        s.total,
        s.latency,
        s.responseSize,
      ]),
    ).toEqual([
      ['http://c/', 0, null, null],
      ['http://b/', 1, 12.3, 512],
    ]);
  });
});

describe('StatsStore.revision', () => {
  it('changes with every recorded probe and only then', () => {
    const store = new StatsStore('v1');
    const before = store.revision;
    store.snapshot(['http://a/']);
    expect(store.revision).toBe(before);
    store.record(probe({}));
    expect(store.revision).toBe(before + 1);
  });
});
