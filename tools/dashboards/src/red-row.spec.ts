import { redRow } from './red-row';

describe('redRow', () => {
  const section = redRow({
    title: 'RED of $service',
    matchers: ['service="$service"', 'version=~"$version"'],
  });
  const panels = section.panels.map((panel) => panel.build());

  it('is a row with rate, errors, duration and routes', () => {
    expect(section.row.build().title).toBe('RED of $service');
    expect(panels.map((panel) => panel.title)).toEqual([
      'Request rate by version',
      'Error ratio (5xx) by version',
      'Latency p50 and p99 by version',
      'Requests by route and status',
    ]);
    expect(panels.map((panel) => panel.fieldConfig?.defaults.unit)).toEqual([
      'reqps',
      'percentunit',
      's',
      'reqps',
    ]);
  });

  it('selects the given requests in every query, from the apps’ server histogram', () => {
    const exprs = panels.flatMap(
      (panel) => panel.targets?.flatMap((target) => ('expr' in target ? [String(target.expr)] : [])) ?? [],
    );
    expect(exprs).toHaveLength(5);
    for (const expr of exprs) {
      expect(expr).toContain('http_request_duration_seconds_');
      expect(expr).toContain('service="$service", version=~"$version"');
    }
    expect(exprs[1]).toContain('status_code=~"5.."');
    expect(exprs[3]).toMatch(/^histogram_quantile\(0\.99, sum by \(version, le\)/);
  });

  it('draws the RED alerts’ thresholds on errors and latency', () => {
    expect(panels.map((panel) => panel.fieldConfig?.defaults.thresholds?.steps?.[1]?.value)).toEqual([
      undefined,
      0.05,
      0.5,
      undefined,
    ]);
  });
});
