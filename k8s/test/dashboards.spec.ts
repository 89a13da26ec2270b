import { load } from 'js-yaml';
import { readdirSync } from 'node:fs';
import {
  DASHBOARDS_DIR,
  listPanelQueries,
  listVariableSelectors,
  loadDashboards,
  renderQuery,
  substituteVariables,
} from './dashboards';
import { renderOverlay } from './manifests';
import { startPrometheus, type RunningPrometheus } from '@learnathon/testing';

const panelQueries = listPanelQueries();
const variableSelectors = listVariableSelectors();

describe('Grafana dashboards', () => {
  const objects = renderOverlay('monitoring');
  const configMap = (prefix: string) =>
    objects.find((object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith(prefix)) as
      { data: Record<string, string> } | undefined;

  it('ships every dashboard file in the grafana-dashboards ConfigMap', () => {
    expect(Object.keys(configMap('grafana-dashboards-')?.data ?? {}).sort()).toEqual(
      readdirSync(DASHBOARDS_DIR).sort(),
    );
  });

  it('gives every panel a query against the provisioned Prometheus datasource', () => {
    const datasources = load(configMap('grafana-datasources-')?.data['datasources.yaml'] ?? '') as {
      datasources: { uid: string; type: string }[];
    };
    const prometheusUid = datasources.datasources.find((datasource) => datasource.type === 'prometheus')?.uid;
    expect(panelQueries.length).toBeGreaterThan(20);
    expect(
      panelQueries
        .filter((query) => query.datasourceUid !== prometheusUid)
        .map((query) => `${query.file}: ${query.panel}`),
    ).toEqual([]);
    const emptyPanels = loadDashboards().flatMap(({ file, dashboard }) =>
      dashboard.panels
        .filter((panel) => panel.type !== 'row' && !panel.targets?.some((target) => target.expr))
        .map((panel) => `${file}: ${panel.title}`),
    );
    expect(emptyPanels).toEqual([]);
  });

  it('has a RED dashboard by service and version, with the pinger probes', () => {
    const red = loadDashboards().find(({ dashboard }) => dashboard.uid === 'learnathon-red')?.dashboard;
    expect(red?.templating?.list?.map((variable) => variable.name)).toEqual(['service', 'version']);
    const exprs = panelQueries.filter((query) => query.file === 'red.json').map((query) => query.expr);
    expect(
      exprs.filter(
        (expr) => expr.includes('http_request_duration_seconds') && expr.includes('version=~"$version"'),
      ).length,
    ).toBeGreaterThanOrEqual(4);
    expect(
      exprs.some((expr) => expr.includes('histogram_quantile(0.99') && expr.includes('by (version, le)')),
    ).toBe(true);
    expect(exprs.some((expr) => expr.includes('pinger_probe_duration_seconds_bucket'))).toBe(true);
    expect(exprs.some((expr) => expr.includes('pinger_probes_total') && expr.includes('result'))).toBe(true);
  });

  it('substitutes Grafana variables and refuses unknown ones', () => {
    expect(
      substituteVariables('rate(x{service="$service", v=~"${version:regex}"}[$__rate_interval])', {
        service: 'pinger',
        version: '.*',
      }),
    ).toBe('rate(x{service="pinger", v=~".*"}[1m])');
    expect(substituteVariables('label_replace(up, "a", "$1", "job", "(.*)")', {})).toBe(
      'label_replace(up, "a", "$1", "job", "(.*)")',
    );
    expect(() => substituteVariables('up{service="$servcie"}', { service: 'x' })).toThrow(
      /unknown Grafana variable \$servcie/,
    );
  });
});

/**
 * Every dashboard query parses and evaluates in a real Prometheus (empty, so results are empty; a
 * syntax error is a 400 bad_data). Stands in for opening the dashboards in Grafana in the cluster.
 */
describe('every dashboard query in a real Prometheus', () => {
  let prometheus: RunningPrometheus;
  beforeAll(async () => {
    prometheus = await startPrometheus();
  });
  afterAll(async () => {
    await prometheus?.stop();
  });

  it('answers a broken query with bad_data, so the check below can fail', async () => {
    expect(await prometheus.query('sum by (version (rate(x[1m]))')).toMatchObject({
      status: 'error',
      errorType: 'bad_data',
    });
  });

  it.each(
    [...panelQueries, ...variableSelectors].map(
      (query) => [`${query.file} ${query.panel} ${query.refId}`, query] as const,
    ),
  )('%s', async (_name, query) => {
    const result = await prometheus.query(renderQuery(query));
    expect({ status: result.status, error: result.error }).toEqual({ status: 'success', error: undefined });
  });
});
