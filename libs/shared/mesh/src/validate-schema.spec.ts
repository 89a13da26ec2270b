import { envoySchema } from './proto-schema';
import { checkAgainstSchema, durationSeconds, jsonName } from './validate-schema';

const CLUSTER = 'envoy.config.cluster.v3.Cluster';
const ROUTE_ACTION = 'envoy.config.route.v3.RouteAction';
const check = (type: string, value: unknown) => checkAgainstSchema(envoySchema(), type, value);
const errors = (type: string, value: unknown) => check(type, value).errors;

const GOOD_CLUSTER = {
  name: 'pinger-v1',
  type: 'STRICT_DNS',
  connect_timeout: '1s',
  load_assignment: {
    cluster_name: 'pinger-v1',
    endpoints: [
      {
        lb_endpoints: [
          { endpoint: { address: { socket_address: { address: 'pinger', port_value: 3000 } } } },
        ],
      },
    ],
  },
};
const socketAddress = (socket: object) => ({
  ...GOOD_CLUSTER,
  load_assignment: {
    ...GOOD_CLUSTER.load_assignment,
    endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: socket } } }] }],
  },
});
const SOCKET_PATH = 'load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address';

describe('checkAgainstSchema', () => {
  it('accepts a good message', () => {
    expect(check(CLUSTER, GOOD_CLUSTER)).toEqual({ errors: [], warnings: [] });
  });

  it('rejects an unknown field, naming its message', () => {
    expect(errors(CLUSTER, { ...GOOD_CLUSTER, connect_timout: '1s' })).toEqual([
      'connect_timout: unknown field of envoy.config.cluster.v3.Cluster',
    ]);
  });

  it('accepts proto3 JSON names, but not a field set under both names', () => {
    const { connect_timeout: _snake, ...rest } = GOOD_CLUSTER;
    expect(errors(CLUSTER, { ...rest, connectTimeout: '1s' })).toEqual([]);
    expect(errors(CLUSTER, { ...GOOD_CLUSTER, connectTimeout: '2s' })).toEqual([
      "connectTimeout: field set twice (also as 'connect_timeout')",
    ]);
  });

  it('rejects wrong types: the protobuf object shape of a Duration or a wrapper, a string for a number', () => {
    expect(errors(CLUSTER, { ...GOOD_CLUSTER, connect_timeout: { seconds: 1 } })).toEqual([
      'connect_timeout: expected a Duration string such as "5s" or "0.25s", got {"seconds":1}',
    ]);
    expect(errors(CLUSTER, { ...GOOD_CLUSTER, per_connection_buffer_limit_bytes: { value: 1 } })).toEqual([
      'per_connection_buffer_limit_bytes: expected an integer (uint32), got {"value":1}',
    ]);
    expect(errors(CLUSTER, socketAddress({ address: 'a', port_value: 'http' }))).toEqual([
      `${SOCKET_PATH}.port_value: expected an integer (uint32), got "http"`,
    ]);
    expect(errors(CLUSTER, { ...GOOD_CLUSTER, name: 7 })).toEqual([
      'name: expected a string (string), got 7',
    ]);
    expect(errors(CLUSTER, { ...GOOD_CLUSTER, load_assignment: [] })).toEqual([
      'load_assignment: expected an object (ClusterLoadAssignment), got []',
    ]);
  });

  it('rejects a bad enum name, and matches names case-insensitively like Envoy', () => {
    expect(errors(CLUSTER, { ...GOOD_CLUSTER, type: 'DNS' })).toEqual([
      'type: unknown DiscoveryType value "DNS" (one of STATIC, STRICT_DNS, LOGICAL_DNS, EDS, ORIGINAL_DST)',
    ]);
    expect(errors(CLUSTER, { ...GOOD_CLUSTER, type: 'strict_dns' })).toEqual([]);
  });

  it('treats JSON null as unset', () => {
    expect(errors(CLUSTER, { ...GOOD_CLUSTER, outlier_detection: null, lb_policy: null })).toEqual([]);
  });

  it('rejects an Any whose @type is not a loaded message', () => {
    const filter = {
      name: 'f',
      typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.nope.v3.Nope' },
    };
    expect(errors('envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter', filter)).toEqual([
      'typed_config["@type"]: cannot resolve type.googleapis.com/envoy.extensions.filters.http.nope.v3.Nope (not a message of the loaded Envoy protos)',
    ]);
    expect(
      errors('envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter', {
        name: 'f',
        typed_config: {},
      }),
    ).toEqual(['typed_config: Any without a "@type"']);
  });

  it('checks the contents of an Any against the message it names', () => {
    const router = {
      '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router',
      dynamic_statz: true,
    };
    expect(
      errors('envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter', {
        name: 'r',
        typed_config: router,
      }),
    ).toEqual([
      'typed_config.dynamic_statz: unknown field of envoy.extensions.filters.http.router.v3.Router',
    ]);
  });

  it('rejects a missing required message (validate.rules message.required)', () => {
    expect(errors('envoy.config.route.v3.Route', { route: { cluster: 'x' } })).toEqual([
      'match: is required',
    ]);
  });

  it('enforces string min_len, on an unset string too (its proto3 default is "")', () => {
    expect(errors(CLUSTER, { ...GOOD_CLUSTER, name: '' })).toEqual([
      'name: must have at least 1 characters (validate.rules), got ""',
    ]);
    const { name: _name, ...unnamed } = GOOD_CLUSTER;
    expect(errors(CLUSTER, unnamed)).toEqual([
      'name (unset): must have at least 1 characters (validate.rules), got ""',
    ]);
  });

  it('enforces numeric ranges: lte, gt, gte with lt', () => {
    expect(errors(CLUSTER, socketAddress({ address: 'a', port_value: 65536 }))).toEqual([
      `${SOCKET_PATH}.port_value: must be <= 65535 (validate.rules), got 65536`,
    ]);
    const hcm = 'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
    expect(errors(hcm, { stat_prefix: 'in', route_config: {}, max_request_headers_kb: 0 })).toEqual([
      'max_request_headers_kb: must be > 0 and <= 8192 (validate.rules), got 0',
    ]);
    expect(errors('envoy.config.route.v3.DirectResponseAction', { status: 199 })).toEqual([
      'status: must be >= 200 and < 600 (validate.rules), got 199',
    ]);
    expect(errors('envoy.config.route.v3.DirectResponseAction', { status: 404 })).toEqual([]);
  });

  it('enforces range rules on wrapper fields (a bare UInt32Value)', () => {
    expect(errors('envoy.config.cluster.v3.OutlierDetection', { max_ejection_percent: 101 })).toEqual([
      'max_ejection_percent: must be <= 100 (validate.rules), got 101',
    ]);
  });

  it('enforces duration rules: gt 0, and gte/lt bounds', () => {
    expect(errors(CLUSTER, { ...GOOD_CLUSTER, connect_timeout: '0s' })).toEqual([
      'connect_timeout: must be > 0 (validate.rules), got 0s',
    ]);
    expect(errors('envoy.config.bootstrap.v3.Bootstrap', { stats_flush_interval: '300s' })).toEqual([
      'stats_flush_interval: must be >= 0.001 and < 300 (validate.rules), got 300s',
    ]);
    expect(errors(ROUTE_ACTION, { cluster: 'x', timeout: '-1s' })).toEqual([
      'timeout: Envoy rejects negative durations, got "-1s"',
    ]);
  });

  it('enforces enum defined_only on numeric values', () => {
    expect(errors(CLUSTER, socketAddress({ address: 'a', port_value: 1, protocol: 7 }))).toEqual([
      `${SOCKET_PATH}.protocol: 7 is not a defined Protocol value (validate.rules: defined_only)`,
    ]);
    expect(errors(CLUSTER, socketAddress({ address: 'a', port_value: 1, protocol: 1 }))).toEqual([]);
  });

  it('enforces repeated min_items', () => {
    expect(errors('envoy.config.route.v3.VirtualHost', { name: 'v', domains: [] })).toEqual([
      'domains: needs at least 1 item(s) (validate.rules), got 0',
    ]);
  });

  it('enforces rules on repeated items (header values without CR/LF)', () => {
    expect(errors('envoy.config.route.v3.VirtualHost', { name: 'v', domains: ['a\r\nb'] })).toEqual([
      'domains[0]: must be a valid header value (validate.rules), got "a\\r\\nb"',
    ]);
  });

  it('enforces strict header values where a proto asks for them (health check paths)', () => {
    const check = 'envoy.config.core.v3.HealthCheck.HttpHealthCheck';
    expect(errors(check, { path: '/healthz' })).toEqual([]);
    expect(errors(check, { path: '/health\u0001' })).toEqual([
      'path: must be a valid header value (validate.rules), got "/health\\u0001"',
    ]);
  });

  it('enforces a required oneof (validate.required)', () => {
    expect(errors(ROUTE_ACTION, { timeout: '1s' })).toEqual([
      '(root): one of cluster, cluster_header, weighted_clusters, cluster_specifier_plugin, inline_cluster_specifier_plugin is required (oneof cluster_specifier)',
    ]);
  });

  it('rejects two members of one oneof', () => {
    expect(errors(ROUTE_ACTION, { cluster: 'a', cluster_header: 'x-cluster' })).toEqual([
      '(root): only one of cluster, cluster_header may be set (oneof cluster_specifier)',
    ]);
  });

  it('applies a rule of a oneof member only when it is the one set', () => {
    expect(errors('envoy.config.route.v3.RouteMatch', { prefix: '/' })).toEqual([]);
    expect(errors('envoy.config.route.v3.RouteMatch', { safe_regex: null, path: '/x' })).toEqual([]);
  });

  it('warns about deprecated fields', () => {
    expect(
      check('envoy.config.route.v3.WeightedCluster', {
        clusters: [{ name: 'a', weight: 1 }],
        total_weight: 1,
      }),
    ).toEqual({
      errors: [],
      warnings: ['total_weight: deprecated field of envoy.config.route.v3.WeightedCluster'],
    });
  });

  it('rejects a config that is not an object', () => {
    expect(errors(CLUSTER, null)).toEqual(['(root): expected an object (Cluster), got null']);
    expect(errors(CLUSTER, [])).toEqual(['(root): expected an object (Cluster), got []']);
  });
});

describe('helpers', () => {
  it('jsonName is proto3 lowerCamelCase', () => {
    expect(jsonName('per_try_timeout')).toBe('perTryTimeout');
    expect(jsonName('consecutive_5xx')).toBe('consecutive5xx');
  });

  it('durationSeconds reads JSON Durations and refuses other text', () => {
    expect(durationSeconds('0.25s')).toBe(0.25);
    expect(durationSeconds('-3s')).toBe(-3);
    expect(durationSeconds('5')).toBeUndefined();
    expect(durationSeconds('1.0000000001s')).toBeUndefined();
  });
});
