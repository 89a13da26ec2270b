import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { builtScript, workspaceRoot } from './dist';

describe('workspaceRoot', () => {
  it('is the repository root', () => {
    expect(existsSync(path.join(workspaceRoot, 'nx.json'))).toBe(true);
  });
});

describe('builtScript', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'built-script-'));
    await mkdir(path.join(root, 'dist/apps/demo'), { recursive: true });
    await writeFile(path.join(root, 'dist/apps/demo/main.js'), '');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('is the path of a build output that exists', () => {
    expect(builtScript('apps/demo/main.js', root)).toBe(path.join(root, 'dist/apps/demo/main.js'));
  });

  it('names the missing output and the build command', () => {
    expect(() => builtScript('apps/other/main.js', root)).toThrow(
      `${path.join(root, 'dist/apps/other/main.js')} is missing: build first with \`npx nx run-many -t build\``,
    );
  });
});
