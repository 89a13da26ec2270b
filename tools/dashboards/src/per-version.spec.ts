import { perVersionPanel, VERSION_COLORS, versionPattern } from './per-version';

describe('perVersionPanel', () => {
  it('colours each version the same way on every panel', () => {
    const panel = perVersionPanel({
      title: 'T',
      unit: 's',
      queries: [{ expr: 'up', legend: 'p99 {{version}}' }],
    }).build();
    const colors = (panel.fieldConfig?.overrides ?? []).map((override) => [
      override.matcher.options,
      override.properties[0]?.value?.fixedColor,
    ]);
    expect(colors).toEqual(
      Object.entries(VERSION_COLORS).map(([version, color]) => [versionPattern(version), color]),
    );
  });

  it('matches display names that mention the version, and not other versions', () => {
    const v1 = new RegExp(`^${versionPattern('v1')}$`);
    expect(['v1', 'p99 v1', 'pinger-v1', 'frontend v1 p50'].every((name) => v1.test(name))).toBe(true);
    expect(['v2', 'pinger-v2', 'v10', 'xv1'].some((name) => v1.test(name))).toBe(false);
  });

  it('refuses a legend that does not name the version', () => {
    expect(() =>
      perVersionPanel({ title: 'Bad', unit: 's', queries: [{ expr: 'up', legend: '{{route}}' }] }),
    ).toThrow('panel "Bad": every legend must name the version');
  });
});
