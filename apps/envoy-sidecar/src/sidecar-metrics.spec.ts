import { Registry } from 'prom-client';
import { SidecarMetrics } from './sidecar-metrics';

describe('SidecarMetrics', () => {
  it('counts reloads by result, starting every result at 0', async () => {
    const registry = new Registry();
    const metrics = new SidecarMetrics(registry);
    metrics.reloaded('invalid');
    metrics.reloaded('invalid');
    const text = await registry.metrics();
    expect(text).toContain('envoy_sidecar_reloads_total{result="applied"} 0');
    expect(text).toContain('envoy_sidecar_reloads_total{result="invalid"} 2');
    expect(text).toContain('envoy_sidecar_reloads_total{result="failed"} 0');
  });

  it('exposes the epoch and exactly one config_info series, for the hash in force', async () => {
    const registry = new Registry();
    const metrics = new SidecarMetrics(registry);
    metrics.inForce(0, 'aaa');
    metrics.inForce(1, 'bbb');
    const text = await registry.metrics();
    expect(text).toContain('envoy_sidecar_restart_epoch 1');
    expect(text).toContain('envoy_sidecar_config_info{hash="bbb"} 1');
    expect(text).not.toContain('hash="aaa"');
  });
});
