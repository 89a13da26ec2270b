import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GENERATE_COMMAND } from './dashboard';
import { DASHBOARD_OUTPUTS, renderOutput } from './outputs';

const root = path.resolve(__dirname, '../../..');

describe('the committed dashboard JSON', () => {
  it.each(DASHBOARD_OUTPUTS.map((output) => [output.file, output] as const))(
    '%s is what the generator writes (regenerate with `npx nx run dashboards:generate`)',
    (_file, output) => {
      expect(readFileSync(path.join(root, output.file), 'utf8')).toBe(renderOutput(output));
    },
  );

  it('says in every file that it is generated, and by which command', () => {
    for (const output of DASHBOARD_OUTPUTS)
      expect((JSON.parse(renderOutput(output)) as { description: string }).description).toContain(
        `from ${output.source} by \`${GENERATE_COMMAND}\``,
      );
  });

  it('gives each dashboard its own uid and title, and each file its own path', () => {
    const built = DASHBOARD_OUTPUTS.map((output) => output.build());
    for (const values of [
      built.map((dashboard) => dashboard.uid),
      built.map((dashboard) => dashboard.title),
      DASHBOARD_OUTPUTS.map((output) => output.file),
    ])
      expect(new Set(values).size).toBe(DASHBOARD_OUTPUTS.length);
  });

  it('names source files that exist', () => {
    for (const output of DASHBOARD_OUTPUTS)
      expect(() => readFileSync(path.join(root, output.source))).not.toThrow();
  });
});
