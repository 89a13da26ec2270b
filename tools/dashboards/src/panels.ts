import {
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
} from '@grafana/grafana-foundation-sdk/common';
import {
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  type DynamicConfigValue,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { PROMETHEUS } from './datasource';
import type { AlertThreshold } from './thresholds';

export interface Query {
  expr: string;
  legend: string;
}

export interface TimeseriesOptions {
  title: string;
  /** A Grafana unit id: reqps, percentunit, s, ms, bytes, ... */
  unit: string;
  queries: readonly Query[];
  description?: string;
  /** Draws the alert's line on the panel and names the alert in the description. */
  alert?: AlertThreshold;
  /** Fixed colours for series whose name matches a regular expression (Grafana overrides). */
  seriesColors?: Readonly<Record<string, string>>;
  /** Grid columns out of 24; two panels side by side by default. */
  width?: number;
}

export const PANEL_HEIGHT = 8;
const HALF_WIDTH = 12;
const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const fixedColor = (color: string): DynamicConfigValue[] => [
  { id: 'color', value: { mode: 'fixed', fixedColor: color } },
];

/** A time series panel over the provisioned Prometheus; the dashboard lays panels out left to right. */
export function timeseries(options: TimeseriesOptions): PanelBuilder {
  if (options.queries.length === 0) throw new Error(`panel "${options.title}" has no query`);
  if (options.queries.length > REF_IDS.length)
    throw new Error(`panel "${options.title}" has too many queries`);
  const panel = new PanelBuilder()
    .title(options.title)
    .datasource(PROMETHEUS)
    .unit(options.unit)
    .span(options.width ?? HALF_WIDTH)
    .height(PANEL_HEIGHT);
  options.queries.forEach((query, index) =>
    panel.withTarget(
      new DataqueryBuilder()
        .refId(REF_IDS[index] as string)
        .datasource(PROMETHEUS)
        .expr(query.expr)
        .legendFormat(query.legend),
    ),
  );
  const description = [options.description, options.alert && alertNote(options.alert)].filter(Boolean);
  if (description.length > 0) panel.description(description.join(' '));
  if (options.alert) {
    panel
      .thresholds(
        new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([
          { value: null, color: 'green' },
          { value: options.alert.value, color: 'red' },
        ]),
      )
      .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed));
  }
  for (const [pattern, color] of Object.entries(options.seriesColors ?? {}))
    panel.overrideByRegexp(pattern, fixedColor(color));
  return panel;
}

const alertNote = ({ alert, value }: AlertThreshold) =>
  `The dashed line is where the ${alert} alert fires (${value}, held for 5m).`;

/** A full-width, expanded row header: the panels after it belong to it. */
export const row = (title: string): RowBuilder => new RowBuilder(title);
