import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ERROR_RATIO_ALERT, LATENCY_P99_ALERT_MS, LATENCY_P99_ALERT_SECONDS } from './thresholds';

const ALERTS_FILE = path.resolve(__dirname, '../../../k8s/components/prometheus/alerts.yml');

interface RuleFile {
  groups: { rules: { alert?: string; expr: string }[] }[];
}

/** The number an alert rule compares against: the `> N` at the end of its expression. */
function alertThreshold(name: string): number {
  const rules = (load(readFileSync(ALERTS_FILE, 'utf8')) as RuleFile).groups.flatMap((group) => group.rules);
  const expr = rules.find((rule) => rule.alert === name)?.expr;
  const match = expr && />\s*([\d.]+)\s*$/.exec(expr.trim());
  if (!match) throw new Error(`${ALERTS_FILE} has no alert ${name} ending in "> number"`);
  return Number(match[1]);
}

describe('the alert thresholds drawn on panels', () => {
  it('are the numbers the alert rules fire at', () => {
    for (const threshold of [ERROR_RATIO_ALERT, LATENCY_P99_ALERT_SECONDS])
      expect([threshold.alert, threshold.value]).toEqual([threshold.alert, alertThreshold(threshold.alert)]);
  });

  it('convert the p99 line to Envoy’s milliseconds', () => {
    expect(LATENCY_P99_ALERT_MS).toEqual({ alert: 'ServiceHighLatencyP99', value: 500 });
  });

  it('fail loudly for an alert the rule file lacks', () => {
    expect(() => alertThreshold('NoSuchAlert')).toThrow('has no alert NoSuchAlert');
  });
});
