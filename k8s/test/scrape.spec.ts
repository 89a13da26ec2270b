import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dump, load } from 'js-yaml';
import { waitFor } from '@learnathon/process';
import { startPrometheus, type RunningPrometheus } from '@learnathon/testing';
import { ENVOY_STATS_PORT, INBOUND_PORTS, PORT_NAMES, SIDECAR_STATUS_PORT } from '@learnathon/mesh';
import { listOverlays, renderOverlay, type K8sObject } from './manifests';
import { MESH_OVERLAYS } from './mesh';
import { allContainers, podTemplates, type PodTemplate } from './workloads';

/**
 * Which targets Prometheus scrapes in each overlay, worked out by a real Prometheus: the deployed
 * scrape config, with its Kubernetes pod discovery replaced by file_sd targets that carry the
 * `__meta_kubernetes_pod_*` labels Kubernetes discovery gives every container port of every pod
 * template (init containers included, as Prometheus does for native sidecars). Stands in for
 * Prometheus discovering the pods in kind; Debian's build has no Kubernetes discovery. The scrape
 * interval is an hour and the addresses are loopback ones, so nothing is scraped during the test.
 */

interface ScrapeJob {
  job_name: string;
  kubernetes_sd_configs?: { role: string }[];
  file_sd_configs?: { files: string[] }[];
  [field: string]: unknown;
}

interface ActiveTarget {
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
}

const sanitize = (name: string) => name.replace(/[^a-zA-Z0-9_]/g, '_');

/** What Kubernetes pod discovery yields for a pod of this template: one target per container port. */
function discoveredTargets(
  pod: PodTemplate,
  address: string,
): { targets: string[]; labels: Record<string, string> }[] {
  const podLabels: Record<string, string> = {
    __meta_kubernetes_namespace: pod.namespace,
    __meta_kubernetes_pod_name: `${pod.owner.metadata.name}-0`,
    __meta_kubernetes_pod_ip: address,
    __meta_kubernetes_pod_phase: 'Running',
    __meta_kubernetes_pod_node_name: 'learnathon-worker',
    ...Object.fromEntries(
      Object.entries(pod.labels).map(([key, value]) => [
        `__meta_kubernetes_pod_label_${sanitize(key)}`,
        value,
      ]),
    ),
    ...Object.fromEntries(
      Object.entries(pod.annotations).map(([key, value]) => [
        `__meta_kubernetes_pod_annotation_${sanitize(key)}`,
        value,
      ]),
    ),
  };
  const initContainers = new Set(pod.spec.initContainers ?? []);
  return allContainers(pod).flatMap((container) => {
    const containerLabels = {
      ...podLabels,
      __meta_kubernetes_pod_container_name: container.name,
      __meta_kubernetes_pod_container_init: String(initContainers.has(container)),
    };
    const ports = container.ports ?? [];
    if (ports.length === 0) return [{ targets: [address], labels: containerLabels }];
    return ports.map((port) => ({
      targets: [`${address}:${port.containerPort}`],
      labels: {
        ...containerLabels,
        __meta_kubernetes_pod_container_port_name: port.name ?? '',
        __meta_kubernetes_pod_container_port_number: String(port.containerPort),
        __meta_kubernetes_pod_container_port_protocol: port.protocol ?? 'TCP',
      },
    }));
  });
}

function prometheusConfigOf(objects: readonly K8sObject[]): { global?: object; scrape_configs: ScrapeJob[] } {
  const configMap = objects.find(
    (object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith('prometheus-config-'),
  );
  const text = (configMap?.data as Record<string, string> | undefined)?.['prometheus.yml'];
  if (!text) throw new Error('the overlay has no prometheus-config ConfigMap with prometheus.yml');
  return load(text) as { scrape_configs: ScrapeJob[] };
}

/** The deployed config with pod discovery from pods.json, node discovery dropped, scraped every `interval`. */
function standInConfig(objects: readonly K8sObject[], interval = '1h'): string {
  const config = prometheusConfigOf(objects);
  const podJobs = config.scrape_configs
    .filter((job) => job.kubernetes_sd_configs?.every((sd) => sd.role === 'pod'))
    .map(({ kubernetes_sd_configs: _pods, ...job }) => ({
      ...job,
      scrape_interval: interval,
      scrape_timeout: '1s',
      file_sd_configs: [{ files: ['pods.json'] }],
    }));
  return dump({ global: { scrape_interval: interval, scrape_timeout: '1s' }, scrape_configs: podJobs });
}

/** The active targets once discovery has reached the scrape manager (within its 5 s update cycle). */
async function activeTargets(prometheus: RunningPrometheus, expected: number): Promise<ActiveTarget[]> {
  return waitFor(
    async () => {
      const response = await fetch(`${prometheus.baseUrl}/api/v1/targets?state=active`);
      const body = (await response.json()) as { data: { activeTargets: ActiveTarget[] } };
      return body.data.activeTargets.length >= expected ? body.data.activeTargets : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 250, what: `${expected} active targets` },
  );
}

const summary = (target: ActiveTarget) =>
  `${target.scrapePool} ${target.labels['app'] ?? target.labels['job']}/${target.labels['container'] ?? '-'} ${new URL(target.scrapeUrl).port}${new URL(target.scrapeUrl).pathname}`;

describe.each(listOverlays())('Prometheus targets in overlay %s', (overlay) => {
  const objects = renderOverlay(overlay);
  const meshed = (MESH_OVERLAYS as readonly string[]).includes(overlay);
  const hasPrometheus = objects.some(
    (object) => object.kind === 'Deployment' && object.metadata.name === 'prometheus',
  );
  const appPods = podTemplates(objects).filter(
    (pod) => pod.namespace === 'learnathon' && pod.owner.kind === 'Deployment',
  );
  let prometheus: RunningPrometheus | undefined;
  let targets: ActiveTarget[] = [];

  beforeAll(async () => {
    if (!hasPrometheus) return;
    const discovered = podTemplates(objects).flatMap((pod, index) =>
      discoveredTargets(pod, `127.0.0.${index + 10}`),
    );
    prometheus = await startPrometheus({
      config: standInConfig(objects),
      files: { 'pods.json': JSON.stringify(discovered) },
    });
    targets = await activeTargets(prometheus, appPods.length * (meshed ? 3 : 1));
  });
  afterAll(async () => {
    await prometheus?.stop();
  });

  const appTargets = () => targets.filter((target) => target.labels['namespace'] === 'learnathon');

  if (!hasPrometheus) {
    it('has no Prometheus (nothing to scrape with)', () => {
      expect(overlay).toBe('base');
    });
    return;
  }

  if (meshed) {
    it('scrapes every app pod by container port name: the app through Envoy, Envoy stats, the supervisor', () => {
      const expected = appPods.flatMap((pod) => {
        const app = pod.labels['app'] as keyof typeof INBOUND_PORTS;
        return [
          `mesh-pods ${app}/envoy ${INBOUND_PORTS[app]}/metrics`,
          `mesh-pods ${app}/envoy ${ENVOY_STATS_PORT}/stats/prometheus`,
          `mesh-pods ${app}/envoy ${SIDECAR_STATUS_PORT}/metrics`,
        ];
      });
      expect(appTargets().map(summary).sort()).toEqual(expected.sort());
      expect(Object.values(PORT_NAMES).sort()).toEqual(['envoy-stats', 'http', 'sidecar-http']);
    });

    it('labels every mesh target with its pod, app and version, as the dashboards group by', () => {
      const unlabelled = appTargets().filter(
        (target) => !target.labels['pod'] || !target.labels['app'] || !target.labels['version'],
      );
      expect(appTargets().length).toBeGreaterThan(0);
      expect(unlabelled.map(summary)).toEqual([]);
      expect(new Set(appTargets().map((target) => target.labels['version']))).toEqual(
        new Set(appPods.map((pod) => pod.labels['version'])),
      );
    });
  } else {
    it('scrapes each app pod once, on its annotated app port, and the mesh job finds nothing', () => {
      const expected = appPods.map((pod) => {
        const app = pod.labels['app'] as keyof typeof INBOUND_PORTS;
        return `kubernetes-pods ${app}/- ${INBOUND_PORTS[app]}/metrics`;
      });
      expect(appTargets().map(summary).sort()).toEqual(expected.sort());
      expect(targets.filter((target) => target.scrapePool === 'mesh-pods')).toEqual([]);
    });
  }
});

describe('a sidecar supervisor scraped by the mesh-pods job', () => {
  // Stands in for the supervisor of pinger v2's sidecar: its /metrics on 127.0.0.1, labelled as the
  // real one labels them (service envoy-sidecar, its own version v1).
  const SUPERVISOR_METRICS =
    '# TYPE envoy_sidecar_restart_epoch gauge\nenvoy_sidecar_restart_epoch{service="envoy-sidecar",version="v1"} 0\n';
  let server: Server;
  let prometheus: RunningPrometheus | undefined;

  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(SUPERVISOR_METRICS);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const objects = renderOverlay('canary-50');
    const pingerV2 = podTemplates(objects).find(
      (pod) => pod.owner.metadata.name === 'pinger-v2',
    ) as PodTemplate;
    const supervisor = discoveredTargets(pingerV2, '127.0.0.1')
      .filter(
        (target) => target.labels['__meta_kubernetes_pod_container_port_name'] === PORT_NAMES.sidecarStatus,
      )
      .map((target) => ({ ...target, targets: [`127.0.0.1:${port}`] }));
    prometheus = await startPrometheus({
      config: standInConfig(objects, '1s'),
      files: { 'pods.json': JSON.stringify(supervisor) },
    });
  });
  afterAll(async () => {
    await prometheus?.stop();
    await new Promise((resolve) => server.close(resolve));
  });

  it("labels the supervisor's series with its pod's version (v2), not the supervisor's own", async () => {
    const running = prometheus as RunningPrometheus;
    const series = await waitFor(
      async () => (await running.query('envoy_sidecar_restart_epoch')).data?.result[0]?.metric,
      { timeoutMs: 30_000, intervalMs: 250, what: 'a scraped envoy_sidecar_restart_epoch' },
    );
    expect(series).toMatchObject({
      job: 'mesh-pods',
      app: 'pinger',
      version: 'v2',
      service: 'envoy-sidecar',
    });
    expect(Object.keys(series)).not.toContain('pod_version');
  });
});
