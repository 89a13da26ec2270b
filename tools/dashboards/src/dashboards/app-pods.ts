import { newDashboard, withSection } from '../dashboard';
import { row, timeseries } from '../panels';
import { rate, sumBy } from '../promql';
import { labelVariable } from '../variables';

const NAMESPACE = 'namespace="$namespace"';
/** cAdvisor also reports the pod's cgroup (container="") and its pause container: not ours. */
const CONTAINERS = [NAMESPACE, 'container!=""', 'container!="POD"'];
const limits = (resource: string) =>
  `kube_pod_container_resource_limits{${NAMESPACE}, resource="${resource}"}`;
const WORKING_SET = sumBy(['pod'], `container_memory_working_set_bytes{${CONTAINERS.join(', ')}}`);

/** CPU, memory, Node.js runtime, network and restarts of the pods in one namespace. */
export function appPodsDashboard() {
  const dashboard = newDashboard({
    uid: 'learnathon-pods',
    title: 'App pod resources',
    tags: ['pods'],
  }).withVariable(
    labelVariable({
      name: 'namespace',
      label: 'Namespace',
      selector: 'kube_pod_info',
      labelName: 'namespace',
      current: 'learnathon',
    }),
  );
  withSection(dashboard, {
    row: row('CPU (cAdvisor)'),
    panels: [
      timeseries({
        title: 'CPU used by pod',
        unit: 'cores',
        queries: [
          { expr: sumBy(['pod'], rate('container_cpu_usage_seconds_total', CONTAINERS)), legend: '{{pod}}' },
        ],
      }),
      timeseries({
        title: 'CPU limit by pod',
        unit: 'cores',
        queries: [
          { expr: sumBy(['pod'], limits('cpu')), legend: '{{pod}} limit' },
          {
            expr: sumBy(['pod'], `kube_pod_container_resource_requests{${NAMESPACE}, resource="cpu"}`),
            legend: '{{pod}} request',
          },
        ],
      }),
      timeseries({
        title: 'CPU throttled periods by pod',
        unit: 'percentunit',
        description: 'Share of CFS periods in which the pod hit its CPU limit.',
        queries: [
          {
            expr: `${sumBy(['pod'], rate('container_cpu_cfs_throttled_periods_total', CONTAINERS))} / ${sumBy(['pod'], rate('container_cpu_cfs_periods_total', CONTAINERS))}`,
            legend: '{{pod}}',
          },
        ],
      }),
    ],
  });
  withSection(dashboard, {
    row: row('Memory (cAdvisor)'),
    panels: [
      timeseries({
        title: 'Memory working set by pod',
        unit: 'bytes',
        queries: [{ expr: WORKING_SET, legend: '{{pod}}' }],
      }),
      timeseries({
        title: 'Memory working set / limit by pod',
        unit: 'percentunit',
        description: 'The kernel OOM-kills the container when this reaches 100%.',
        queries: [{ expr: `${WORKING_SET} / ${sumBy(['pod'], limits('memory'))}`, legend: '{{pod}}' }],
      }),
      timeseries({
        title: 'Node.js heap used by pod',
        unit: 'bytes',
        queries: [{ expr: sumBy(['pod'], `nodejs_heap_size_used_bytes{${NAMESPACE}}`), legend: '{{pod}}' }],
      }),
      timeseries({
        title: 'Event loop lag p99 by pod',
        unit: 's',
        queries: [
          { expr: `max by (pod) (nodejs_eventloop_lag_p99_seconds{${NAMESPACE}})`, legend: '{{pod}}' },
        ],
      }),
    ],
  });
  return withSection(dashboard, {
    row: row('Network and restarts'),
    panels: [
      timeseries({
        title: 'Network received by pod',
        unit: 'Bps',
        queries: [
          {
            expr: sumBy(['pod'], rate('container_network_receive_bytes_total', [NAMESPACE])),
            legend: '{{pod}}',
          },
        ],
      }),
      timeseries({
        title: 'Network sent by pod',
        unit: 'Bps',
        queries: [
          {
            expr: sumBy(['pod'], rate('container_network_transmit_bytes_total', [NAMESPACE])),
            legend: '{{pod}}',
          },
        ],
      }),
      timeseries({
        title: 'Container restarts by pod',
        unit: 'short',
        queries: [
          {
            expr: sumBy(['pod'], `kube_pod_container_status_restarts_total{${NAMESPACE}}`),
            legend: '{{pod}}',
          },
        ],
      }),
    ],
  });
}
