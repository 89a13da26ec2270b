import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderCodeowners } from '../src/codeowners';
import { CODEOWNERS_PATH, readTeams, workspaceProjects } from '../src/codeowners-cli';

/** These tests read the real Nx project graph of this repository; they guard its shape, not a fixture. */
const root = path.resolve(__dirname, '../../..');
const nxBin = path.join(root, 'node_modules/.bin/nx');
const SERVICES = ['details', 'frontend', 'pinger'];

function affectedBy(file: string): string[] {
  const output = execFileSync(nxBin, ['show', 'projects', '--affected', `--files=${file}`, '--json'], {
    cwd: root,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    encoding: 'utf8',
  });
  return (JSON.parse(output) as string[]).sort();
}

describe('workspace graph', () => {
  jest.setTimeout(60_000);

  it('lists the three apps and the shared libraries', async () => {
    const names = (await workspaceProjects()).map((project) => project.name);
    expect(names).toEqual(expect.arrayContaining([...SERVICES, 'metrics', 'service-runtime']));
  });

  it('a change in the metrics library affects every service', () => {
    expect(affectedBy('libs/shared/metrics/src/registry.ts')).toEqual(expect.arrayContaining(SERVICES));
  });

  it('a change in apps/details affects details and no other service or library', () => {
    const affected = affectedBy('apps/details/src/main.ts');
    expect(affected).toContain('details');
    const others = affected.filter((name) => name !== 'details');
    // Only projects that run the built stack may follow: the end-to-end tests, the local stack
    // runner, the live dashboard checks in k8s, and the image smoke test.
    expect(others.filter((name) => !['stack-e2e', 'local-stack', 'k8s', 'images'].includes(name))).toEqual(
      [],
    );
    expect(others).not.toEqual(expect.arrayContaining(['frontend']));
    expect(others).not.toEqual(expect.arrayContaining(['pinger']));
  });

  it('.github/CODEOWNERS matches the project tags (regenerate with `npm run codeowners`)', async () => {
    const expected = renderCodeowners(await workspaceProjects(), readTeams(root));
    expect(readFileSync(path.join(root, CODEOWNERS_PATH), 'utf8')).toBe(expected);
  });
});

describe('package-lock.json', () => {
  it('has an entry for every optional platform binary, so `npm ci` accepts it on any machine', () => {
    const result = spawnSync(
      process.execPath,
      [path.join(root, 'tools/setup/complete-lockfile.mjs'), '--check'],
      { encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('module boundaries', () => {
  jest.setTimeout(60_000);

  /** Lints source text as if it were at `filePath`, with the repo's real ESLint config, in a child process. */
  async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
    let output: string;
    try {
      output = execFileSync(
        path.join(root, 'node_modules/.bin/eslint'),
        ['--stdin', '--stdin-filename', filePath, '--format', 'json'],
        {
          cwd: root,
          input: code,
          encoding: 'utf8',
          env: { ...process.env, NX_DAEMON: 'false' },
        },
      );
    } catch (error) {
      output = (error as { stdout: string }).stdout; // eslint exits 1 when it reports errors
    }
    const [result] = JSON.parse(output) as Array<{
      messages: Array<{ ruleId: string | null; message: string }>;
    }>;
    return (result?.messages ?? [])
      .filter((m) => m.ruleId === '@nx/enforce-module-boundaries')
      .map((m) => m.message);
  }

  it('forbids an app importing another app', async () => {
    const errors = await boundaryErrors(
      'apps/details/src/boundary-probe.ts',
      "import { loadPingerConfig } from '../../pinger/src/config';\nexport const x = loadPingerConfig;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('forbids a library importing an app', async () => {
    const errors = await boundaryErrors(
      'libs/shared/metrics/src/boundary-probe.ts',
      "import { loadPingerConfig } from '../../../../apps/pinger/src/config';\nexport const x = loadPingerConfig;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('allows an app importing a shared library', async () => {
    const errors = await boundaryErrors(
      'apps/details/src/boundary-probe.ts',
      "import { createRegistry } from '@learnathon/metrics';\nexport const x = createRegistry;\n",
    );
    expect(errors).toEqual([]);
  });
});
