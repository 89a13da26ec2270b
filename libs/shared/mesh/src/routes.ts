import type { RetryPolicy } from './generated/envoy/config/route/v3/RetryPolicy';
import type { Route } from './generated/envoy/config/route/v3/Route';
import type { RouteConfiguration } from './generated/envoy/config/route/v3/RouteConfiguration';
import type { PreviousHostsPredicate } from './generated/envoy/extensions/retry/host/previous_hosts/v3/PreviousHostsPredicate';
import { ENVOY_ADMIN_CLUSTER, LOCAL_APP_CLUSTER } from './clusters';
import { duration, typed, type EnvoyJson } from './proto-json';

export type RouteJson = EnvoyJson<Route>;
export type RouteConfigJson = EnvoyJson<RouteConfiguration>;

/** Deadlines of an outbound route; Envoy's total stays inside the caller's own deadline. */
export interface OutboundPolicy {
  timeoutMs: number;
  perTryTimeoutMs: number;
  retries: number;
}

/** The header a tester sets to reach one pinger version before any user does (`x-pinger-version: v2`). */
export const PINGER_VERSION_HEADER = 'x-pinger-version';

/** One pinger version in the frontend's split: cluster `pinger-vN`, its share, and where it lives. */
export interface PingerBackend {
  cluster: `pinger-v${number}`;
  weight: number;
}

/** Paths the kubelet probes and Prometheus scrapes: routed to the app, never traced. */
export const UNTRACED_APP_PATHS = ['/healthz', '/readyz', '/metrics'] as const;

const NEVER_SAMPLED = { overall_sampling: { numerator: 0, denominator: 'HUNDRED' } } as const;

/** A pinger cluster's version label, the value of its pinning header: `pinger-v2` → `v2`. */
export function pingerVersion(cluster: PingerBackend['cluster']): string {
  return cluster.slice('pinger-'.length);
}

/**
 * Retries for idempotent requests only: Envoy's retry policy has no method filter, but it retries
 * only requests that `retriable_request_headers` match, here `:method: GET` (one matcher, so it
 * reads the same whether Envoy wants any or all of them). A retry prefers another host.
 */
export function idempotentRetryPolicy(policy: OutboundPolicy): EnvoyJson<RetryPolicy> {
  return {
    retry_on: 'connect-failure,reset,5xx',
    num_retries: policy.retries,
    per_try_timeout: duration(policy.perTryTimeoutMs),
    retriable_request_headers: [{ name: ':method', string_match: { exact: 'GET' } }],
    retry_host_predicate: [
      {
        name: 'envoy.retry_host_predicates.previous_hosts',
        typed_config: typed<PreviousHostsPredicate>(
          '.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate',
          {},
        ),
      },
    ],
    host_selection_retry_max_attempts: 3,
  };
}

function outboundAction(policy: OutboundPolicy) {
  return { timeout: duration(policy.timeoutMs), retry_policy: idempotentRetryPolicy(policy) };
}

function anyHost(name: string, routes: RouteJson[]): RouteConfigJson {
  return { name, virtual_hosts: [{ name, domains: ['*'], routes }] };
}

/** Inbound: everything to the app, no retries (they would double the caller's and hide a 503 from readiness). */
export function inboundRouteConfig(): RouteConfigJson {
  const untraced = UNTRACED_APP_PATHS.map((path): RouteJson => ({
    name: `app${path.replace('/', '-')}`,
    match: { path },
    route: { cluster: LOCAL_APP_CLUSTER },
    tracing: NEVER_SAMPLED,
  }));
  return anyHost('inbound', [
    ...untraced,
    { name: 'app', match: { prefix: '/' }, route: { cluster: LOCAL_APP_CLUSTER } },
  ]);
}

/** An outbound listener's routes to one upstream cluster (the frontend's details). */
export function outboundRouteConfig(cluster: string, policy: OutboundPolicy): RouteConfigJson {
  return anyHost(`outbound-${cluster}`, [
    {
      name: cluster,
      match: { prefix: '/' },
      route: { cluster, ...outboundAction(policy) },
    },
  ]);
}

/**
 * The frontend's pinger routes. Routes match in order, so the header-pinned ones come first; then
 * a weighted split (Envoy sums the weights: no deprecated `total_weight`). With `runtimeKeyPrefix`
 * each weight can be changed live through Envoy's runtime at `<prefix>.<cluster>`.
 */
export function pingerRouteConfig(
  backends: readonly PingerBackend[],
  policy: OutboundPolicy,
  runtimeKeyPrefix?: string,
): RouteConfigJson {
  const pinned = backends.map(({ cluster }): RouteJson => ({
    name: `pinned-${cluster}`,
    match: {
      prefix: '/',
      headers: [{ name: PINGER_VERSION_HEADER, string_match: { exact: pingerVersion(cluster) } }],
    },
    route: { cluster, ...outboundAction(policy) },
  }));
  const split: RouteJson = {
    name: 'pinger-split',
    match: { prefix: '/' },
    route: {
      weighted_clusters: {
        clusters: backends.map(({ cluster, weight }) => ({ name: cluster, weight })),
        ...(runtimeKeyPrefix === undefined ? {} : { runtime_key_prefix: runtimeKeyPrefix }),
      },
      ...outboundAction(policy),
    },
  };
  return anyHost('outbound-pinger', [...pinned, split]);
}

/** The stats listener's routes: exactly GET /stats/prometheus and GET /ready reach admin; the rest is a 404. */
export function statsRouteConfig(): RouteConfigJson {
  const adminGet = (path: string): RouteJson => ({
    name: `admin${path.replaceAll('/', '-')}`,
    match: { path, headers: [{ name: ':method', string_match: { exact: 'GET' } }] },
    route: { cluster: ENVOY_ADMIN_CLUSTER },
  });
  return anyHost('envoy-stats', [
    adminGet('/stats/prometheus'),
    adminGet('/ready'),
    { name: 'not-exposed', match: { prefix: '/' }, direct_response: { status: 404 } },
  ]);
}
