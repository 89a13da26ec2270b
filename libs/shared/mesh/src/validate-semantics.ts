import type { OpenTelemetryConfig } from './generated/envoy/config/trace/v3/OpenTelemetryConfig';
import type { HttpConnectionManagerJson } from './listeners';
import type { EnvoyJson } from './proto-json';
import type { BootstrapJson } from './sidecar-config';

/**
 * Checks a schema-valid bootstrap for mistakes the protos cannot express: routes to clusters that
 * don't exist, splits that send nothing anywhere, listeners that collide or that Kubernetes
 * doesn't route to, and admin or outbound listeners reachable from outside the pod.
 */
export interface DeploymentContext {
  /** Ports of the sidecar container: every listener not on loopback must be one of them. */
  containerPorts?: readonly number[];
  /** targetPorts of the Services in front of the pod: each must be a listener's port. */
  serviceTargetPorts?: readonly number[];
}

const HTTP_CONNECTION_MANAGER =
  'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
const OPEN_TELEMETRY = 'type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig';
const ROUTER = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router';

type Listener = NonNullable<NonNullable<BootstrapJson['static_resources']>['listeners']>[number];
type SocketAddress = NonNullable<NonNullable<Listener['address']>['socket_address']>;

/** An Any as the message it holds (the schema check has already matched its `@type`). */
type Unpacked<T> = T & { '@type'?: string };

export function isLoopback(address: string | null | undefined): boolean {
  return typeof address === 'string' && (/^127\.[0-9]+\.[0-9]+\.[0-9]+$/.test(address) || address === '::1');
}

function connectionManagers(
  listener: Listener,
  path: string,
): { path: string; hcm: HttpConnectionManagerJson }[] {
  return (listener.filter_chains ?? []).flatMap((chain, chainIndex) =>
    (chain.filters ?? []).flatMap((filter, filterIndex) => {
      const config = filter.typed_config as Unpacked<HttpConnectionManagerJson> | null | undefined;
      return config?.['@type'] === HTTP_CONNECTION_MANAGER
        ? [{ path: `${path}.filter_chains[${chainIndex}].filters[${filterIndex}].typed_config`, hcm: config }]
        : [];
    }),
  );
}

function routeErrors(hcm: HttpConnectionManagerJson, path: string, clusters: Set<string>): string[] {
  const errors: string[] = [];
  const needCluster = (name: string | null | undefined, where: string) => {
    if (typeof name === 'string' && !clusters.has(name))
      errors.push(`${where}: names cluster '${name}', which is not defined`);
  };
  (hcm.route_config?.virtual_hosts ?? []).forEach((host, hostIndex) =>
    (host.routes ?? []).forEach((route, routeIndex) => {
      const where = `${path}.route_config.virtual_hosts[${hostIndex}].routes[${routeIndex}].route`;
      needCluster(route.route?.cluster, `${where}.cluster`);
      const weighted = route.route?.weighted_clusters?.clusters;
      if (!weighted) return;
      weighted.forEach((entry, index) => {
        needCluster(entry.name, `${where}.weighted_clusters.clusters[${index}].name`);
        if ((entry.weight ?? 0) < 0)
          errors.push(`${where}.weighted_clusters.clusters[${index}].weight: must not be negative`);
      });
      const total = weighted.reduce((sum, entry) => sum + Math.max(entry.weight ?? 0, 0), 0);
      if (total <= 0)
        errors.push(`${where}.weighted_clusters: weights sum to ${total}; they must sum to more than 0`);
    }),
  );
  const tracer = hcm.tracing?.provider?.typed_config as
    Unpacked<EnvoyJson<OpenTelemetryConfig>> | null | undefined;
  if (tracer?.['@type'] === OPEN_TELEMETRY) {
    needCluster(
      tracer.grpc_service?.envoy_grpc?.cluster_name,
      `${path}.tracing.provider.typed_config.grpc_service`,
    );
  }
  return errors;
}

/** Envoy refuses an HTTP filter chain whose last filter is not terminal: here, the router with its @type. */
function filterChainErrors(hcm: HttpConnectionManagerJson, path: string): string[] {
  const filters = hcm.http_filters ?? [];
  const last = filters.at(-1)?.typed_config as Unpacked<object> | null | undefined;
  if (last?.['@type'] === ROUTER) return [];
  return [`${path}.http_filters: must end with the router filter (typed_config @type ${ROUTER})`];
}

function duplicates<T>(values: T[]): T[] {
  return [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];
}

export function semanticErrors(config: BootstrapJson, context: DeploymentContext = {}): string[] {
  const errors: string[] = [];
  const listeners = config.static_resources?.listeners ?? [];
  const clusterList = config.static_resources?.clusters ?? [];
  const clusterNames = clusterList.map((cluster) => cluster.name ?? '');
  clusterNames.forEach((name, index) => {
    if (name === '') errors.push(`static_resources.clusters[${index}].name: a cluster needs a name`);
  });
  for (const name of duplicates(clusterNames.filter(Boolean)))
    errors.push(`static_resources.clusters: '${name}' is defined twice`);
  const clusters = new Set(clusterNames);

  const adminAddress = config.admin?.address?.socket_address;
  if (!isLoopback(adminAddress?.address)) {
    errors.push(
      `admin.address.socket_address.address: admin must listen on loopback only, got '${adminAddress?.address ?? '(none)'}'`,
    );
  }

  const bound: { path: string; address: SocketAddress | undefined }[] = [];
  listeners.forEach((listener, index) => {
    const path = `static_resources.listeners[${index}]`;
    const address = listener.address?.socket_address ?? undefined;
    bound.push({ path, address });
    if (listener.traffic_direction === 'OUTBOUND' && !isLoopback(address?.address)) {
      errors.push(
        `${path}.address: outbound listener '${listener.name}' must be on loopback, got '${address?.address}'`,
      );
    }
    for (const { path: hcmPath, hcm } of connectionManagers(listener, path)) {
      errors.push(...routeErrors(hcm, hcmPath, clusters), ...filterChainErrors(hcm, hcmPath));
    }
  });
  for (const name of duplicates(listeners.map((listener) => listener.name))) {
    errors.push(`static_resources.listeners: more than one listener is named '${name}'`);
  }

  const ports = bound.map(({ address }) => Number(address?.port_value));
  if (adminAddress?.port_value !== undefined) ports.push(Number(adminAddress.port_value));
  for (const port of duplicates(ports.filter((port) => !Number.isNaN(port)))) {
    errors.push(`static_resources.listeners: port ${port} is used by more than one listener (or by admin)`);
  }
  const { containerPorts, serviceTargetPorts } = context;
  if (containerPorts) {
    for (const { path, address } of bound) {
      if (!isLoopback(address?.address) && !containerPorts.includes(Number(address?.port_value))) {
        errors.push(
          `${path}.address: port ${address?.port_value} is not a port of the sidecar container (${containerPorts.join(', ')})`,
        );
      }
    }
  }
  for (const target of serviceTargetPorts ?? []) {
    const exposed = bound.some(
      ({ address }) => !isLoopback(address?.address) && Number(address?.port_value) === target,
    );
    if (!exposed)
      errors.push(
        `static_resources.listeners: no listener outside loopback takes the Service's targetPort ${target}`,
      );
  }
  return errors;
}
