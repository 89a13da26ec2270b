import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { renderDashboard } from './dashboard';
import { appPodsDashboard } from './dashboards/app-pods';
import { canaryDashboard } from './dashboards/canary';
import { clusterNodesDashboard } from './dashboards/cluster-nodes';
import { meshTrafficDashboard } from './dashboards/mesh-traffic';
import { redDashboard } from './dashboards/red';

export interface DashboardOutput {
  /** Where the JSON is committed, relative to the workspace root: the component that provisions it. */
  file: string;
  /** The TypeScript that builds it, named in the file's generated note. */
  source: string;
  build(): Dashboard;
}

const GRAFANA_DASHBOARDS = 'k8s/components/grafana/dashboards';
const SOURCES = 'tools/dashboards/src/dashboards';

export const DASHBOARD_OUTPUTS: readonly DashboardOutput[] = [
  {
    file: `${GRAFANA_DASHBOARDS}/red.json`,
    source: `${SOURCES}/red.ts`,
    build: () => redDashboard().build(),
  },
  {
    file: `${GRAFANA_DASHBOARDS}/app-pods.json`,
    source: `${SOURCES}/app-pods.ts`,
    build: () => appPodsDashboard().build(),
  },
  {
    file: `${GRAFANA_DASHBOARDS}/cluster-nodes.json`,
    source: `${SOURCES}/cluster-nodes.ts`,
    build: () => clusterNodesDashboard().build(),
  },
  {
    file: 'k8s/components/mesh/dashboards/mesh-traffic.json',
    source: `${SOURCES}/mesh-traffic.ts`,
    build: () => meshTrafficDashboard().build(),
  },
  {
    file: 'k8s/components/pinger-v2/dashboards/canary.json',
    source: `${SOURCES}/canary.ts`,
    build: () => canaryDashboard().build(),
  },
];

/** The exact text committed for one dashboard. */
export const renderOutput = (output: DashboardOutput): string =>
  renderDashboard(output.build(), output.source);
