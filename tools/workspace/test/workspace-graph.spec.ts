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
    expect(names).toEqual(
      expect.arrayContaining([...SERVICES, 'metrics', 'process', 'testing', 'service-runtime']),
    );
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
  jest.setTimeout(120_000);

  interface Probe {
    /** Where the source text is linted as if it were, relative to the repository. */
    file: string;
    code: string;
  }

  /**
   * Runs in one child process (the project graph is read once): lints each probe with the repo's
   * real ESLint config from the probe's project folder, as `nx run PROJECT:lint` does, and prints
   * the module-boundary messages of each.
   */
  const LINT_PROBES = `
    const { ESLint } = require('eslint');
    const path = require('node:path');
    (async () => {
      const probes = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
      const results = [];
      for (const { projectRoot, file, code } of probes) {
        const eslint = new ESLint({ cwd: path.resolve(projectRoot) });
        const [result] = await eslint.lintText(code, { filePath: path.resolve(file) });
        results.push(result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message));
      }
      process.stdout.write(JSON.stringify(results));
    })();
  `;

  async function boundaryErrors(probes: Probe[]): Promise<Map<string, string[]>> {
    const projects = (await workspaceProjects()).filter((project) => project.root !== '.');
    const located = probes.map((probe) => {
      const project = projects
        .filter((candidate) => probe.file.startsWith(`${candidate.root}/`))
        .sort((a, b) => b.root.length - a.root.length)[0];
      if (!project) throw new Error(`no project holds ${probe.file}`);
      return { ...probe, projectRoot: project.root };
    });
    const output = execFileSync(process.execPath, ['-e', LINT_PROBES], {
      cwd: root,
      input: JSON.stringify(located),
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false' },
    });
    const results = JSON.parse(output) as string[][];
    return new Map(probes.map((probe, index) => [`${probe.file} ${probe.code}`, results[index] ?? []]));
  }

  const importsApp = (up: string) =>
    `import { loadPingerConfig } from '${up}apps/pinger/src/config';\nexport const x = loadPingerConfig;\n`;
  const importsMetrics =
    "import { createRegistry } from '@learnathon/metrics';\nexport const x = createRegistry;\n";
  const importsTesting =
    "import { captureLogs } from '@learnathon/testing';\nexport const x = captureLogs;\n";
  const ONLY_UTIL = 'can only depend on libs tagged with "type:util"';

  const forbiddenTesting = [
    'apps/details/src/boundary-probe.ts',
    'libs/shared/service-runtime/src/boundary-probe.ts',
    'tools/local-stack/src/boundary-probe.ts',
    'tools/images/src/build-probe.ts',
  ];
  const allowedTesting = [
    'apps/details/src/boundary-probe.spec.ts',
    'libs/shared/service-runtime/src/boundary-probe.spec.ts',
    'apps/stack-e2e/src/support/boundary-probe.ts',
    'k8s/test/boundary-probe.ts',
    'tools/bench/src/boundary-probe.ts',
    'tools/images/src/smoke.ts',
  ];
  const probes: Probe[] = [
    { file: 'apps/details/src/boundary-probe.ts', code: importsApp('../../../') },
    { file: 'libs/shared/metrics/src/boundary-probe.ts', code: importsApp('../../../../') },
    { file: 'apps/details/src/boundary-probe.ts', code: importsMetrics },
    ...[...forbiddenTesting, ...allowedTesting].map((file) => ({ file, code: importsTesting })),
  ];
  let errors: Map<string, string[]>;
  beforeAll(async () => {
    errors = await boundaryErrors(probes);
  });
  const errorsOf = (file: string, code: string) => errors.get(`${file} ${code}`);

  it('forbids an app importing another app', () => {
    expect(errorsOf('apps/details/src/boundary-probe.ts', importsApp('../../../'))?.length).toBeGreaterThan(
      0,
    );
  });

  it('forbids a library importing an app', () => {
    expect(
      errorsOf('libs/shared/metrics/src/boundary-probe.ts', importsApp('../../../../'))?.length,
    ).toBeGreaterThan(0);
  });

  it('allows an app importing a shared library', () => {
    expect(errorsOf('apps/details/src/boundary-probe.ts', importsMetrics)).toEqual([]);
  });

  it.each(forbiddenTesting)('forbids production code importing the testing library: %s', (file) => {
    expect(errorsOf(file, importsTesting)).toEqual([expect.stringContaining(ONLY_UTIL)]);
  });

  it.each(allowedTesting)('allows tests and test harnesses importing the testing library: %s', (file) => {
    expect(errorsOf(file, importsTesting)).toEqual([]);
  });
});
