import {
  ENVOY_ADMIN_CLUSTER,
  INBOUND_PORTS,
  JAEGER_CLUSTER,
  LOCAL_APP_CLUSTER,
  SIDECARS,
  buildSidecarConfig,
  canarySplit,
} from '@learnathon/mesh';
import { INBOUND_STAT_PREFIX, PINGER_CLUSTERS, UPSTREAM_CLUSTERS, anyOf } from './envoy';

/** Every `stat_prefix` inside a piece of Envoy config: the connection managers' names in Envoy's stats. */
function statPrefixes(config: unknown): string[] {
  if (Array.isArray(config)) return config.flatMap(statPrefixes);
  if (typeof config !== 'object' || config === null) return [];
  return Object.entries(config).flatMap(([key, value]) =>
    key === 'stat_prefix' && typeof value === 'string' ? [value] : statPrefixes(value),
  );
}

/**
 * The dashboards select Envoy's series by the names the sidecar configs give their listeners and
 * clusters: built here with the same builders as the committed configs, so the two cannot drift.
 */
describe('the Envoy names the dashboards query', () => {
  it.each(SIDECARS)('are the inbound stat prefix of sidecar %s', (sidecar) => {
    const config = buildSidecarConfig(
      sidecar,
      sidecar === 'frontend' ? { pingerSplit: canarySplit(50) } : {},
    );
    const service = sidecar.startsWith('pinger') ? 'pinger' : (sidecar as keyof typeof INBOUND_PORTS);
    const inbound = config.static_resources?.listeners?.filter(
      (listener) => listener.address?.socket_address?.port_value === INBOUND_PORTS[service],
    );
    expect(statPrefixes(inbound)).toEqual([INBOUND_STAT_PREFIX]);
  });

  it('are the frontend’s upstream clusters in a canary, one per pinger version', () => {
    const config = buildSidecarConfig('frontend', { pingerSplit: canarySplit(5), tracing: true });
    const own = new Set([LOCAL_APP_CLUSTER, ENVOY_ADMIN_CLUSTER, JAEGER_CLUSTER]);
    const upstreams = (config.static_resources?.clusters ?? [])
      .map((cluster) => cluster.name ?? '')
      .filter((name) => !own.has(name));
    expect(upstreams.sort()).toEqual([...UPSTREAM_CLUSTERS].sort());
    expect(upstreams.filter((name) => name.startsWith('pinger-')).sort()).toEqual([...PINGER_CLUSTERS]);
  });

  it('are joined into an exact-match regular expression', () => {
    expect(anyOf(['a', 'b-c'])).toBe('a|b-c');
  });
});
