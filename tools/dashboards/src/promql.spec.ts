import { quantile, rate, ratioOfRates, selector, shareOfRate, sumBy } from './promql';

describe('PromQL building blocks', () => {
  it('writes a selector with or without matchers', () => {
    expect(selector('up')).toBe('up');
    expect(selector('up', ['job="a"', 'pod=~"b.*"'])).toBe('up{job="a", pod=~"b.*"}');
  });

  it('rates over Grafana’s rate interval unless told otherwise', () => {
    expect(rate('x_total', ['a="1"'])).toBe('rate(x_total{a="1"}[$__rate_interval])');
    expect(rate('x_total', [], '5m')).toBe('rate(x_total[5m])');
  });

  it('refuses a sum without grouping labels', () => {
    expect(sumBy(['a', 'b'], 'x')).toBe('sum by (a, b) (x)');
    expect(() => sumBy([], 'x')).toThrow('sumBy needs at least one label');
  });

  it('reads a ratio as 0 where there is traffic but no matching part yet', () => {
    expect(
      ratioOfRates({ metric: 'r_count', matchers: ['s="a"'], partMatchers: ['code=~"5.."'], by: ['v'] }),
    ).toBe(
      '(sum by (v) (rate(r_count{s="a", code=~"5.."}[$__rate_interval])) or 0 * sum by (v) (rate(r_count{s="a"}[$__rate_interval]))) / sum by (v) (rate(r_count{s="a"}[$__rate_interval]))',
    );
  });

  it('takes quantiles of _bucket series only, with q between 0 and 1', () => {
    expect(quantile(0.99, ['v'], 'h_bucket', ['s="a"'])).toBe(
      'histogram_quantile(0.99, sum by (v, le) (rate(h_bucket{s="a"}[$__rate_interval])))',
    );
    expect(() => quantile(99, ['v'], 'h_bucket', [])).toThrow('between 0 and 1, got 99');
    expect(() => quantile(0.5, ['v'], 'h_count', [])).toThrow("h_count is not a histogram's _bucket series");
  });

  it('divides each group by the total for a share', () => {
    expect(shareOfRate('v', 'r_total', ['s="a"'])).toBe(
      'sum by (v) (rate(r_total{s="a"}[$__rate_interval])) / ignoring(v) group_left sum(rate(r_total{s="a"}[$__rate_interval]))',
    );
  });
});
