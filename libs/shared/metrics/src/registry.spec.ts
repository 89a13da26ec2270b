import { createRegistry } from './registry';

describe('createRegistry', () => {
  it('puts service and version labels on every metric, process metrics included', async () => {
    const registry = createRegistry({ service: 'pinger', version: 'v2' });
    const text = await registry.metrics();
    expect(text).toContain('nodejs_heap_size_used_bytes{service="pinger",version="v2"}');
  });

  it('leaves out the default gauges named like counters, which promtool rejects', async () => {
    const text = await createRegistry({ service: 'pinger', version: 'v2' }).metrics();
    expect(text).not.toMatch(/^nodejs_active_\w+_total/m);
    expect(text).toMatch(/^# TYPE nodejs_active_handles gauge/m);
  });

  it('can leave out process metrics', async () => {
    const registry = createRegistry({ service: 'pinger', version: 'v2' }, { processMetrics: false });
    expect(await registry.metrics()).not.toContain('process_');
  });
});
