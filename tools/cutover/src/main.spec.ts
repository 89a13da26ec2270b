import { freePort } from '@learnathon/process';
import { load } from 'js-yaml';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startApiServerStandIn, type ApiServerStandIn } from '../test/api-server-stand-in';
import { USAGE } from './args';

/**
 * The CLI as users run it: `npx cutover` is the committed launcher (bin/cutover.cjs), which bundles
 * the CLI on first use. Cluster calls go to the stand-in API server (test/api-server-stand-in.ts,
 * standing in for a Kubernetes API server) through a kubeconfig file, as kubectl's would.
 */
const launcher = path.resolve(__dirname, '../bin/cutover.cjs');
let workDir: string;
let api: ApiServerStandIn | undefined;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cutover(args: string[], kubeconfig = path.join(workDir, 'kubeconfig')): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [launcher, ...args],
      { env: { PATH: process.env['PATH'] ?? '', KUBECONFIG: kubeconfig, HOME: workDir } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

async function kubeconfigFor(server: string): Promise<string> {
  const file = path.join(workDir, 'kubeconfig');
  await writeFile(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: stand-in, cluster: {server: "${server}", insecure-skip-tls-verify: true}}]`,
      'users: [{name: tester, user: {token: stand-in-token}}]',
      'contexts: [{name: stand-in, context: {cluster: stand-in, user: tester}}]',
      'current-context: stand-in',
      '',
    ].join('\n'),
  );
  return file;
}

const k8s = path.resolve(__dirname, '../../../k8s');
/** envoy.json of a committed (generated) ConfigMap. */
const committed = (file: string): string =>
  (load(readFileSync(path.join(k8s, file), 'utf8')) as { data: Record<string, string> }).data[
    'envoy.json'
  ] as string;
/** The frontend config of the mesh overlay (all pinger traffic on v1), as committed. */
const meshOverlayConfig = () => committed('components/mesh/envoy/frontend.yaml');
const MOVE = ['--service', 'pinger', '--from', 'pinger-v1', '--to', 'pinger-v2'];

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'cutover-cli-'));
  // The first run bundles the CLI; the rest reuse the bundle.
  await cutover(['--help']);
}, 120_000);

afterEach(async () => {
  await api?.stop();
  api = undefined;
});
afterAll(async () => rm(workDir, { recursive: true, force: true }));

it('--help documents every option and exits 0', async () => {
  const run = await cutover(['--help']);
  expect(run).toEqual({ code: 0, stdout: `${USAGE}\n`, stderr: '' });
});

it('a dry run at weight 50 prints exactly the canary-50 frontend config, with the diff on stderr, and writes nothing', async () => {
  api = await startApiServerStandIn({ config: meshOverlayConfig() });
  await kubeconfigFor(api.url);
  const run = await cutover([...MOVE, '--weight', '50', '--dry-run']);
  expect(run.code).toBe(0);
  expect(run.stdout).toBe(committed('overlays/canary-50/envoy-frontend.yaml'));
  expect(run.stderr).toMatch(/^--- ConfigMap envoy-frontend\n\+\+\+ step 1 \(pinger-v2 50%\)\n/);
  expect(api.writes()).toEqual([]);
});

it('applies one step and records it on the ConfigMap', async () => {
  api = await startApiServerStandIn({ config: meshOverlayConfig() });
  await kubeconfigFor(api.url);
  const run = await cutover([...MOVE, '--weight', '5', '--json']);
  expect(run.code).toBe(0);
  expect(api.config()).toBe(committed('overlays/canary-5/envoy-frontend.yaml'));
  const summary = JSON.parse(run.stdout.trim().split('\n').pop() as string);
  expect(summary).toMatchObject({
    event: 'summary',
    outcome: 'applied',
    weight: 5,
    split: { 'pinger-v1': 95, 'pinger-v2': 5 },
  });
  expect(api.annotations()['cutover.learnathon.dev/changed-by']).toMatch(/\(kube user tester\)$/);
});

describe('bad input exits non-zero and applies nothing', () => {
  // The rest of the bad input is covered in process by args.spec.ts and rollout.spec.ts.
  it('a weight outside 0..100 exits 2 before talking to the cluster', async () => {
    api = await startApiServerStandIn({ config: meshOverlayConfig() });
    await kubeconfigFor(api.url);
    const run = await cutover([...MOVE, '--weight', '101']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--weight must be whole percentages from 0 to 100, got '101'/);
    expect(api.calls).toEqual([]);
  });

  it('an unknown service exits 2', async () => {
    api = await startApiServerStandIn({ config: meshOverlayConfig() });
    await kubeconfigFor(api.url);
    const run = await cutover(['--service', 'cart', '--from', 'cart-v1', '--to', 'cart-v2', '--weight', '5']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /--service cart: the mesh splits traffic by version only for pinger; nothing applied/,
    );
    expect(api.writes()).toEqual([]);
  });

  it('missing permissions exit 3', async () => {
    api = await startApiServerStandIn({ config: meshOverlayConfig(), denied: ['update configmaps'] });
    await kubeconfigFor(api.url);
    const run = await cutover([...MOVE, '--weight', '5']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /tester may not, in namespace 'learnathon': update configmaps envoy-frontend; nothing applied/,
    );
    expect(api.writes()).toEqual([]);
  });

  it('an unreachable cluster exits 3', async () => {
    const port = await freePort();
    await kubeconfigFor(`http://127.0.0.1:${port}`);
    const run = await cutover([...MOVE, '--weight', '5']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      new RegExp(
        `cannot reach the Kubernetes API at http://127.0.0.1:${port} \\(ECONNREFUSED\\); nothing applied`,
      ),
    );
  });

  it('an unreachable Prometheus stops a plan before the first write (exit 3)', async () => {
    api = await startApiServerStandIn({ config: meshOverlayConfig() });
    await kubeconfigFor(api.url);
    const prometheus = `http://127.0.0.1:${await freePort()}`;
    const run = await cutover([...MOVE, '--steps', '5,100', '--interval', '10s', '--prometheus', prometheus]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(`cannot reach Prometheus at ${prometheus} (ECONNREFUSED); nothing applied`);
    expect(api.writes()).toEqual([]);
  });
});
