import { PROMETHEUS } from './datasource';
import { PANEL_HEIGHT, row, timeseries } from './panels';

const ALERT = { alert: 'SomeAlert', value: 0.25 };

describe('timeseries', () => {
  it('queries the provisioned Prometheus from the panel and every target, lettered A, B, ...', () => {
    const panel = timeseries({
      title: 'T',
      unit: 'reqps',
      queries: [
        { expr: 'up', legend: '{{job}}' },
        { expr: 'vector(1)', legend: 'one' },
      ],
    }).build();
    expect(panel).toMatchObject({
      type: 'timeseries',
      title: 'T',
      datasource: PROMETHEUS,
      gridPos: { w: 12, h: PANEL_HEIGHT },
      fieldConfig: { defaults: { unit: 'reqps' } },
    });
    expect(panel.targets).toEqual([
      expect.objectContaining({ refId: 'A', expr: 'up', legendFormat: '{{job}}', datasource: PROMETHEUS }),
      expect.objectContaining({ refId: 'B', expr: 'vector(1)', legendFormat: 'one', datasource: PROMETHEUS }),
    ]);
    expect(panel.description).toBeUndefined();
  });

  it('draws an alert’s threshold as a dashed line and says which alert it is', () => {
    const panel = timeseries({
      title: 'T',
      unit: 'percentunit',
      description: 'Why.',
      alert: ALERT,
      queries: [{ expr: 'up', legend: 'x' }],
    }).build();
    expect(panel.fieldConfig?.defaults.thresholds?.steps).toEqual([
      { value: null, color: 'green' },
      { value: 0.25, color: 'red' },
    ]);
    expect(panel.fieldConfig?.defaults.custom).toMatchObject({ thresholdsStyle: { mode: 'dashed' } });
    expect(panel.description).toBe(
      'Why. The dashed line is where the SomeAlert alert fires (0.25, held for 5m).',
    );
  });

  it('fixes series colours by name pattern', () => {
    const panel = timeseries({
      title: 'T',
      unit: 's',
      seriesColors: { '.*a.*': 'blue' },
      queries: [{ expr: 'up', legend: 'a' }],
    }).build();
    expect(panel.fieldConfig?.overrides).toEqual([
      {
        matcher: { id: 'byRegexp', options: '.*a.*' },
        properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: 'blue' } }],
      },
    ]);
  });

  it('refuses a panel without a query, naming it', () => {
    expect(() => timeseries({ title: 'Empty', unit: 's', queries: [] })).toThrow(
      'panel "Empty" has no query',
    );
  });
});

describe('row', () => {
  it('is an expanded row header', () => {
    expect(row('R').build()).toMatchObject({ type: 'row', title: 'R', collapsed: false });
  });
});
