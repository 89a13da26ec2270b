import { newDashboard, withSection } from '../dashboard';
import { row, timeseries } from '../panels';
import { rate, sumBy } from '../promql';

/** Pseudo and container filesystems would show as full disks that nobody can fill. */
const REAL_FILESYSTEMS = 'fstype!~"tmpfs|overlay|squashfs"';
/** Loopback and pod veths count traffic twice. */
const EXTERNAL_DEVICES = ['device!~"lo|veth.*"'];

/** Nodes from node-exporter, workloads from kube-state-metrics, and Prometheus's own targets. */
export function clusterNodesDashboard() {
  const dashboard = newDashboard({ uid: 'learnathon-cluster', title: 'Cluster & nodes', tags: ['cluster'] });
  withSection(dashboard, {
    row: row('Nodes (node-exporter)'),
    panels: [
      timeseries({
        title: 'CPU busy by node',
        unit: 'percentunit',
        queries: [
          {
            expr: `1 - avg by (instance) (${rate('node_cpu_seconds_total', ['mode="idle"'])})`,
            legend: '{{instance}}',
          },
        ],
      }),
      timeseries({
        title: 'Memory used by node',
        unit: 'percentunit',
        queries: [
          { expr: '1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes', legend: '{{instance}}' },
        ],
      }),
      timeseries({
        title: 'Load average (1m) by node',
        unit: 'short',
        queries: [{ expr: 'node_load1', legend: '{{instance}}' }],
      }),
      timeseries({
        title: 'Disk used by node and mount',
        unit: 'percentunit',
        queries: [
          {
            expr: `1 - node_filesystem_avail_bytes{${REAL_FILESYSTEMS}} / node_filesystem_size_bytes{${REAL_FILESYSTEMS}}`,
            legend: '{{instance}} {{mountpoint}}',
          },
        ],
      }),
      timeseries({
        title: 'Network received by node',
        unit: 'Bps',
        queries: [
          {
            expr: sumBy(['instance'], rate('node_network_receive_bytes_total', EXTERNAL_DEVICES)),
            legend: '{{instance}}',
          },
        ],
      }),
      timeseries({
        title: 'Network sent by node',
        unit: 'Bps',
        queries: [
          {
            expr: sumBy(['instance'], rate('node_network_transmit_bytes_total', EXTERNAL_DEVICES)),
            legend: '{{instance}}',
          },
        ],
      }),
    ],
  });
  return withSection(dashboard, {
    row: row('Workloads (kube-state-metrics)'),
    panels: [
      timeseries({
        title: 'Running pods by namespace',
        unit: 'short',
        queries: [
          { expr: sumBy(['namespace'], 'kube_pod_status_phase{phase="Running"}'), legend: '{{namespace}}' },
        ],
      }),
      timeseries({
        title: 'Deployment replicas available / desired',
        unit: 'percentunit',
        queries: [
          {
            expr: `${sumBy(['namespace', 'deployment'], 'kube_deployment_status_replicas_available')} / ${sumBy(['namespace', 'deployment'], 'kube_deployment_spec_replicas')}`,
            legend: '{{namespace}}/{{deployment}}',
          },
        ],
      }),
      timeseries({
        title: 'Container restarts (1h)',
        unit: 'short',
        queries: [
          {
            expr: sumBy(['namespace', 'pod'], 'increase(kube_pod_container_status_restarts_total[1h])'),
            legend: '{{namespace}}/{{pod}}',
          },
        ],
      }),
      timeseries({
        title: 'Scrape targets up by job',
        unit: 'short',
        queries: [
          { expr: sumBy(['job'], 'up'), legend: '{{job}} up' },
          { expr: 'count by (job) (up)', legend: '{{job}} total' },
        ],
      }),
    ],
  });
}
