import type { Bootstrap } from './generated/envoy/config/bootstrap/v3/Bootstrap';
import {
  envoyAdminCluster,
  jaegerCluster,
  localAppCluster,
  upstreamCluster,
  type ClusterJson,
} from './clusters';
import { httpListener, type ListenerJson } from './listeners';
import {
  ANY_ADDRESS,
  ENVOY_ADMIN_PORT,
  ENVOY_STATS_PORT,
  INBOUND_PORTS,
  LOOPBACK,
  OUTBOUND_PORTS,
  serviceHost,
  type MeshService,
} from './ports';
import type { EnvoyJson } from './proto-json';
import {
  inboundRouteConfig,
  outboundRouteConfig,
  pingerRouteConfig,
  statsRouteConfig,
  type OutboundPolicy,
  type PingerBackend,
  type RouteConfigJson,
} from './routes';

export type BootstrapJson = EnvoyJson<Bootstrap>;

/** The sidecars of the mesh: one per Deployment (each pinger version has its own). */
export type SidecarName = 'frontend' | 'details' | PingerBackend['cluster'];
export const SIDECARS: readonly SidecarName[] = ['frontend', 'pinger-v1', 'pinger-v2', 'details'];

export interface SidecarOptions {
  /** Report Envoy's spans to Jaeger over OTLP (overlays with tracing). Default off. */
  tracing?: boolean;
  /** Frontend only: the pinger versions and their weights. Default: all traffic to pinger-v1. */
  pingerSplit?: readonly PingerBackend[];
  /** Frontend only: make the split's weights live-adjustable through Envoy's runtime. */
  runtimeKeyPrefix?: string;
}

/**
 * Outbound deadlines, inside the frontend's own UPSTREAM_TIMEOUT_MS (3 s) so Envoy's retries
 * fit before the app gives up. details' lookup is a POST (never retried) of up to 5 s of its own.
 */
export const OUTBOUND_POLICIES: Readonly<Record<keyof typeof OUTBOUND_PORTS, OutboundPolicy>> = {
  pinger: { timeoutMs: 2500, perTryTimeoutMs: 1000, retries: 2 },
  details: { timeoutMs: 3000, perTryTimeoutMs: 3000, retries: 1 },
};

/**
 * The options of the committed overlay configs: the mesh overlays sit on the monitoring overlay,
 * which has Jaeger. Render with these (plus a split) to get the committed bytes.
 */
export const OVERLAY_OPTIONS: Readonly<SidecarOptions> = { tracing: true };

export const ALL_TO_PINGER_V1: readonly PingerBackend[] = [{ cluster: 'pinger-v1', weight: 100 }];

/** The frontend's split with `percent` of the pinger traffic on v2 (the canary overlays). */
export function canarySplit(percent: number): PingerBackend[] {
  return [
    { cluster: 'pinger-v1', weight: 100 - percent },
    { cluster: 'pinger-v2', weight: percent },
  ];
}

const PINGER_CLUSTER = /^pinger-v[0-9]+$/;
const RUNTIME_KEY = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** The service a sidecar fronts: `pinger-v2` → `pinger`. */
export function serviceOf(name: SidecarName): MeshService {
  if (name === 'frontend' || name === 'details') return name;
  if (PINGER_CLUSTER.test(name)) return 'pinger';
  throw new Error(`unknown sidecar '${String(name)}': expected frontend, details or pinger-vN`);
}

function checkedSplit(split: readonly PingerBackend[]): PingerBackend[] {
  if (split.length === 0) throw new Error('pingerSplit must name at least one pinger version');
  for (const { cluster, weight } of split) {
    if (!PINGER_CLUSTER.test(cluster))
      throw new Error(`pingerSplit: '${cluster}' is not a pinger-vN cluster`);
    if (!Number.isInteger(weight) || weight < 0) {
      throw new Error(`pingerSplit: weight of ${cluster} must be a non-negative integer, got ${weight}`);
    }
  }
  const names = split.map(({ cluster }) => cluster);
  const repeated = names.find((cluster, index) => names.indexOf(cluster) !== index);
  if (repeated) throw new Error(`pingerSplit names ${repeated} twice`);
  if (split.reduce((sum, { weight }) => sum + weight, 0) === 0)
    throw new Error('pingerSplit weights sum to 0');
  // Sorted by version so the same weights always render the same bytes.
  const version = (cluster: string) => Number(cluster.slice('pinger-v'.length));
  return [...split].sort((a, b) => version(a.cluster) - version(b.cluster));
}

function inboundListener(service: MeshService, tracingServiceName: string | undefined): ListenerJson {
  return httpListener({
    name: 'inbound',
    address: ANY_ADDRESS,
    port: INBOUND_PORTS[service],
    direction: 'INBOUND',
    statPrefix: 'inbound',
    routeConfig: inboundRouteConfig(),
    accessLog: true,
    tracingServiceName,
  });
}

function statsListener(): ListenerJson {
  return httpListener({
    name: 'envoy-stats',
    address: ANY_ADDRESS,
    port: ENVOY_STATS_PORT,
    direction: 'INBOUND',
    statPrefix: 'envoy_stats',
    routeConfig: statsRouteConfig(),
    accessLog: false,
  });
}

function frontendOutbound(options: SidecarOptions, tracingServiceName: string | undefined) {
  const split = checkedSplit(options.pingerSplit ?? ALL_TO_PINGER_V1);
  const outbound = (upstream: keyof typeof OUTBOUND_PORTS, routeConfig: RouteConfigJson) =>
    httpListener({
      name: `outbound-${upstream}`,
      address: LOOPBACK,
      port: OUTBOUND_PORTS[upstream],
      direction: 'OUTBOUND',
      statPrefix: `outbound_${upstream}`,
      routeConfig,
      accessLog: true,
      tracingServiceName,
    });
  const listeners = [
    outbound('pinger', pingerRouteConfig(split, OUTBOUND_POLICIES.pinger, options.runtimeKeyPrefix)),
    outbound('details', outboundRouteConfig('details', OUTBOUND_POLICIES.details)),
  ];
  const clusters = [
    ...split.map(({ cluster }) =>
      upstreamCluster({ name: cluster, host: serviceHost(`${cluster}-service`), port: INBOUND_PORTS.pinger }),
    ),
    upstreamCluster({ name: 'details', host: serviceHost('details-service'), port: INBOUND_PORTS.details }),
  ];
  return { listeners, clusters };
}

/** The Envoy v3 bootstrap of one sidecar, in the proto3 JSON mapping Envoy reads. */
export function buildSidecarConfig(name: SidecarName, options: SidecarOptions = {}): BootstrapJson {
  const service = serviceOf(name);
  if (
    service !== 'frontend' &&
    (options.pingerSplit !== undefined || options.runtimeKeyPrefix !== undefined)
  ) {
    throw new Error(
      `pingerSplit and runtimeKeyPrefix are frontend options; sidecar '${name}' calls no pinger`,
    );
  }
  if (options.runtimeKeyPrefix !== undefined && !RUNTIME_KEY.test(options.runtimeKeyPrefix)) {
    throw new Error(
      `runtimeKeyPrefix must be a dotted runtime key such as routing.pinger, got '${options.runtimeKeyPrefix}'`,
    );
  }
  const tracingServiceName = options.tracing ? `${name}-sidecar` : undefined;
  const outbound =
    service === 'frontend' ? frontendOutbound(options, tracingServiceName) : { listeners: [], clusters: [] };
  const clusters: ClusterJson[] = [
    localAppCluster(),
    ...outbound.clusters,
    envoyAdminCluster(),
    ...(options.tracing ? [jaegerCluster()] : []),
  ];
  return {
    node: { id: `${name}-sidecar`, cluster: name },
    admin: { address: { socket_address: { address: LOOPBACK, port_value: ENVOY_ADMIN_PORT } } },
    static_resources: {
      listeners: [inboundListener(service, tracingServiceName), ...outbound.listeners, statsListener()],
      clusters,
    },
    ...(options.runtimeKeyPrefix === undefined
      ? {}
      : { layered_runtime: { layers: [{ name: 'admin', admin_layer: {} }] } }),
  };
}

/**
 * The sidecar's envoy.json: stable formatting (two-space JSON, trailing newline) so the same
 * options always give the same bytes, and the same sha256 the supervisor reports.
 */
export function renderSidecarConfig(name: SidecarName, options: SidecarOptions = {}): string {
  return `${JSON.stringify(buildSidecarConfig(name, options), null, 2)}\n`;
}
