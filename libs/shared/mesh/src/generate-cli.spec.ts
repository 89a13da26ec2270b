import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTempDir } from '@learnathon/testing';
import { GENERATED_CONFIGMAPS, renderConfigMap } from './configmaps';
import { runGenerateCli } from './generate-cli';

describe('generate CLI', () => {
  const root = useTempDir('mesh-generate');
  let out: string[];
  let err: string[];
  const run = (...args: string[]) =>
    runGenerateCli(args, root(), { out: (line) => out.push(line), err: (line) => err.push(line) });

  beforeEach(() => {
    out = [];
    err = [];
  });

  it('writes every ConfigMap under the given root', () => {
    expect(run()).toBe(0);
    expect(out).toEqual(GENERATED_CONFIGMAPS.map((entry) => `wrote ${entry.path}`));
    for (const entry of GENERATED_CONFIGMAPS) {
      expect(readFileSync(join(root(), entry.path), 'utf8')).toBe(renderConfigMap(entry));
    }
  });

  it('--check passes on what it wrote and writes nothing', () => {
    run();
    out = [];
    expect(run('--check')).toBe(0);
    expect([out, err]).toEqual([[], []]);
  });

  it('--check fails on a changed or a missing file, naming it', () => {
    run();
    const [first, second] = GENERATED_CONFIGMAPS;
    writeFileSync(join(root(), first?.path ?? ''), 'edited by hand\n');
    unlinkSync(join(root(), second?.path ?? ''));
    expect(run('--check')).toBe(1);
    expect(err).toEqual([
      `${first?.path}: out of date; run npx nx run mesh:generate`,
      `${second?.path}: missing; run npx nx run mesh:generate`,
    ]);
  });

  it('finds the committed ConfigMaps up to date (else run npx nx run mesh:generate)', () => {
    const workspaceRoot = join(__dirname, '../../../..');
    const result = runGenerateCli(['--check'], workspaceRoot, {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });
    expect(err).toEqual([]);
    expect(result).toBe(0);
  });

  it('refuses unknown arguments', () => {
    expect(run('--force')).toBe(2);
    expect(err).toEqual(['unknown argument --force\nusage: generate-cli [--check]']);
  });
});
