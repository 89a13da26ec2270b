import { countOtlpSpans, isFixtureRole } from './fixtures';

describe('countOtlpSpans', () => {
  it('adds up spans over every resource and scope of an OTLP/JSON export', () => {
    const payload = {
      resourceSpans: [
        { scopeSpans: [{ spans: [{ spanId: 'a' }, { spanId: 'b' }] }, { spans: [{ spanId: 'c' }] }] },
        { scopeSpans: [{ spans: [{ spanId: 'd' }] }] },
      ],
    };
    expect(countOtlpSpans(payload)).toBe(4);
  });

  it('counts nothing in an empty or foreign payload', () => {
    expect(countOtlpSpans({})).toBe(0);
    expect(countOtlpSpans(null)).toBe(0);
    expect(countOtlpSpans({ resourceSpans: [{}] })).toBe(0);
  });
});

describe('isFixtureRole', () => {
  it('knows its roles and nothing else', () => {
    expect(isFixtureRole('otlp-sink')).toBe(true);
    expect(isFixtureRole('pinger')).toBe(false);
    expect(isFixtureRole(undefined)).toBe(false);
  });
});
