import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const esbuild = path.join(root, 'node_modules/.bin/esbuild');
let script: string;

beforeAll(() => {
  script = path.join(root, 'tmp', `cluster-cli-${process.pid}.js`);
  execFileSync(esbuild, [
    path.join(__dirname, 'main.ts'),
    '--bundle',
    '--platform=node',
    '--format=cjs',
    `--outfile=${script}`,
    '--log-level=error',
  ]);
});
afterAll(() => rmSync(script, { force: true }));

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    timeout: 10_000,
    env: { PATH: process.env['PATH'] ?? '' },
  });

describe('cluster CLI', () => {
  it('prints the whole plan with --dry-run, without running anything', () => {
    const result = cli('up', '--dry-run', '--overlay', 'base', '--name', 'demo');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('kind create cluster --name demo');
    expect(result.stdout).toContain('kind version   (v0.29.0 or later)');
    expect(result.stdout).toContain('ports 8080, 3000 free on 127.0.0.1');
    expect(result.stdout).toContain('write tmp/cluster/demo/kustomization.yaml:');
    expect(result.stdout).toContain('- ../../../k8s/overlays/base');
    expect(result.stdout).toContain('kubectl --context kind-demo apply -k tmp/cluster/demo');
    expect(result.stdout).toContain('kubectl --context kind-demo -n learnathon rollout status deployment');
    expect(result.stdout).toContain('http://localhost:8080/');
  });

  it.each(['mesh', 'canary-50'])(
    'plans `up --overlay %s`: every image built and loaded, the sidecar moved to this commit, Grafana',
    (overlay) => {
      const result = cli('up', '--dry-run', '--overlay', overlay, '--name', 'demo');
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('npx nx run-many -t kind-load --cluster-name=demo');
      expect(result.stdout).toContain(`- ../../../k8s/overlays/${overlay}`);
      expect(result.stdout).toMatch(/name: learnathon\/envoy-sidecar:dev\n\s+newTag: [0-9a-f]{12}/);
      expect(result.stdout).toContain('create secret generic grafana-admin');
    },
  );

  it.each([
    [['sideways'], "expected up, down or password, got 'sideways'"],
    [[], "expected up, down or password, got ''"],
    [['up', '--overlay', 'mesh-ish'], "(the directories of k8s/overlays), got 'mesh-ish'"],
    [['up', '--engine', 'lxc'], "--engine must be docker or podman, got 'lxc'"],
    [['up', '--name', 'Bad_Name'], '--name must be a lowercase DNS label'],
    [['up', '--colour'], "Unknown option '--colour'"],
  ])('refuses %j with a clear message and exit 2', (args, message) => {
    const result = cli(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
