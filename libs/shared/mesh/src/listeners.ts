import type { OpenTelemetryConfig } from './generated/envoy/config/trace/v3/OpenTelemetryConfig';
import type { AccessLog } from './generated/envoy/config/accesslog/v3/AccessLog';
import type { Listener } from './generated/envoy/config/listener/v3/Listener';
import type { StdoutAccessLog } from './generated/envoy/extensions/access_loggers/stream/v3/StdoutAccessLog';
import type { Router } from './generated/envoy/extensions/filters/http/router/v3/Router';
import type { HttpConnectionManager } from './generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpConnectionManager';
import type { UuidRequestIdConfig } from './generated/envoy/extensions/request_id/uuid/v3/UuidRequestIdConfig';
import { JAEGER_CLUSTER } from './clusters';
import { duration, typed, type EnvoyJson } from './proto-json';
import type { RouteConfigJson } from './routes';

export type ListenerJson = EnvoyJson<Listener>;
export type HttpConnectionManagerJson = EnvoyJson<HttpConnectionManager>;

/**
 * One JSON line per request on stdout, the fields an operator joins logs and traces by. The
 * original path is logged without its query string (user URLs can carry tokens there).
 */
export const ACCESS_LOG_FORMAT = {
  start_time: '%START_TIME%',
  request_id: '%REQ(X-REQUEST-ID)%',
  traceparent: '%REQ(TRACEPARENT)%',
  method: '%REQ(:METHOD)%',
  path: '%REQ_WITHOUT_QUERY(X-ENVOY-ORIGINAL-PATH?:PATH)%',
  route: '%ROUTE_NAME%',
  upstream_cluster: '%UPSTREAM_CLUSTER%',
  upstream_host: '%UPSTREAM_HOST%',
  status: '%RESPONSE_CODE%',
  response_flags: '%RESPONSE_FLAGS%',
  duration_ms: '%DURATION%',
  bytes_received: '%BYTES_RECEIVED%',
  bytes_sent: '%BYTES_SENT%',
} as const;

export type TrafficDirection = 'INBOUND' | 'OUTBOUND';

export interface HttpListenerSpec {
  name: string;
  address: string;
  port: number;
  direction: TrafficDirection;
  /** Prefix of this listener's `envoy_http_*` stats (`envoy_http_conn_manager_prefix`). */
  statPrefix: string;
  routeConfig: RouteConfigJson;
  /** Log each request (off for the stats listener: scrapes and probes every few seconds are noise). */
  accessLog: boolean;
  /** Report spans to Jaeger under this service name; absent: no tracer, trace headers pass through. */
  tracingServiceName?: string;
}

function stdoutJsonAccessLog(): EnvoyJson<AccessLog> {
  return {
    name: 'envoy.access_loggers.stdout',
    typed_config: typed<StdoutAccessLog>('.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog', {
      log_format: { json_format: { ...ACCESS_LOG_FORMAT } },
    }),
  };
}

function openTelemetryTracing(serviceName: string): HttpConnectionManagerJson['tracing'] {
  return {
    provider: {
      name: 'envoy.tracers.opentelemetry',
      typed_config: typed<OpenTelemetryConfig>('.envoy.config.trace.v3.OpenTelemetryConfig', {
        grpc_service: { envoy_grpc: { cluster_name: JAEGER_CLUSTER }, timeout: duration(250) },
        service_name: serviceName,
      }),
    },
  };
}

export function httpConnectionManager(spec: HttpListenerSpec): HttpConnectionManagerJson {
  return {
    stat_prefix: spec.statPrefix,
    codec_type: 'AUTO',
    route_config: spec.routeConfig,
    // Keep the caller's x-request-id as it is (generate one only when absent): the UUID extension
    // would otherwise rewrite it to pack a trace reason, and external ids would be replaced.
    generate_request_id: true,
    preserve_external_request_id: true,
    request_id_extension: {
      typed_config: typed<UuidRequestIdConfig>('.envoy.extensions.request_id.uuid.v3.UuidRequestIdConfig', {
        pack_trace_reason: false,
        use_request_id_for_trace_sampling: false,
      }),
    },
    ...(spec.tracingServiceName === undefined
      ? {}
      : { tracing: openTelemetryTracing(spec.tracingServiceName) }),
    ...(spec.accessLog ? { access_log: [stdoutJsonAccessLog()] } : {}),
    http_filters: [
      {
        name: 'envoy.filters.http.router',
        typed_config: typed<Router>('.envoy.extensions.filters.http.router.v3.Router', {}),
      },
    ],
  };
}

export function httpListener(spec: HttpListenerSpec): ListenerJson {
  return {
    name: spec.name,
    address: { socket_address: { address: spec.address, port_value: spec.port } },
    traffic_direction: spec.direction,
    filter_chains: [
      {
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typed_config: typed<HttpConnectionManager>(
              '.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
              httpConnectionManager(spec),
            ),
          },
        ],
      },
    ],
  };
}
