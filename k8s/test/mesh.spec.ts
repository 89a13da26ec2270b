import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  APP_PORT,
  CONFIG_KEY,
  ENVOY_STATS_PORT,
  INBOUND_PORTS,
  LOOPBACK,
  OUTBOUND_PORTS,
  PINGER_VERSION_HEADER,
  PORT_NAMES,
  SIDECAR_STATUS_PORT,
  validateEnvoyConfig,
} from '@learnathon/mesh';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { describeObject, K8S_ROOT, listOverlays, renderOverlay, type K8sObject } from './manifests';
import {
  appContainerOf,
  appPodsOf,
  containerPortNumbers,
  ENVOY_CONFIG_DIR,
  envoyConfigOf,
  envoyJsonOf,
  MESH_OVERLAYS,
  serviceTargetPortsOf,
  sidecarConfigMap,
  sidecarOf,
} from './mesh';
import {
  envValue,
  isNativeSidecar,
  podTemplates,
  services,
  type Container,
  type PodTemplate,
} from './workloads';

/**
 * The mesh overlays (k8s/components/mesh, k8s/components/pinger-v2, k8s/overlays/{mesh,canary-*}):
 * the sidecar's wiring, every Envoy config against @learnathon/mesh's validator with the pod's real
 * ports, the canary splits, and that the four overlays differ only where they should.
 */

const SIDECAR_IMAGE = 'learnathon/envoy-sidecar:dev';
const CANARY_PERCENT = /^canary-(\d+)$/;

const where = (pod: PodTemplate, container?: Container) =>
  `${describeObject(pod.owner)}${container ? ` container ${container.name}` : ''}`;
const inboundPortOf = (pod: PodTemplate) => INBOUND_PORTS[pod.labels['app'] as keyof typeof INBOUND_PORTS];
const seconds = (container: Container | undefined, name: string) =>
  Number(container ? envValue(container, name) : undefined);

interface WeightedCluster {
  name: string;
  weight: number;
}
interface Route {
  match: { prefix?: string; headers?: { name: string; string_match?: { exact?: string } }[] };
  route: { cluster?: string; weighted_clusters?: { clusters: WeightedCluster[] } };
}

/** The routes of the frontend sidecar's outbound pinger listener. */
function pingerRoutes(objects: readonly K8sObject[]): Route[] {
  const frontend = appPodsOf(objects).find((pod) => pod.owner.metadata.name === 'frontend') as PodTemplate;
  const config = envoyConfigOf(objects, frontend) as unknown as {
    static_resources: {
      listeners: {
        name: string;
        filter_chains: {
          filters: { typed_config: { route_config: { virtual_hosts: { routes: Route[] }[] } } }[];
        }[];
      }[];
    };
  };
  const listener = config.static_resources.listeners.find(
    (candidate) => candidate.name === 'outbound-pinger',
  );
  return (listener?.filter_chains ?? []).flatMap((chain) =>
    chain.filters.flatMap((filter) =>
      filter.typed_config.route_config.virtual_hosts.flatMap((host) => host.routes),
    ),
  );
}

const splitOf = (objects: readonly K8sObject[]): Record<string, number> =>
  Object.fromEntries(
    pingerRoutes(objects)
      .flatMap((route) => route.route.weighted_clusters?.clusters ?? [])
      .map((cluster) => [cluster.name, cluster.weight]),
  );

describe('the mesh overlays', () => {
  it('are every overlay built on overlays/mesh; the others have no sidecar', () => {
    const withSidecars = listOverlays().filter((overlay) =>
      appPodsOf(renderOverlay(overlay)).some((pod) => sidecarOf(pod) !== undefined),
    );
    expect(withSidecars.sort()).toEqual([...MESH_OVERLAYS].sort());
  });
});

describe.each(MESH_OVERLAYS)('overlay %s', (overlay) => {
  const objects = renderOverlay(overlay);
  const appPods = appPodsOf(objects);

  it('runs pinger v1 in every mesh overlay (an instant rollback), and v2 exactly in the canary ones', () => {
    const names = appPods.map((pod) => pod.owner.metadata.name).sort();
    const canary = CANARY_PERCENT.test(overlay);
    expect(names).toEqual(
      canary ? ['details', 'frontend', 'pinger-v1', 'pinger-v2'] : ['details', 'frontend', 'pinger-v1'],
    );
    const v1 = appPods.find((pod) => pod.owner.metadata.name === 'pinger-v1');
    expect((v1?.owner.spec as { replicas?: number }).replicas).toBe(1);
  });

  it('gives every app pod one Envoy native sidecar: the sidecar image, never pulled, restricted, sized for --concurrency 2', () => {
    const problems = appPods.flatMap((pod) => {
      const sidecar = sidecarOf(pod);
      if (!sidecar)
        return [`${where(pod)} has no native sidecar (init container "envoy", restartPolicy Always)`];
      const app = appContainerOf(pod);
      const security = sidecar.securityContext ?? {};
      return [
        sidecar.image === SIDECAR_IMAGE ? '' : `image ${sidecar.image} is not ${SIDECAR_IMAGE}`,
        sidecar.imagePullPolicy === app.imagePullPolicy
          ? ''
          : `imagePullPolicy ${sidecar.imagePullPolicy} differs from the app's ${app.imagePullPolicy}`,
        (pod.spec.initContainers ?? []).filter(isNativeSidecar).length === 1
          ? ''
          : 'more than one native sidecar',
        security.runAsUser !== undefined && security.runAsUser >= 10000
          ? ''
          : 'no explicit runAsUser >= 10000',
        security.runAsNonRoot === true ? '' : 'no runAsNonRoot',
        envValue(sidecar, 'ENVOY_CONCURRENCY') === '2' ? '' : 'ENVOY_CONCURRENCY is not 2',
        sidecar.resources?.requests?.['cpu'] && sidecar.resources?.limits?.['memory']
          ? ''
          : 'no requests/limits',
      ]
        .filter(Boolean)
        .map((problem) => `${where(pod, sidecar)}: ${problem}`);
    });
    expect(appPods.length).toBeGreaterThanOrEqual(3);
    expect(problems).toEqual([]);
  });

  it("probes the sidecar on its own ports: startup and liveness on the supervisor, readiness on Envoy's /ready", () => {
    const probes = appPods.map((pod) => {
      const sidecar = sidecarOf(pod);
      return {
        startup: sidecar?.startupProbe?.httpGet,
        readiness: sidecar?.readinessProbe?.httpGet,
        liveness: sidecar?.livenessProbe?.httpGet,
      };
    });
    for (const probe of probes)
      expect(probe).toEqual({
        startup: { path: '/readyz', port: PORT_NAMES.sidecarStatus },
        readiness: { path: '/ready', port: PORT_NAMES.envoyStats },
        liveness: { path: '/healthz', port: PORT_NAMES.sidecarStatus },
      });
  });

  it('declares the port plan on the sidecar: inbound (http), Envoy stats, supervisor; the app declares none', () => {
    const problems = appPods.flatMap((pod) => {
      const ports = Object.fromEntries(
        (sidecarOf(pod)?.ports ?? []).map((port) => [port.name, port.containerPort]),
      );
      const expected = {
        [PORT_NAMES.inbound]: inboundPortOf(pod),
        [PORT_NAMES.envoyStats]: ENVOY_STATS_PORT,
        [PORT_NAMES.sidecarStatus]: SIDECAR_STATUS_PORT,
      };
      return [
        Object.entries(expected).every(([name, port]) => ports[name] === port)
          ? ''
          : `${where(pod)} sidecar ports ${JSON.stringify(ports)} are not ${JSON.stringify(expected)}`,
        containerPortNumbers(appContainerOf(pod)).length === 0
          ? ''
          : `${where(pod)} app declares ports, but listens on loopback only`,
      ].filter(Boolean);
    });
    expect(problems).toEqual([]);
  });

  it('runs the app on 127.0.0.1 behind Envoy, probed through Envoy by port number, as Envoy routes it', () => {
    const problems = appPods.flatMap((pod) => {
      const app = appContainerOf(pod);
      const inbound = inboundPortOf(pod);
      const localApp = envoyConfigOf(objects, pod).static_resources.clusters.find(
        (cluster) => cluster.name === 'local-app',
      );
      const appEndpoint =
        localApp?.load_assignment?.endpoints[0]?.lb_endpoints[0]?.endpoint.address.socket_address;
      return [
        envValue(app, 'HOST') === LOOPBACK ? '' : `HOST is ${envValue(app, 'HOST')}, not ${LOOPBACK}`,
        envValue(app, 'PORT') === String(APP_PORT) ? '' : `PORT is ${envValue(app, 'PORT')}, not ${APP_PORT}`,
        appEndpoint?.address === envValue(app, 'HOST') &&
        String(appEndpoint?.port_value) === envValue(app, 'PORT')
          ? ''
          : `Envoy's local-app cluster is ${JSON.stringify(appEndpoint)}, not the app's HOST:PORT`,
        ...(['startupProbe', 'readinessProbe', 'livenessProbe'] as const).map((kind) =>
          app[kind]?.httpGet?.port === inbound
            ? ''
            : `${kind} port ${app[kind]?.httpGet?.port} is not ${inbound}`,
        ),
      ]
        .filter(Boolean)
        .map((problem) => `${where(pod, app)}: ${problem}`);
    });
    expect(problems).toEqual([]);
  });

  it("points the frontend's PINGER_BASE_URL and DETAILS_BASE_URL at its own sidecar's loopback listeners", () => {
    const frontend = appPods.find((pod) => pod.owner.metadata.name === 'frontend') as PodTemplate;
    const app = appContainerOf(frontend);
    const loopbackListeners = envoyConfigOf(objects, frontend)
      .static_resources.listeners.map((listener) => listener.address.socket_address)
      .filter((address) => address.address === LOOPBACK)
      .map((address) => `http://${address.address}:${address.port_value}`);
    expect([envValue(app, 'PINGER_BASE_URL'), envValue(app, 'DETAILS_BASE_URL')]).toEqual([
      `http://${LOOPBACK}:${OUTBOUND_PORTS.pinger}`,
      `http://${LOOPBACK}:${OUTBOUND_PORTS.details}`,
    ]);
    expect(loopbackListeners).toEqual(
      expect.arrayContaining([envValue(app, 'PINGER_BASE_URL'), envValue(app, 'DETAILS_BASE_URL')]),
    );
  });

  it("targets every app Service at its sidecar's inbound port by number", () => {
    const problems = appPods.flatMap((pod) => {
      const targets = serviceTargetPortsOf(objects, pod);
      return targets.length > 0 && targets.every((port) => port === inboundPortOf(pod))
        ? []
        : [`${where(pod)}: Services target ${JSON.stringify(targets)}, not ${inboundPortOf(pod)}`];
    });
    expect(problems).toEqual([]);
  });

  it('mounts each Envoy ConfigMap as a directory (no subPath) at /etc/envoy, under its stable name', () => {
    const problems = appPods.flatMap((pod) => {
      const sidecar = sidecarOf(pod);
      const mounts = (sidecar?.volumeMounts ?? []).filter((mount) =>
        mount.mountPath.startsWith(ENVOY_CONFIG_DIR),
      );
      const configMap = sidecarConfigMap(objects, pod);
      const configPath = sidecar ? envValue(sidecar, 'ENVOY_CONFIG') : undefined;
      return [
        mounts.length === 1 && mounts[0]?.mountPath === ENVOY_CONFIG_DIR && !mounts[0]?.subPath
          ? ''
          : `mounts ${JSON.stringify(mounts)}`,
        configMap.metadata.name === `envoy-${pod.owner.metadata.name}`
          ? ''
          : `ConfigMap ${configMap.metadata.name}`,
        configPath === undefined || configPath === `${ENVOY_CONFIG_DIR}/${CONFIG_KEY}`
          ? ''
          : `ENVOY_CONFIG ${configPath}`,
      ]
        .filter(Boolean)
        .map((problem) => `${where(pod, sidecar)}: ${problem}`);
    });
    expect(problems).toEqual([]);
  });

  it("passes every Envoy config through @learnathon/mesh's validator with the pod's real ports", () => {
    const reports = appPods.map((pod) => {
      const result = validateEnvoyConfig(envoyJsonOf(objects, pod), {
        containerPorts: containerPortNumbers(sidecarOf(pod)),
        serviceTargetPorts: serviceTargetPortsOf(objects, pod).map(Number),
      });
      return { pod: pod.owner.metadata.name, errors: result.errors };
    });
    expect(reports.length).toBeGreaterThanOrEqual(3);
    expect(reports.filter((report) => report.errors.length > 0)).toEqual([]);
  });

  it("gives the pod the app's shutdown and then the sidecar's within the grace period", () => {
    const problems = appPods.flatMap((pod) => {
      const app = appContainerOf(pod);
      const sidecar = sidecarOf(pod);
      const appSeconds = (seconds(app, 'SHUTDOWN_DELAY_MS') + 2 * seconds(app, 'SHUTDOWN_TIMEOUT_MS')) / 1000;
      const sidecarSeconds = seconds(sidecar, 'SIDECAR_SHUTDOWN_TIMEOUT_S');
      const drain = seconds(sidecar, 'ENVOY_DRAIN_TIME_S');
      const grace = pod.spec.terminationGracePeriodSeconds ?? 30;
      return [
        grace > appSeconds + sidecarSeconds
          ? ''
          : `grace ${grace} s <= app ${appSeconds} s + sidecar ${sidecarSeconds} s`,
        drain < sidecarSeconds && drain < seconds(sidecar, 'ENVOY_PARENT_SHUTDOWN_TIME_S')
          ? ''
          : `ENVOY_DRAIN_TIME_S ${drain} must be below the shutdown and parent-shutdown times`,
      ]
        .filter(Boolean)
        .map((problem) => `${where(pod)}: ${problem}`);
    });
    expect(problems).toEqual([]);
  });

  it('lets Prometheus reach every scraped sidecar port, the API server the supervisor, and Envoy send its spans to Jaeger', () => {
    const policies = objects.filter(
      (object): object is K8sObject & INetworkPolicy => object.kind === 'NetworkPolicy',
    );
    const portsOf = (name: string, namespace: string, direction: 'ingress' | 'egress') => {
      const policy = policies.find(
        (candidate) => candidate.metadata.name === name && candidate.metadata.namespace === namespace,
      );
      return (policy?.spec?.[direction] ?? []).flatMap((rule) => (rule.ports ?? []).map((port) => port.port));
    };
    const scraped = [...new Set(appPods.flatMap((pod) => containerPortNumbers(sidecarOf(pod))))];
    expect(portsOf('allow-prometheus-scrape', 'learnathon', 'ingress')).toEqual(
      expect.arrayContaining(scraped),
    );
    expect(portsOf('prometheus', 'monitoring', 'egress')).toEqual(expect.arrayContaining(scraped));
    expect(portsOf('allow-otlp-to-jaeger', 'learnathon', 'egress')).toContain(4317);
    expect(portsOf('jaeger', 'monitoring', 'ingress')).toContain(4317);
    // The cutover tool reads each supervisor's /status through the API server's pod proxy.
    expect(portsOf('allow-sidecar-status-from-api-server', 'learnathon', 'ingress')).toEqual([
      SIDECAR_STATUS_PORT,
    ]);
  });

  it('provisions the Mesh traffic dashboard (and the Canary one with pinger v2) in Grafana, as committed', () => {
    const dashboards = objects.find(
      (object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith('grafana-dashboards-'),
    );
    const data = (dashboards?.data ?? {}) as Record<string, string>;
    const committed = (path: string) => readFileSync(join(K8S_ROOT, 'components', path), 'utf8');
    expect(data['mesh-traffic.json']).toBe(committed('mesh/dashboards/mesh-traffic.json'));
    if (CANARY_PERCENT.test(overlay))
      expect(data['canary.json']).toBe(committed('pinger-v2/dashboards/canary.json'));
    else expect(data['canary.json']).toBeUndefined();
    expect(data['red.json']).toBeDefined();
  });

  it('splits pinger traffic exactly as the overlay is named, after a route that pins v2 by header', () => {
    const percent = Number(CANARY_PERCENT.exec(overlay)?.[1] ?? 0);
    const expected =
      percent === 0 ? { 'pinger-v1': 100 } : { 'pinger-v1': 100 - percent, 'pinger-v2': percent };
    const routes = pingerRoutes(objects);
    const pinned = routes.findIndex((route) =>
      route.match.headers?.some(
        (header) => header.name === PINGER_VERSION_HEADER && header.string_match?.exact === 'v2',
      ),
    );
    const weighted = routes.findIndex((route) => route.route.weighted_clusters !== undefined);
    expect(splitOf(objects)).toEqual(expected);
    if (percent > 0) {
      expect(routes[pinned]?.route.cluster).toBe('pinger-v2');
      expect(pinned).toBeLessThan(weighted);
    }
  });
});

/** Every object by kind/namespace/name, hash suffixes dropped (generated ConfigMaps change name with content). */
const byIdentity = (objects: readonly K8sObject[]) =>
  new Map(
    objects.map((object) => [
      `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name.replace(/-[a-z0-9]{10}$/, '')}`,
      object,
    ]),
  );

/** Pod templates refer to generated ConfigMaps by their hashed name: compare without the hash. */
const withoutHashes = (object: K8sObject): unknown =>
  JSON.parse(JSON.stringify(object).replace(/"((?:grafana|prometheus)-[a-z-]+)-[a-z0-9]{10}"/g, '"$1"'));

const withoutWeights = (envoyJson: string) =>
  envoyJson.replace(/"name": "pinger-v\d",\s*"weight": \d+/g, '"name": "pinger-vN", "weight": N');

describe('the mesh overlay', () => {
  it('holds every object of the monitoring overlay, plus exactly the Envoy ConfigMaps and the sidecar-status policy', () => {
    const monitoring = byIdentity(renderOverlay('monitoring'));
    const mesh = byIdentity(renderOverlay('mesh'));
    expect([...monitoring.keys()].filter((key) => !mesh.has(key))).toEqual([]);
    expect([...mesh.keys()].filter((key) => !monitoring.has(key)).sort()).toEqual([
      'ConfigMap learnathon/envoy-details',
      'ConfigMap learnathon/envoy-frontend',
      'ConfigMap learnathon/envoy-pinger-v1',
      'NetworkPolicy learnathon/allow-sidecar-status-from-api-server',
    ]);
  });
});

describe('the four mesh overlays differ only in the pinger-v2 parts and the weights', () => {
  const mesh = byIdentity(renderOverlay('mesh'));
  const canaries = MESH_OVERLAYS.filter((overlay) => CANARY_PERCENT.test(overlay));
  const PINGER_V2_PARTS = [
    'ConfigMap learnathon/envoy-pinger-v2',
    'Deployment learnathon/pinger-v2',
    'Service learnathon/pinger-v2-service',
  ];

  it.each(canaries)(
    '%s adds exactly pinger v2 and changes only the frontend split and the dashboards',
    (overlay) => {
      const canary = byIdentity(renderOverlay(overlay));
      const added = [...canary.keys()].filter((key) => !mesh.has(key)).sort();
      const removed = [...mesh.keys()].filter((key) => !canary.has(key));
      const changed = [...mesh.keys()]
        .filter((key) => canary.has(key))
        .filter(
          (key) =>
            JSON.stringify(withoutHashes(mesh.get(key) as K8sObject)) !==
            JSON.stringify(withoutHashes(canary.get(key) as K8sObject)),
        )
        .sort();
      expect(added).toEqual(PINGER_V2_PARTS);
      expect(removed).toEqual([]);
      expect(changed).toEqual([
        'ConfigMap learnathon/envoy-frontend',
        'ConfigMap monitoring/grafana-dashboards',
      ]);
      const frontendJson = (objects: Map<string, K8sObject>) =>
        (objects.get('ConfigMap learnathon/envoy-frontend')?.data as Record<string, string>)[CONFIG_KEY] ??
        '';
      // The mesh frontend sends everything to v1 (one weighted cluster): compare canaries with each other below.
      expect(frontendJson(canary)).not.toBe(frontendJson(mesh));
      const dashboards = (objects: Map<string, K8sObject>) =>
        Object.keys((objects.get('ConfigMap monitoring/grafana-dashboards')?.data ?? {}) as object).sort();
      expect(dashboards(canary)).toEqual([...dashboards(mesh), 'canary.json'].sort());
    },
  );

  it('renders the canary overlays identically but for the weights of the split', () => {
    const normalized = (overlay: string) =>
      renderOverlay(overlay).map((object) => {
        const data = object.data as Record<string, string> | undefined;
        const copy = withoutHashes(object) as K8sObject;
        if (data?.[CONFIG_KEY]) copy.data = { ...data, [CONFIG_KEY]: withoutWeights(data[CONFIG_KEY]) };
        return copy;
      });
    const [first, ...rest] = canaries.map(normalized);
    for (const other of rest) expect(other).toEqual(first);
    expect(canaries).toHaveLength(3);
  });

  it("runs pinger v2 as pinger v1's twin: the same pod template but for version, image and Envoy ConfigMap", () => {
    const objects = renderOverlay('canary-50');
    const template = (name: string) =>
      JSON.stringify(podTemplates(objects).find((pod) => pod.owner.metadata.name === name)?.owner.spec);
    const v1AsV2 = template('pinger-v1')
      .replaceAll('"version":"v1"', '"version":"v2"')
      .replaceAll('learnathon/pinger:v1', 'learnathon/pinger:v2')
      .replaceAll('{"name":"PINGER_VERSION","value":"v1"}', '{"name":"PINGER_VERSION","value":"v2"}')
      .replaceAll('"envoy-pinger-v1"', '"envoy-pinger-v2"');
    expect(JSON.parse(template('pinger-v2'))).toEqual(JSON.parse(v1AsV2));
    const service = (name: string) => services(objects).find((candidate) => candidate.metadata.name === name);
    expect(service('pinger-v2-service')?.spec?.ports).toEqual(service('pinger-v1-service')?.spec?.ports);
    expect(service('pinger-v2-service')?.spec?.selector).toEqual({ app: 'pinger', version: 'v2' });
  });
});
