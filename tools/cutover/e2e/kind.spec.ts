import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';

/**
 * The kind end-to-end run can't happen here (no Docker engine, no kind): the strongest offline
 * checks are the workflow against GitHub's schema (action-validator), the script's syntax, and
 * that the workflow runs exactly the script's phases in order.
 */
const root = path.resolve(__dirname, '../../..');
const workflowFile = path.join(root, '.github/workflows/e2e-kind.yml');
const script = path.join(__dirname, 'kind.sh');
const validator = path.join(root, 'node_modules/.bin/action-validator');

it.each(['e2e-kind.yml', 'ci.yml'])('.github/workflows/%s validates against the workflow schema', (file) => {
  const result = spawnSync(validator, [path.join(root, '.github/workflows', file)], { encoding: 'utf8' });
  expect(result.stderr.replace(/WARNING: Glob validation is not yet supported.*\n/g, '')).toBe('');
  expect(result.status).toBe(0);
});

it('the script parses and names its phases', () => {
  expect(() => execFileSync('bash', ['-n', script])).not.toThrow();
  const result = spawnSync('bash', [script, 'nonsense'], { encoding: 'utf8' });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain("unknown phase 'nonsense' (up, overlays, cutover, rollback, down)");
});

it('the workflow runs every phase of the script in order, and cleans up always', () => {
  const workflow = load(readFileSync(workflowFile, 'utf8')) as {
    jobs: Record<string, { steps: Array<{ run?: string; if?: string }> }>;
  };
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const phases = steps.flatMap(
    (step) => /^tools\/cutover\/e2e\/kind\.sh (\w+)$/.exec(step.run?.trim() ?? '')?.[1] ?? [],
  );
  expect(phases).toEqual(['up', 'overlays', 'cutover', 'rollback', 'down']);
  expect(steps.find((step) => step.run?.includes('kind.sh down'))?.if).toBe('always()');
});

it('the script applies the overlays in the issue order and `npm run e2e:kind` runs it', () => {
  expect(readFileSync(script, 'utf8')).toContain(
    'for overlay in monitoring mesh canary-5 canary-50 canary-100; do',
  );
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
    bin: Record<string, string>;
  };
  expect(pkg.scripts['e2e:kind']).toBe('tools/cutover/e2e/kind.sh');
  expect(pkg.bin['cutover']).toBe('tools/cutover/bin/cutover.cjs');
});
