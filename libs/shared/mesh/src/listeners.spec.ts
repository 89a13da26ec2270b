import { ACCESS_LOG_FORMAT, httpConnectionManager, httpListener, type HttpListenerSpec } from './listeners';
import { envoySchema } from './proto-schema';
import { inboundRouteConfig } from './routes';
import { checkAgainstSchema } from './validate-schema';

const SPEC: HttpListenerSpec = {
  name: 'inbound',
  address: '0.0.0.0',
  port: 3000,
  direction: 'INBOUND',
  statPrefix: 'inbound',
  routeConfig: inboundRouteConfig(),
  accessLog: true,
};

describe('HTTP listeners', () => {
  it('are valid Envoy v3 Listeners, with or without tracing and access logs', () => {
    const variants = [
      SPEC,
      { ...SPEC, tracingServiceName: 'pinger-v1-sidecar' },
      { ...SPEC, accessLog: false },
    ];
    for (const spec of variants) {
      expect(
        checkAgainstSchema(envoySchema(), 'envoy.config.listener.v3.Listener', httpListener(spec)).errors,
      ).toEqual([]);
    }
  });

  it('bind where they are told and carry the traffic direction', () => {
    expect(httpListener(SPEC)).toMatchObject({
      name: 'inbound',
      address: { socket_address: { address: '0.0.0.0', port_value: 3000 } },
      traffic_direction: 'INBOUND',
    });
  });

  it('end in the router filter with its @type (an empty typed_config is rejected since Envoy 1.22)', () => {
    expect(httpConnectionManager(SPEC).http_filters).toEqual([
      {
        name: 'envoy.filters.http.router',
        typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' },
      },
    ]);
  });

  it('log JSON to stdout with request id, route, cluster, status, duration, bytes and traceparent', () => {
    const [log] = httpConnectionManager(SPEC).access_log ?? [];
    expect(log?.typed_config?.['@type']).toBe(
      'type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog',
    );
    expect(JSON.stringify(log)).toContain('"json_format"');
    expect(Object.values(ACCESS_LOG_FORMAT)).toEqual(
      expect.arrayContaining([
        '%REQ(X-REQUEST-ID)%',
        '%ROUTE_NAME%',
        '%UPSTREAM_CLUSTER%',
        '%RESPONSE_CODE%',
        '%DURATION%',
        '%BYTES_RECEIVED%',
        '%BYTES_SENT%',
        '%REQ(TRACEPARENT)%',
      ]),
    );
    expect(httpConnectionManager({ ...SPEC, accessLog: false })).not.toHaveProperty('access_log');
  });

  it('keep the caller x-request-id untouched', () => {
    const hcm = httpConnectionManager(SPEC);
    expect(hcm.preserve_external_request_id).toBe(true);
    expect(JSON.stringify(hcm.request_id_extension)).toContain('"pack_trace_reason":false');
  });

  it('report spans to Jaeger over OTLP only when tracing is on', () => {
    expect(httpConnectionManager(SPEC)).not.toHaveProperty('tracing');
    const tracing = httpConnectionManager({ ...SPEC, tracingServiceName: 'frontend-sidecar' }).tracing;
    expect(tracing?.provider?.name).toBe('envoy.tracers.opentelemetry');
    expect(tracing?.provider?.typed_config).toMatchObject({
      '@type': 'type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig',
      grpc_service: { envoy_grpc: { cluster_name: 'jaeger-otlp' } },
      service_name: 'frontend-sidecar',
    });
  });
});
