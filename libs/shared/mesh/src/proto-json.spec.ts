import type { Cluster } from './generated/envoy/config/cluster/v3/Cluster';
import type { Router } from './generated/envoy/extensions/filters/http/router/v3/Router';
import { duration, typed, type EnvoyJson } from './proto-json';

describe('duration', () => {
  it('writes milliseconds as Envoy JSON seconds', () => {
    expect(duration(5000)).toBe('5s');
    expect(duration(250)).toBe('0.25s');
    expect(duration(0)).toBe('0s');
  });

  it('rejects negative and fractional milliseconds', () => {
    expect(() => duration(-1)).toThrow(/non-negative whole number of milliseconds, got -1/);
    expect(() => duration(1.5)).toThrow(/got 1.5/);
  });
});

describe('typed', () => {
  it('puts the message name into @type and keeps the fields', () => {
    expect(
      typed<Router>('.envoy.extensions.filters.http.router.v3.Router', { suppress_envoy_headers: true }),
    ).toEqual({
      '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router',
      suppress_envoy_headers: true,
    });
  });
});

describe('EnvoyJson (checked by the typecheck target: each @ts-expect-error must stay an error)', () => {
  it('takes the JSON mapping: Duration strings, bare wrapper numbers, enum names', () => {
    const cluster: EnvoyJson<Cluster> = {
      name: 'pinger-v1',
      connect_timeout: '1s',
      type: 'STRICT_DNS',
      circuit_breakers: { thresholds: [{ max_connections: 10 }] },
    };
    expect(cluster.connect_timeout).toBe('1s');
  });

  it('refuses the protobuf object shapes and unknown fields', () => {
    const wrong: EnvoyJson<Cluster>[] = [
      // @ts-expect-error a Duration is a string in JSON, not {seconds}
      { connect_timeout: { seconds: 1 } },
      // @ts-expect-error a UInt32Value is a bare number in JSON
      { circuit_breakers: { thresholds: [{ max_connections: { value: 10 } }] } },
      // @ts-expect-error enums are written by name
      { type: 1 },
      // @ts-expect-error not a field of Cluster
      { name: 'x', connectTimeoutMs: 5 },
      // @ts-expect-error an Any is made by typed(), with its @type
      { typed_extension_protocol_options: { x: { '@type': 'type.googleapis.com/whatever' } } },
      // @ts-expect-error the generator's virtual oneof fields are not JSON fields
      { cluster_discovery_type: 'type' },
    ];
    expect(wrong).toHaveLength(6);
  });

  it('ties an Any to its message: the wrong name for the type does not compile', () => {
    // @ts-expect-error the brand of Router is not the Cluster's name
    const mismatched = typed<Router>('.envoy.config.cluster.v3.Cluster', {});
    expect(mismatched['@type']).toBe('type.googleapis.com/envoy.config.cluster.v3.Cluster');
  });
});
