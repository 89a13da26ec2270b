/**
 * The lines the RED alert rules draw (prometheus alerts.yml: ServiceHighErrorRatio,
 * ServiceHighLatencyP99), drawn on the panels that show the same quantity, so a reader sees how
 * close a series is to paging someone. A test holds these to the rule file.
 */
export interface AlertThreshold {
  /** The alert rule that fires above this value. */
  alert: string;
  value: number;
}

export const ERROR_RATIO_ALERT: AlertThreshold = { alert: 'ServiceHighErrorRatio', value: 0.05 };
export const LATENCY_P99_ALERT_SECONDS: AlertThreshold = { alert: 'ServiceHighLatencyP99', value: 0.5 };

/** The same p99 line for Envoy's histograms, which count milliseconds. */
export const LATENCY_P99_ALERT_MS: AlertThreshold = {
  alert: LATENCY_P99_ALERT_SECONDS.alert,
  value: LATENCY_P99_ALERT_SECONDS.value * 1000,
};
