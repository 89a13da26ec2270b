import { Counter, Gauge, type Registry } from 'prom-client';

const RELOAD_RESULTS = ['applied', 'invalid', 'failed'] as const;
export type ReloadResult = (typeof RELOAD_RESULTS)[number];

/**
 * The supervisor's own metrics, scraped next to Envoy's: an alert on `invalid`/`failed` reloads
 * catches a bad ConfigMap that Envoy silently kept out, and the epoch and hash say which config
 * every pod is really serving (the cutover tool waits on the hash).
 */
export class SidecarMetrics {
  private readonly reloads: Counter<'result'>;
  private readonly epoch: Gauge;
  private readonly configInfo: Gauge<'hash'>;

  constructor(registry: Registry) {
    this.reloads = new Counter({
      name: 'envoy_sidecar_reloads_total',
      help: 'Config reloads attempted after start, by result (applied, invalid: refused by envoy --mode validate, failed: the new epoch did not come up)',
      labelNames: ['result'],
      registers: [registry],
    });
    for (const result of RELOAD_RESULTS) this.reloads.inc({ result }, 0);
    this.epoch = new Gauge({
      name: 'envoy_sidecar_restart_epoch',
      help: 'Hot-restart epoch of the Envoy serving now (0 after a container start)',
      registers: [registry],
    });
    this.configInfo = new Gauge({
      name: 'envoy_sidecar_config_info',
      help: 'Always 1, for the sha256 of the Envoy config in force',
      labelNames: ['hash'],
      registers: [registry],
    });
  }

  reloaded(result: ReloadResult): void {
    this.reloads.inc({ result });
  }

  inForce(epoch: number, hash: string): void {
    this.epoch.set(epoch);
    this.configInfo.reset();
    this.configInfo.set({ hash }, 1);
  }
}
