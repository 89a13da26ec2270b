import { createRegistry } from '@learnathon/metrics';
import { createProbeMetrics } from './probe-metrics';

describe('probe metrics', () => {
  it('count probes by target and result and track the number of targets', async () => {
    const registry = createRegistry({ service: 'pinger', version: 'v1' }, { processMetrics: false });
    const probe = createProbeMetrics(registry);
    probe.probes.inc({ target: 'http://a/', result: 'success' });
    probe.probes.inc({ target: 'http://a/', result: 'failure' });
    probe.duration.observe({ target: 'http://a/' }, 0.02);
    probe.targets.set(3);
    const text = await registry.metrics();
    // prom-client's own label order, which differs between counters and histogram buckets.
    const identity = 'service="pinger",version="v1"';
    expect(text).toContain(`pinger_probes_total{target="http://a/",result="success",${identity}} 1\n`);
    expect(text).toContain(`pinger_probes_total{target="http://a/",result="failure",${identity}} 1\n`);
    expect(text).toContain(
      `pinger_probe_duration_seconds_bucket{le="0.01",${identity},target="http://a/"} 0\n`,
    );
    expect(text).toContain(
      `pinger_probe_duration_seconds_bucket{le="0.025",${identity},target="http://a/"} 1\n`,
    );
    expect(text).toContain(`pinger_targets{${identity}} 3\n`);
  });
});
