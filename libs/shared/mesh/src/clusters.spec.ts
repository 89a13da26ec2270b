import {
  ENVOY_ADMIN_CLUSTER,
  envoyAdminCluster,
  JAEGER_CLUSTER,
  jaegerCluster,
  LOCAL_APP_CLUSTER,
  localAppCluster,
  upstreamCluster,
  type ClusterJson,
} from './clusters';
import { envoySchema } from './proto-schema';
import { checkAgainstSchema } from './validate-schema';

const schemaErrors = (cluster: ClusterJson) =>
  checkAgainstSchema(envoySchema(), 'envoy.config.cluster.v3.Cluster', cluster).errors;

const endpointOf = (cluster: ClusterJson) =>
  cluster.load_assignment?.endpoints?.[0]?.lb_endpoints?.[0]?.endpoint?.address?.socket_address;

describe('clusters', () => {
  const pinger = upstreamCluster({
    name: 'pinger-v2',
    host: 'pinger-v2-service.learnathon.svc.cluster.local',
    port: 3000,
  });

  it('are valid Envoy v3 Clusters', () => {
    for (const cluster of [localAppCluster(), envoyAdminCluster(), jaegerCluster(), pinger]) {
      expect(schemaErrors(cluster)).toEqual([]);
    }
  });

  it('reach the app and admin on loopback under stable names', () => {
    expect([localAppCluster().name, envoyAdminCluster().name]).toEqual([
      LOCAL_APP_CLUSTER,
      ENVOY_ADMIN_CLUSTER,
    ]);
    expect(endpointOf(localAppCluster())).toEqual({ address: '127.0.0.1', port_value: 8080 });
    expect(endpointOf(envoyAdminCluster())).toEqual({ address: '127.0.0.1', port_value: 9901 });
  });

  it('keep the inbound cluster free of breakers, outlier detection and retry budgets of ours', () => {
    expect(localAppCluster()).not.toHaveProperty('circuit_breakers');
    expect(localAppCluster()).not.toHaveProperty('outlier_detection');
  });

  it('resolve an upstream Service by DNS, with a retry budget, breakers and outlier detection', () => {
    expect(pinger).toMatchObject({ name: 'pinger-v2', type: 'STRICT_DNS' });
    expect(endpointOf(pinger)).toEqual({
      address: 'pinger-v2-service.learnathon.svc.cluster.local',
      port_value: 3000,
    });
    const thresholds = pinger.circuit_breakers?.thresholds?.[0];
    expect(thresholds?.retry_budget).toEqual({ budget_percent: { value: 20 }, min_retry_concurrency: 3 });
    expect(thresholds?.max_requests).toBeGreaterThan(0);
    expect(pinger.outlier_detection?.consecutive_5xx).toBeGreaterThan(0);
  });

  it('talk HTTP/2 to Jaeger, as OTLP/gRPC needs', () => {
    const jaeger = jaegerCluster();
    expect(jaeger.name).toBe(JAEGER_CLUSTER);
    expect(endpointOf(jaeger)).toEqual({ address: 'jaeger.monitoring.svc.cluster.local', port_value: 4317 });
    expect(JSON.stringify(jaeger.typed_extension_protocol_options)).toContain('http2_protocol_options');
  });
});
