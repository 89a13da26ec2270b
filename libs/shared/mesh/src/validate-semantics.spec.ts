import type { HttpConnectionManagerJson } from './listeners';
import { buildSidecarConfig, canarySplit, type BootstrapJson } from './sidecar-config';
import { isLoopback, semanticErrors } from './validate-semantics';

/** A fresh frontend config to break, as plain JSON (what a file on disk holds). */
function frontend(): BootstrapJson {
  return JSON.parse(
    JSON.stringify(buildSidecarConfig('frontend', { pingerSplit: canarySplit(50), tracing: true })),
  );
}

/** The value, failing the test when the fixture lacks it. */
function present<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('the fixture lacks a value this test breaks');
  return value;
}
const listeners = (config: BootstrapJson) => present(config.static_resources?.listeners);
const clusters = (config: BootstrapJson) => present(config.static_resources?.clusters);
const socketOf = (config: BootstrapJson, index: number) =>
  present(listeners(config)[index]?.address?.socket_address);
const hcmOf = (config: BootstrapJson, index: number) =>
  present(
    listeners(config)[index]?.filter_chains?.[0]?.filters?.[0]?.typed_config,
  ) as HttpConnectionManagerJson;
const routesOf = (config: BootstrapJson, index: number) =>
  present(hcmOf(config, index).route_config?.virtual_hosts?.[0]?.routes);
const pingerWeights = (config: BootstrapJson) =>
  present(routesOf(config, 1)[2]?.route?.weighted_clusters?.clusters);
const HCM_PATH = (index: number) =>
  `static_resources.listeners[${index}].filter_chains[0].filters[0].typed_config`;

describe('semanticErrors', () => {
  it('finds nothing wrong in a generated config', () => {
    expect(
      semanticErrors(frontend(), { containerPorts: [9000, 9902, 9903], serviceTargetPorts: [9000] }),
    ).toEqual([]);
  });

  it('rejects a route to a cluster that is not defined', () => {
    const config = frontend();
    present(routesOf(config, 2)[0]?.route).cluster = 'detail';
    expect(semanticErrors(config)).toEqual([
      `${HCM_PATH(2)}.route_config.virtual_hosts[0].routes[0].route.cluster: names cluster 'detail', which is not defined`,
    ]);
  });

  it('rejects a weighted cluster that is not defined', () => {
    const config = frontend();
    present(pingerWeights(config)[1]).name = 'pinger-v9';
    expect(semanticErrors(config)).toEqual([
      `${HCM_PATH(1)}.route_config.virtual_hosts[0].routes[2].route.weighted_clusters.clusters[1].name: names cluster 'pinger-v9', which is not defined`,
    ]);
  });

  it('rejects negative weights and weights summing to zero', () => {
    const config = frontend();
    const [v1, v2] = pingerWeights(config);
    present(v1).weight = -1;
    present(v2).weight = 0;
    const where = `${HCM_PATH(1)}.route_config.virtual_hosts[0].routes[2].route.weighted_clusters`;
    expect(semanticErrors(config)).toEqual([
      `${where}.clusters[0].weight: must not be negative`,
      `${where}: weights sum to 0; they must sum to more than 0`,
    ]);
  });

  it('rejects a tracer whose collector cluster is not defined', () => {
    const config = frontend();
    present(config.static_resources).clusters = clusters(config).filter(
      (cluster) => cluster.name !== 'jaeger-otlp',
    );
    expect(semanticErrors(config)).toEqual(
      [0, 1, 2].map(
        (index) =>
          `${HCM_PATH(index)}.tracing.provider.typed_config.grpc_service: names cluster 'jaeger-otlp', which is not defined`,
      ),
    );
  });

  it('rejects an HTTP connection manager that does not end with the router filter', () => {
    const config = frontend();
    hcmOf(config, 0).http_filters = [];
    present(hcmOf(config, 3).http_filters)[0] = { name: 'envoy.filters.http.router' };
    const message =
      'http_filters: must end with the router filter (typed_config @type type.googleapis.com/envoy.extensions.filters.http.router.v3.Router)';
    expect(semanticErrors(config)).toEqual([`${HCM_PATH(0)}.${message}`, `${HCM_PATH(3)}.${message}`]);
  });

  it('rejects a cluster without a name and one defined twice', () => {
    const config = frontend();
    const defined = clusters(config);
    defined.push({ ...present(defined[1]) }, { ...present(defined[2]), name: '' });
    expect(semanticErrors(config)).toEqual([
      'static_resources.clusters[7].name: a cluster needs a name',
      "static_resources.clusters: 'pinger-v1' is defined twice",
    ]);
  });

  it('rejects two listeners on one port, and a listener on the admin port', () => {
    const config = frontend();
    socketOf(config, 2).port_value = 15001;
    socketOf(config, 3).port_value = 9901;
    expect(semanticErrors(config)).toEqual([
      'static_resources.listeners: port 15001 is used by more than one listener (or by admin)',
      'static_resources.listeners: port 9901 is used by more than one listener (or by admin)',
    ]);
  });

  it('rejects two listeners with one name', () => {
    const config = frontend();
    present(listeners(config)[2]).name = 'outbound-pinger';
    expect(semanticErrors(config)).toEqual([
      "static_resources.listeners: more than one listener is named 'outbound-pinger'",
    ]);
  });

  it('rejects a listener port the sidecar container does not declare', () => {
    expect(semanticErrors(frontend(), { containerPorts: [9000] })).toEqual([
      'static_resources.listeners[3].address: port 9902 is not a port of the sidecar container (9000)',
    ]);
  });

  it("rejects a Service targetPort no listener takes (a loopback listener doesn't count)", () => {
    expect(semanticErrors(frontend(), { serviceTargetPorts: [9000, 15001] })).toEqual([
      "static_resources.listeners: no listener outside loopback takes the Service's targetPort 15001",
    ]);
  });

  it('rejects admin outside loopback', () => {
    const config = frontend();
    present(config.admin?.address?.socket_address).address = '0.0.0.0';
    expect(semanticErrors(config)).toEqual([
      "admin.address.socket_address.address: admin must listen on loopback only, got '0.0.0.0'",
    ]);
  });

  it('rejects an outbound listener outside loopback', () => {
    const config = frontend();
    socketOf(config, 1).address = '0.0.0.0';
    expect(semanticErrors(config)).toEqual([
      "static_resources.listeners[1].address: outbound listener 'outbound-pinger' must be on loopback, got '0.0.0.0'",
    ]);
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1'].map(isLoopback)).toEqual([true, true, true]);
    expect(['0.0.0.0', '10.0.0.1', '', undefined].map(isLoopback)).toEqual([false, false, false, false]);
  });
});
