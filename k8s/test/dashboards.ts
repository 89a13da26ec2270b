import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { K8S_ROOT } from './manifests';

/** The Grafana dashboards the monitoring component provisions (one ConfigMap key per file). */
export const DASHBOARDS_DIR = join(K8S_ROOT, 'components', 'grafana', 'dashboards');

interface GrafanaTarget {
  refId?: string;
  expr?: string;
  datasource?: { uid?: string };
}

interface GrafanaPanel {
  id?: number;
  type?: string;
  title?: string;
  datasource?: { uid?: string };
  targets?: GrafanaTarget[];
  panels?: GrafanaPanel[];
}

export interface GrafanaVariable {
  name: string;
  type: string;
  query?: string | { query?: string };
  includeAll?: boolean;
  allValue?: string;
  current?: { value?: string | string[] };
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: GrafanaPanel[];
  templating?: { list?: GrafanaVariable[] };
}

/** One PromQL query of one panel, still with Grafana's template variables in it. */
export interface PanelQuery {
  file: string;
  dashboard: string;
  panel: string;
  refId: string;
  datasourceUid: string | undefined;
  expr: string;
  /** Values for the dashboard's own variables: the saved selection, or the "All" value. */
  variables: Record<string, string>;
}

export function loadDashboards(dir = DASHBOARDS_DIR): { file: string; dashboard: Dashboard }[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({
      file: name,
      dashboard: JSON.parse(readFileSync(join(dir, name), 'utf8')) as Dashboard,
    }));
}

const variableQuery = (variable: GrafanaVariable) =>
  typeof variable.query === 'string' ? variable.query : variable.query?.query;

/** What Grafana would put in for each variable when the dashboard opens. */
export function defaultVariableValues(dashboard: Dashboard): Record<string, string> {
  return Object.fromEntries(
    (dashboard.templating?.list ?? []).map((variable) => {
      const saved = variable.current?.value;
      const value = Array.isArray(saved) ? saved[0] : saved;
      if (value === '$__all' || (value === undefined && variable.includeAll))
        return [variable.name, variable.allValue ?? '.*'];
      return [variable.name, value ?? ''];
    }),
  );
}

const flattenPanels = (panels: readonly GrafanaPanel[]): GrafanaPanel[] =>
  panels.flatMap((panel) => [panel, ...flattenPanels(panel.panels ?? [])]);

/** Every panel query of every dashboard: the list a live test can run against a Prometheus with real data. */
export function listPanelQueries(dir = DASHBOARDS_DIR): PanelQuery[] {
  return loadDashboards(dir).flatMap(({ file, dashboard }) => {
    const variables = defaultVariableValues(dashboard);
    return flattenPanels(dashboard.panels).flatMap((panel) =>
      (panel.targets ?? [])
        .filter((target) => target.expr !== undefined)
        .map((target) => ({
          file: basename(file),
          dashboard: dashboard.title,
          panel: panel.title ?? `panel ${panel.id}`,
          refId: target.refId ?? '?',
          datasourceUid: target.datasource?.uid ?? panel.datasource?.uid,
          expr: target.expr as string,
          variables,
        })),
    );
  });
}

/** The selector inside each `label_values(selector, label)` variable query: PromQL too, and checked the same way. */
export function listVariableSelectors(dir = DASHBOARDS_DIR): PanelQuery[] {
  return loadDashboards(dir).flatMap(({ file, dashboard }) =>
    (dashboard.templating?.list ?? [])
      .filter((variable) => variable.type === 'query')
      .map((variable) => {
        const match = /^label_values\((.+),\s*\w+\)$/.exec(variableQuery(variable)?.trim() ?? '');
        return {
          file,
          dashboard: dashboard.title,
          panel: `variable ${variable.name}`,
          refId: variable.name,
          datasourceUid: undefined,
          expr: match?.[1] ?? `unsupported variable query: ${variableQuery(variable)}`,
          variables: defaultVariableValues(dashboard),
        };
      }),
  );
}

/** Grafana's built-in interval variables, at values that suit a 15 s scrape interval. */
export const BUILTIN_VARIABLES: Readonly<Record<string, string>> = {
  __rate_interval: '1m',
  __interval: '30s',
  __interval_ms: '30000',
  __range: '1h',
  __range_s: '3600',
  __range_ms: '3600000',
};

/**
 * Replaces `$name`, `${name}`, `${name:format}` and `[[name]]` the way Grafana does before sending the
 * query. An unknown variable is an error, so a misspelled one fails here rather than in the browser.
 * `$1`-style references (label_replace) are left alone.
 */
export function substituteVariables(expr: string, values: Readonly<Record<string, string>>): string {
  const all = { ...BUILTIN_VARIABLES, ...values };
  return expr.replace(
    /\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$([A-Za-z_]\w*)/g,
    (whole, braced?: string, bracketed?: string, plain?: string) => {
      const name = (braced ?? bracketed ?? plain) as string;
      const value = all[name];
      if (value === undefined) throw new Error(`unknown Grafana variable ${whole} in: ${expr}`);
      return value;
    },
  );
}

/** The query as Prometheus receives it when the dashboard opens with its default selection (overrides win). */
export const renderQuery = (query: PanelQuery, overrides: Readonly<Record<string, string>> = {}): string =>
  substituteVariables(query.expr, { ...query.variables, ...overrides });
