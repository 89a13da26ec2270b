import { createHttpClientMetrics } from './http-client-metrics';
import { LATENCY_BUCKETS } from './http-server-metrics';
import { createRegistry } from './registry';

describe('HTTP client metrics', () => {
  it('time calls by upstream, method and status, network errors by their code', async () => {
    const registry = createRegistry({ service: 'frontend', version: 'v1' }, { processMetrics: false });
    const client = createHttpClientMetrics(registry);
    client.observe({ upstream: 'pinger', method: 'GET', status_code: '200' }, 0.004);
    client.observe({ upstream: 'pinger', method: 'GET', status_code: 'ECONNREFUSED' }, 0.001);
    const text = await registry.metrics();
    const count = (status_code: string) =>
      `http_client_request_duration_seconds_count{service="frontend",version="v1",upstream="pinger",method="GET",status_code="${status_code}"}`;
    expect(text).toContain(`${count('200')} 1\n`);
    expect(text).toContain(`${count('ECONNREFUSED')} 1\n`);
  });

  it('share the server histogram buckets, so both sides of a call compare bucket by bucket', async () => {
    const registry = createRegistry({ service: 'frontend', version: 'v1' }, { processMetrics: false });
    createHttpClientMetrics(registry).observe(
      { upstream: 'details', method: 'POST', status_code: '201' },
      0.01,
    );
    const text = await registry.metrics();
    const bounds = [...text.matchAll(/^http_client_request_duration_seconds_bucket\{le="([^"]+)"/gm)].map(
      (match) => match[1],
    );
    expect(bounds).toEqual([...LATENCY_BUCKETS.map(String), '+Inf']);
  });
});
