import {
  DashboardBuilder,
  type Dashboard,
  type Panel,
  type RowBuilder,
  type RowPanel,
} from '@grafana/grafana-foundation-sdk/dashboard';
import type { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

export const GENERATE_COMMAND = 'npx nx run dashboards:generate';

/** A row header and the panels under it, added to a dashboard in this order. */
export interface Section {
  row: RowBuilder;
  panels: PanelBuilder[];
}

export interface DashboardOptions {
  uid: string;
  title: string;
  /** Besides `learnathon`, which every dashboard of the project carries. */
  tags: readonly string[];
}

/** What every dashboard of the project shares: the last 30 minutes, refreshed every 10 s, read-only. */
export function newDashboard({ uid, title, tags }: DashboardOptions): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(uid)
    .tags(['learnathon', ...tags])
    .time({ from: 'now-30m', to: 'now' })
    .refresh('10s')
    .timezone('browser')
    .readonly();
}

/** Adds a row header and its panels; the dashboard places the panels two by two under it. */
export function withSection(dashboard: DashboardBuilder, { row, panels }: Section): DashboardBuilder {
  dashboard.withRow(row);
  for (const panel of panels) dashboard.withPanel(panel);
  return dashboard;
}

/** The note that makes a generated file say so: JSON has no comments, so it is the description. */
export const generatedNote = (source: string): string =>
  `Generated from ${source} by \`${GENERATE_COMMAND}\`: edit the TypeScript and regenerate; a test fails when this file drifts.`;

type AnyPanel = Panel | RowPanel;

/** Grafana wants unique panel ids; numbering them in layout order keeps the output stable. */
function numberPanels(panels: readonly AnyPanel[]): AnyPanel[] {
  let next = 1;
  const number = (panel: AnyPanel): AnyPanel => {
    const id = next++;
    if (panel.type !== 'row') return { ...panel, id };
    const row = panel as RowPanel;
    return { ...row, id, panels: (row.panels ?? []).map((inner) => number(inner) as Panel) };
  };
  return panels.map(number);
}

/** The committed JSON of a dashboard: the generated note first, panels numbered, two-space indented. */
export function renderDashboard(dashboard: Dashboard, source: string): string {
  const { description, panels, ...rest } = dashboard;
  const note = [generatedNote(source), description].filter(Boolean).join(' ');
  return `${JSON.stringify({ description: note, ...rest, panels: numberPanels(panels ?? []) }, null, 2)}\n`;
}
