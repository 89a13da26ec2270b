import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/dashboard';

/**
 * The Prometheus datasource the grafana component provisions (its datasources.yaml gives it this
 * uid), so every panel names it rather than relying on Grafana's default.
 */
export const PROMETHEUS: Readonly<DataSourceRef> = Object.freeze({ type: 'prometheus', uid: 'prometheus' });
