import { createHash } from 'node:crypto';
import type { HttpConnectionManagerJson } from './listeners';
import {
  buildSidecarConfig,
  canarySplit,
  renderSidecarConfig,
  SIDECARS,
  type BootstrapJson,
  type SidecarName,
} from './sidecar-config';
import { validateEnvoyConfig } from './validate';

type Listener = NonNullable<NonNullable<BootstrapJson['static_resources']>['listeners']>[number];

const listenersOf = (config: BootstrapJson) =>
  (config.static_resources?.listeners ?? []).map((listener: Listener) => [
    listener.name,
    listener.address?.socket_address?.address,
    listener.address?.socket_address?.port_value,
  ]);
const clustersOf = (config: BootstrapJson) =>
  (config.static_resources?.clusters ?? []).map((cluster) => cluster.name);
const pingerRoutes = (config: BootstrapJson) => {
  const listener = config.static_resources?.listeners?.find(
    (candidate) => candidate.name === 'outbound-pinger',
  );
  const hcm = listener?.filter_chains?.[0]?.filters?.[0]?.typed_config as
    HttpConnectionManagerJson | undefined;
  return hcm?.route_config?.virtual_hosts?.[0]?.routes ?? [];
};

describe('sidecar configs', () => {
  it.each(SIDECARS)('%s passes the validator, with and without tracing', (name: SidecarName) => {
    expect(validateEnvoyConfig(buildSidecarConfig(name))).toEqual({ errors: [], warnings: [] });
    expect(validateEnvoyConfig(buildSidecarConfig(name, { tracing: true }))).toEqual({
      errors: [],
      warnings: [],
    });
  });

  it('frontend: inbound on 9000, outbound pinger and details on loopback, stats on 9902, admin on loopback', () => {
    const config = buildSidecarConfig('frontend');
    expect(listenersOf(config)).toEqual([
      ['inbound', '0.0.0.0', 9000],
      ['outbound-pinger', '127.0.0.1', 15001],
      ['outbound-details', '127.0.0.1', 15002],
      ['envoy-stats', '0.0.0.0', 9902],
    ]);
    expect(config.admin?.address?.socket_address).toEqual({ address: '127.0.0.1', port_value: 9901 });
    expect(clustersOf(config)).toEqual(['local-app', 'pinger-v1', 'details', 'envoy-admin']);
  });

  it('pinger and details: only inbound and stats listeners, on their Service ports', () => {
    expect(listenersOf(buildSidecarConfig('pinger-v2'))).toEqual([
      ['inbound', '0.0.0.0', 3000],
      ['envoy-stats', '0.0.0.0', 9902],
    ]);
    expect(listenersOf(buildSidecarConfig('details'))[0]).toEqual(['inbound', '0.0.0.0', 4000]);
    expect(clustersOf(buildSidecarConfig('details'))).toEqual(['local-app', 'envoy-admin']);
  });

  it('adds Jaeger only when tracing is on', () => {
    expect(clustersOf(buildSidecarConfig('details', { tracing: true }))).toContain('jaeger-otlp');
    expect(renderSidecarConfig('details')).not.toContain('opentelemetry');
  });

  it('splits pinger traffic by weight, and takes a version the config has never seen', () => {
    const config = buildSidecarConfig('frontend', {
      pingerSplit: [
        { cluster: 'pinger-v3', weight: 10 },
        { cluster: 'pinger-v1', weight: 90 },
      ],
    });
    expect(validateEnvoyConfig(config).errors).toEqual([]);
    expect(clustersOf(config)).toEqual(['local-app', 'pinger-v1', 'pinger-v3', 'details', 'envoy-admin']);
    expect(pingerRoutes(config).map((route) => route.name)).toEqual([
      'pinned-pinger-v1',
      'pinned-pinger-v3',
      'pinger-split',
    ]);
    expect(JSON.stringify(config)).toContain('pinger-v3-service.learnathon.svc.cluster.local');
  });

  it('renders the same bytes for the same weights, whatever their order', () => {
    const hash = (text: string) => createHash('sha256').update(text).digest('hex');
    const forward = renderSidecarConfig('frontend', { pingerSplit: canarySplit(5) });
    const backward = renderSidecarConfig('frontend', { pingerSplit: [...canarySplit(5)].reverse() });
    expect(hash(backward)).toBe(hash(forward));
    expect(forward.endsWith('}\n')).toBe(true);
    expect(forward).toBe(`${JSON.stringify(JSON.parse(forward), null, 2)}\n`);
  });

  it('canarySplit puts the percentage on v2 and the rest on v1', () => {
    expect(canarySplit(5)).toEqual([
      { cluster: 'pinger-v1', weight: 95 },
      { cluster: 'pinger-v2', weight: 5 },
    ]);
  });

  it('turns on the admin runtime layer for live weights', () => {
    const config = buildSidecarConfig('frontend', {
      pingerSplit: canarySplit(50),
      runtimeKeyPrefix: 'routing.pinger',
    });
    expect(config.layered_runtime).toEqual({ layers: [{ name: 'admin', admin_layer: {} }] });
    expect(validateEnvoyConfig(config).errors).toEqual([]);
    expect(buildSidecarConfig('frontend')).not.toHaveProperty('layered_runtime');
  });

  it('refuses bad options with a message naming the problem', () => {
    expect(() => buildSidecarConfig('pinger' as SidecarName)).toThrow(/unknown sidecar 'pinger'/);
    expect(() => buildSidecarConfig('details', { pingerSplit: canarySplit(5) })).toThrow(/frontend options/);
    expect(() => buildSidecarConfig('frontend', { pingerSplit: [] })).toThrow(/at least one/);
    expect(() => buildSidecarConfig('frontend', { runtimeKeyPrefix: 'routing..pinger' })).toThrow(
      /runtimeKeyPrefix must be a dotted runtime key such as routing.pinger, got 'routing..pinger'/,
    );
    expect(() =>
      buildSidecarConfig('frontend', { pingerSplit: [{ cluster: 'pinger-v1', weight: -1 }] }),
    ).toThrow(/weight of pinger-v1 must be a non-negative integer, got -1/);
    expect(() =>
      buildSidecarConfig('frontend', { pingerSplit: [{ cluster: 'pinger-v1', weight: 0 }] }),
    ).toThrow(/sum to 0/);
    expect(() =>
      buildSidecarConfig('frontend', {
        pingerSplit: [
          { cluster: 'pinger-v1', weight: 1 },
          { cluster: 'pinger-v1', weight: 2 },
        ],
      }),
    ).toThrow(/pinger-v1 twice/);
  });
});
