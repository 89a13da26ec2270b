/**
 * Envoy's names as its /stats/prometheus serves them (stat tags become labels), and the names the
 * mesh's sidecar configs give their listeners and clusters. Envoy's histograms count milliseconds.
 * A cluster's per-code, per-class and time series appear only after its first response.
 */
export const ENVOY_METRICS = {
  downstreamRequests: 'envoy_http_downstream_rq_total',
  downstreamByClass: 'envoy_http_downstream_rq_xx',
  downstreamTimeBucket: 'envoy_http_downstream_rq_time_bucket',
  upstreamRequests: 'envoy_cluster_upstream_rq_total',
  upstreamByClass: 'envoy_cluster_upstream_rq_xx',
  upstreamByCode: 'envoy_cluster_upstream_rq',
  upstreamTimeBucket: 'envoy_cluster_upstream_rq_time_bucket',
  upstreamRetries: 'envoy_cluster_upstream_rq_retry',
  upstreamTimeouts: 'envoy_cluster_upstream_rq_timeout',
  upstreamPendingOverflow: 'envoy_cluster_upstream_rq_pending_overflow',
  live: 'envoy_server_live',
  hotRestartEpoch: 'envoy_server_hot_restart_epoch',
} as const;

/**
 * The stat prefix of each sidecar's inbound HTTP connection manager (the Service's traffic), as
 * libs/shared/mesh configures it; its stats listener (`envoy_stats`) and the frontend's outbound
 * listeners (`outbound_pinger`, `outbound_details`) have their own.
 */
export const INBOUND_STAT_PREFIX = 'inbound';

/** The outbound clusters of the frontend's sidecar, one per upstream version. */
export const PINGER_CLUSTERS = ['pinger-v1', 'pinger-v2'] as const;
export const UPSTREAM_CLUSTERS = [...PINGER_CLUSTERS, 'details'] as const;

/** A regular expression that matches exactly the given label values. */
export const anyOf = (values: readonly string[]): string => values.join('|');
