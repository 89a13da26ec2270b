/**
 * The mesh's port plan (see the "Mesh port plan" of the team's interfaces): one module that the
 * Envoy builders, the generated overlays' checks and the tests import, so a port is written once.
 */

/** The services of the app, each with an Envoy sidecar in the mesh overlays. */
export const MESH_SERVICES = ['frontend', 'pinger', 'details'] as const;
export type MeshService = (typeof MESH_SERVICES)[number];

/** Envoy's inbound listener (0.0.0.0) takes the Service's port; the Service's targetPort is this number. */
export const INBOUND_PORTS: Readonly<Record<MeshService, number>> = {
  frontend: 9000,
  pinger: 3000,
  details: 4000,
};

/** Every app container listens on 127.0.0.1 on this port (HOST=127.0.0.1, PORT=8080) behind its sidecar. */
export const APP_PORT = 8080;
export const LOOPBACK = '127.0.0.1';
export const ANY_ADDRESS = '0.0.0.0';

/** The frontend's sidecar listens on loopback for each upstream it calls (PINGER_BASE_URL, DETAILS_BASE_URL). */
export const OUTBOUND_PORTS = { pinger: 15001, details: 15002 } as const;
export type OutboundUpstream = keyof typeof OUTBOUND_PORTS;

/** Envoy's admin interface: loopback only (it can quit Envoy, dump config, change runtime). */
export const ENVOY_ADMIN_PORT = 9901;
/** Envoy's stats listener (0.0.0.0): exactly GET /stats/prometheus and GET /ready, routed to admin. */
export const ENVOY_STATS_PORT = 9902;
/** The hot-restart supervisor's status and metrics (GET only, 0.0.0.0). */
export const SIDECAR_STATUS_PORT = 9903;
/** The supervisor's reload endpoint (POST /reload), loopback only. */
export const SIDECAR_CONTROL_PORT = 9904;

/** Container port names Prometheus discovers scrape targets by. */
export const PORT_NAMES = {
  inbound: 'http',
  envoyStats: 'envoy-stats',
  sidecarStatus: 'sidecar-http',
} as const;

export const NAMESPACE = 'learnathon';
export const CLUSTER_DOMAIN = 'svc.cluster.local';

/** OTLP over gRPC to Jaeger, where the overlay has tracing. */
export const JAEGER_OTLP = { host: `jaeger.monitoring.${CLUSTER_DOMAIN}`, port: 4317 } as const;

/** The in-cluster DNS name of a Service of the app, e.g. `pinger-v1-service.learnathon.svc.cluster.local`. */
export function serviceHost(serviceName: string, namespace: string = NAMESPACE): string {
  return `${serviceName}.${namespace}.${CLUSTER_DOMAIN}`;
}
