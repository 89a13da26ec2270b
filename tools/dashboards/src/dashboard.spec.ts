import { GENERATE_COMMAND, newDashboard, renderDashboard, withSection } from './dashboard';
import { row, timeseries } from './panels';

const panel = (title: string) => timeseries({ title, unit: 's', queries: [{ expr: 'up', legend: 'x' }] });

describe('renderDashboard', () => {
  const dashboard = withSection(newDashboard({ uid: 'u', title: 'T', tags: ['t'] }), {
    row: row('R'),
    panels: [panel('a'), panel('b'), panel('c')],
  }).build();
  const text = renderDashboard(dashboard, 'tools/x.ts');
  const json = JSON.parse(text) as Record<string, unknown> & {
    panels: { id: number; title: string; gridPos: object }[];
  };

  it('opens with the note that the file is generated, naming the source and the command', () => {
    expect(text.split('\n')[1]).toBe(
      `  "description": "Generated from tools/x.ts by \`${GENERATE_COMMAND}\`: edit the TypeScript and regenerate; a test fails when this file drifts.",`,
    );
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('numbers the panels in layout order and lays them out two by two under their row', () => {
    expect(json.panels.map(({ id, title, gridPos }) => [id, title, gridPos])).toEqual([
      [1, 'R', { x: 0, y: 0, w: 24, h: 1 }],
      [2, 'a', { x: 0, y: 1, w: 12, h: 8 }],
      [3, 'b', { x: 12, y: 1, w: 12, h: 8 }],
      [4, 'c', { x: 0, y: 9, w: 12, h: 8 }],
    ]);
  });

  it('is read-only, tagged learnathon, over the last 30 minutes', () => {
    expect(json).toMatchObject({
      uid: 'u',
      title: 'T',
      editable: false,
      tags: ['learnathon', 't'],
      time: { from: 'now-30m', to: 'now' },
      refresh: '10s',
    });
  });

  it('keeps a dashboard’s own description after the note', () => {
    const described = JSON.parse(renderDashboard({ ...dashboard, description: 'Mine.' }, 's.ts')) as {
      description: string;
    };
    expect(described.description).toMatch(/drifts\. Mine\.$/);
  });
});
