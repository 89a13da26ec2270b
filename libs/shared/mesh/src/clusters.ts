import type { Cluster } from './generated/envoy/config/cluster/v3/Cluster';
import type { HttpProtocolOptions } from './generated/envoy/extensions/upstreams/http/v3/HttpProtocolOptions';
import { duration, typed, type EnvoyJson } from './proto-json';
import { APP_PORT, ENVOY_ADMIN_PORT, JAEGER_OTLP, LOOPBACK } from './ports';

export type ClusterJson = EnvoyJson<Cluster>;

/**
 * Cluster names are part of the interface: Envoy exports them as `envoy_cluster_name`, which the
 * dashboards and the cutover tool query. Upstream clusters are named for the service they reach
 * (`pinger-v1`, `pinger-v2`, `details`).
 */
export const LOCAL_APP_CLUSTER = 'local-app';
export const ENVOY_ADMIN_CLUSTER = 'envoy-admin';
export const JAEGER_CLUSTER = 'jaeger-otlp';

/** The retry budget's share of active requests; min concurrency lets a quiet cluster still retry. */
export const RETRY_BUDGET = { budgetPercent: 20, minRetryConcurrency: 3 } as const;

function endpointAt(name: string, address: string, port: number): ClusterJson['load_assignment'] {
  return {
    cluster_name: name,
    endpoints: [
      { lb_endpoints: [{ endpoint: { address: { socket_address: { address, port_value: port } } } }] },
    ],
  };
}

function staticCluster(name: string, port: number): ClusterJson {
  return {
    name,
    type: 'STATIC',
    connect_timeout: duration(250),
    load_assignment: endpointAt(name, LOOPBACK, port),
  };
}

/** The app beside this sidecar, on 127.0.0.1. Inbound: no retries, outlier detection or breakers of ours. */
export function localAppCluster(): ClusterJson {
  return staticCluster(LOCAL_APP_CLUSTER, APP_PORT);
}

/** Envoy's own admin interface, for the stats listener's two routes. */
export function envoyAdminCluster(): ClusterJson {
  return staticCluster(ENVOY_ADMIN_CLUSTER, ENVOY_ADMIN_PORT);
}

export interface UpstreamEndpoint {
  /** The cluster's name, e.g. `pinger-v2`. */
  name: string;
  /** DNS name of the upstream's Service, e.g. `pinger-v2-service.learnathon.svc.cluster.local`. */
  host: string;
  port: number;
}

/**
 * A service this sidecar calls through its Service's DNS name. The retry budget lives here on the
 * circuit breakers (Envoy has no budget on the route). Outlier detection may eject the Service's
 * one ClusterIP host; Envoy's panic threshold then still routes to it, so ejection never blackholes.
 */
export function upstreamCluster({ name, host, port }: UpstreamEndpoint): ClusterJson {
  return {
    name,
    type: 'STRICT_DNS',
    connect_timeout: duration(1000),
    dns_lookup_family: 'V4_ONLY',
    lb_policy: 'ROUND_ROBIN',
    load_assignment: endpointAt(name, host, port),
    circuit_breakers: {
      thresholds: [
        {
          priority: 'DEFAULT',
          max_connections: 256,
          max_pending_requests: 128,
          max_requests: 256,
          retry_budget: {
            budget_percent: { value: RETRY_BUDGET.budgetPercent },
            min_retry_concurrency: RETRY_BUDGET.minRetryConcurrency,
          },
        },
      ],
    },
    outlier_detection: {
      consecutive_5xx: 5,
      consecutive_gateway_failure: 3,
      interval: duration(5000),
      base_ejection_time: duration(15_000),
      max_ejection_percent: 100,
    },
  };
}

/** Jaeger's OTLP/gRPC receiver: gRPC needs HTTP/2 upstream. */
export function jaegerCluster(): ClusterJson {
  return {
    name: JAEGER_CLUSTER,
    type: 'STRICT_DNS',
    connect_timeout: duration(1000),
    dns_lookup_family: 'V4_ONLY',
    load_assignment: endpointAt(JAEGER_CLUSTER, JAEGER_OTLP.host, JAEGER_OTLP.port),
    typed_extension_protocol_options: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': typed<HttpProtocolOptions>(
        '.envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
        { explicit_http_config: { http2_protocol_options: {} } },
      ),
    },
  };
}
