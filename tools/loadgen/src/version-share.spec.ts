import { NO_VERSION, VersionSplit, VersionTally, versionOf } from './version-share';

describe('versionOf', () => {
  it('reads the header whatever its case', () => {
    expect(versionOf({ 'x-service-version': 'v2' })).toBe('v2');
    expect(versionOf({ 'X-Service-Version': 'v1' })).toBe('v1');
  });

  it('joins a repeated header, so a double-stamped response stands out', () => {
    expect(versionOf({ 'x-service-version': ['v1', 'v2'] })).toBe('v1,v2');
  });

  it('files responses without (or with an empty) header under (none)', () => {
    expect(versionOf(undefined)).toBe(NO_VERSION);
    expect(versionOf({ 'content-type': 'application/json' })).toBe(NO_VERSION);
    expect(versionOf({ 'x-service-version': '  ' })).toBe(NO_VERSION);
  });
});

describe('VersionTally', () => {
  it('counts each response once and gives shares sorted by version', () => {
    const tally = new VersionTally();
    for (let index = 0; index < 19; index++) tally.record({ 'x-service-version': 'v1' });
    tally.record({ 'x-service-version': 'v2' });
    expect(tally.total()).toBe(20);
    expect(tally.shares()).toEqual([
      { version: 'v1', count: 19, share: 0.95 },
      { version: 'v2', count: 1, share: 0.05 },
    ]);
  });

  it('orders versions numerically (v2 before v10) regardless of arrival', () => {
    const tally = new VersionTally();
    tally.record({ 'x-service-version': 'v10' });
    tally.record({ 'x-service-version': 'v2' });
    tally.record({});
    expect(tally.shares().map((share) => share.version)).toEqual([NO_VERSION, 'v2', 'v10']);
  });

  it('has no shares before any response', () => {
    expect(new VersionTally().shares()).toEqual([]);
  });
});

describe('VersionSplit', () => {
  it('keeps the named routes in order, even those without responses', () => {
    const split = new VersionSplit(['GET /', 'GET /ping/stats', 'POST /url/info']);
    split.record('GET /ping/stats', { 'x-service-version': 'v2' });
    split.record('GET /', { 'x-service-version': 'v1' });
    expect(Object.keys(split.byRoute())).toEqual(['GET /', 'GET /ping/stats', 'POST /url/info']);
    expect(split.byRoute()['POST /url/info']).toEqual([]);
    expect(split.overall.total()).toBe(2);
  });

  it('shows a canary split on the pinger route that the frontend page dilutes overall', () => {
    const split = new VersionSplit(['GET /', 'GET /ping/stats']);
    for (let index = 0; index < 20; index++) {
      split.record('GET /', { 'x-service-version': 'v1' });
      split.record('GET /ping/stats', { 'x-service-version': index < 19 ? 'v1' : 'v2' });
    }
    expect(split.byRoute()['GET /ping/stats']?.map((share) => share.share)).toEqual([0.95, 0.05]);
    expect(split.overall.shares().map((share) => share.share)).toEqual([0.975, 0.025]);
  });
});
