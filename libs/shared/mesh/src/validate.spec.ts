import { renderSidecarConfig } from './sidecar-config';
import { validateEnvoyConfig } from './validate';

describe('validateEnvoyConfig', () => {
  const good = renderSidecarConfig('pinger-v1');

  it('accepts a generated config as text or as a parsed object', () => {
    expect(validateEnvoyConfig(good)).toEqual({ errors: [], warnings: [] });
    expect(validateEnvoyConfig(JSON.parse(good) as object)).toEqual({ errors: [], warnings: [] });
  });

  it('reports text that is not JSON', () => {
    expect(validateEnvoyConfig('{"admin": ').errors).toEqual([
      expect.stringMatching(/^\(root\): not valid JSON: /),
    ]);
  });

  it('reports schema errors with their path, and checks semantics only once the schema holds', () => {
    const config = JSON.parse(good);
    config.admin.address.socket_address.address = '0.0.0.0';
    config.static_resources.clusters[0].connect_timeout = 5;
    expect(validateEnvoyConfig(config).errors).toEqual([
      'static_resources.clusters[0].connect_timeout: expected a Duration string such as "5s" or "0.25s", got 5',
    ]);
    config.static_resources.clusters[0].connect_timeout = '5s';
    expect(validateEnvoyConfig(config).errors).toEqual([
      "admin.address.socket_address.address: admin must listen on loopback only, got '0.0.0.0'",
    ]);
  });

  it('passes the deployment context to the semantic checks', () => {
    expect(validateEnvoyConfig(good, { serviceTargetPorts: [3000] }).errors).toEqual([]);
    expect(validateEnvoyConfig(good, { serviceTargetPorts: [4000] }).errors).toEqual([
      "static_resources.listeners: no listener outside loopback takes the Service's targetPort 4000",
    ]);
  });

  it('returns warnings of deprecated fields with an otherwise valid config', () => {
    const config = JSON.parse(good);
    config.static_resources.clusters[0].use_tcp_for_dns_lookups = false;
    expect(validateEnvoyConfig(config)).toEqual({
      errors: [],
      warnings: [
        'static_resources.clusters[0].use_tcp_for_dns_lookups: deprecated field of envoy.config.cluster.v3.Cluster',
      ],
    });
  });
});
