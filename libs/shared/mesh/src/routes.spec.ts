import { envoySchema } from './proto-schema';
import {
  idempotentRetryPolicy,
  inboundRouteConfig,
  outboundRouteConfig,
  PINGER_VERSION_HEADER,
  pingerRouteConfig,
  pingerVersion,
  statsRouteConfig,
  type RouteConfigJson,
} from './routes';
import { checkAgainstSchema } from './validate-schema';

const POLICY = { timeoutMs: 2500, perTryTimeoutMs: 1000, retries: 2 };
const routesOf = (config: RouteConfigJson) => config.virtual_hosts?.[0]?.routes ?? [];
const schemaErrors = (config: RouteConfigJson) =>
  checkAgainstSchema(envoySchema(), 'envoy.config.route.v3.RouteConfiguration', config).errors;

describe('route configurations', () => {
  const split = [
    { cluster: 'pinger-v1', weight: 95 },
    { cluster: 'pinger-v2', weight: 5 },
  ] as const;

  it('are valid Envoy v3 RouteConfigurations', () => {
    const configs = [
      inboundRouteConfig(),
      outboundRouteConfig('details', POLICY),
      pingerRouteConfig(split, POLICY, 'routing.pinger'),
      statsRouteConfig(),
    ];
    for (const config of configs) expect(schemaErrors(config)).toEqual([]);
  });

  it('inbound: everything to the app, no retries, probes and scrapes never traced', () => {
    const routes = routesOf(inboundRouteConfig());
    expect(routes.map((route) => route.route?.cluster)).toEqual([
      'local-app',
      'local-app',
      'local-app',
      'local-app',
    ]);
    expect(JSON.stringify(routes)).not.toContain('retry_policy');
    const untraced = routes.filter((route) => route.tracing?.overall_sampling?.numerator === 0);
    expect(untraced.map((route) => route.match?.path)).toEqual(['/healthz', '/readyz', '/metrics']);
    expect(routes.at(-1)?.match).toEqual({ prefix: '/' });
  });

  it('pins a pinger version by header before the weighted split, without total_weight', () => {
    const routes = routesOf(pingerRouteConfig(split, POLICY));
    expect(routes.map((route) => route.name)).toEqual([
      'pinned-pinger-v1',
      'pinned-pinger-v2',
      'pinger-split',
    ]);
    expect(routes[1]?.match?.headers).toEqual([
      { name: PINGER_VERSION_HEADER, string_match: { exact: 'v2' } },
    ]);
    expect(routes[1]?.route?.cluster).toBe('pinger-v2');
    expect(routes[2]?.route?.weighted_clusters).toEqual({
      clusters: [
        { name: 'pinger-v1', weight: 95 },
        { name: 'pinger-v2', weight: 5 },
      ],
    });
  });

  it('makes the weights live through the runtime only when asked', () => {
    const weighted = (prefix?: string) =>
      routesOf(pingerRouteConfig(split, POLICY, prefix))[2]?.route?.weighted_clusters;
    expect(weighted('routing.pinger')?.runtime_key_prefix).toBe('routing.pinger');
    expect(weighted()).not.toHaveProperty('runtime_key_prefix');
  });

  it('outbound: a timeout and retries of idempotent requests only, with a per-try timeout', () => {
    const route = routesOf(outboundRouteConfig('details', POLICY))[0]?.route;
    expect(route?.cluster).toBe('details');
    expect(route?.timeout).toBe('2.5s');
    expect(route?.retry_policy).toEqual(idempotentRetryPolicy(POLICY));
    const retry = idempotentRetryPolicy(POLICY);
    expect(retry.retry_on?.split(',')).toEqual(['connect-failure', 'reset', '5xx']);
    expect(retry.per_try_timeout).toBe('1s');
    expect(retry.num_retries).toBe(2);
    expect(retry.retriable_request_headers).toEqual([{ name: ':method', string_match: { exact: 'GET' } }]);
  });

  it('stats: exactly GET /stats/prometheus and GET /ready reach admin, the rest is 404', () => {
    const routes = routesOf(statsRouteConfig());
    const toAdmin = routes.filter((route) => route.route?.cluster === 'envoy-admin');
    expect(
      toAdmin.map((route) => [route.match?.path, route.match?.headers?.[0]?.string_match?.exact]),
    ).toEqual([
      ['/stats/prometheus', 'GET'],
      ['/ready', 'GET'],
    ]);
    expect(routes.at(-1)).toMatchObject({ match: { prefix: '/' }, direct_response: { status: 404 } });
  });

  it('reads the version from a pinger cluster name', () => {
    expect(pingerVersion('pinger-v3')).toBe('v3');
  });
});
