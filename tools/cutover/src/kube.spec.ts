import { KubeConfig } from '@kubernetes/client-node';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@learnathon/process';
import { startApiServerStandIn, type ApiServerStandIn } from '../test/api-server-stand-in';
import { ClusterError, configHash, FrontendCluster, loadKubeConfig } from './kube';

/** The Kubernetes calls against a local stand-in for the API server (see test/api-server-stand-in.ts). */
let api: ApiServerStandIn;
const cluster = () => new FrontendCluster(api.kubeConfig(), 'learnathon');

afterEach(async () => api?.stop());

it('passes the permission check when every SelfSubjectAccessReview allows, and names each missing one', async () => {
  api = await startApiServerStandIn({ config: '{"v":1}', denied: ['update configmaps', 'get pods/proxy'] });
  await expect(cluster().checkPermissions()).rejects.toThrow(
    new ClusterError(
      "tester may not, in namespace 'learnathon': update configmaps envoy-frontend; get pods/proxy",
    ),
  );
  await api.stop();
  api = await startApiServerStandIn({ config: '{"v":1}' });
  await expect(cluster().checkPermissions()).resolves.toBeUndefined();
  expect(api.calls.filter((call) => call.path.endsWith('selfsubjectaccessreviews'))).toHaveLength(6);
});

it('turns a 403 into a sentence naming the call and the user', async () => {
  api = await startApiServerStandIn({ config: '{"v":1}', forbidAll: true });
  await expect(cluster().readFrontendConfig()).rejects.toThrow(
    /^reading ConfigMap envoy-frontend: forbidden for tester \(forbidden: User "tester"/,
  );
});

it('names an unreachable API server', async () => {
  const port = await freePort();
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'gone', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'tester' }],
    contexts: [{ name: 'gone', cluster: 'gone', user: 'tester' }],
    currentContext: 'gone',
  });
  await expect(new FrontendCluster(kubeConfig, 'learnathon').checkPermissions()).rejects.toThrow(
    `checking permissions (SelfSubjectAccessReview): cannot reach the Kubernetes API at http://127.0.0.1:${port} (ECONNREFUSED)`,
  );
});

it('updates the ConfigMap at the resourceVersion it read, with the annotations asked for', async () => {
  api = await startApiServerStandIn({ config: '{"v":1}' });
  const result = await cluster().updateFrontendConfig(() => ({
    text: '{"v":2}',
    annotations: { 'cutover.learnathon.dev/change': 'x' },
  }));
  expect(result).toEqual({ text: '{"v":2}', attempts: 1 });
  expect(api.config()).toBe('{"v":2}');
  expect(api.annotations()).toEqual({ 'cutover.learnathon.dev/change': 'x' });
  const put = api.writes()[0]?.body as { metadata: { resourceVersion: string } };
  expect(put.metadata.resourceVersion).toBe('1');
});

it('on 409 re-reads and renders again from the fresh data, never overwriting the other write', async () => {
  api = await startApiServerStandIn({ config: '{"v":1}' });
  api.conflictNextWrites(2, (config) => config.replace('}', ',"other":true}'));
  const seen: string[] = [];
  const result = await cluster().updateFrontendConfig((current) => {
    seen.push(current.text);
    return { text: current.text.replace('"v":1', '"v":2'), annotations: {} };
  });
  expect(result.attempts).toBe(3);
  expect(seen).toEqual(['{"v":1}', '{"v":1,"other":true}', '{"v":1,"other":true,"other":true}']);
  expect(api.config()).toBe('{"v":2,"other":true,"other":true}');
});

it('gives up with a clear error when the ConfigMap keeps changing under it', async () => {
  api = await startApiServerStandIn({ config: '{"v":1}' });
  api.conflictNextWrites(10);
  await expect(cluster().updateFrontendConfig(() => ({ text: '{"v":2}', annotations: {} }))).rejects.toThrow(
    /changed under us 5 times in a row \(409 Conflict\)/,
  );
  expect(api.config()).toBe('{"v":1}');
});

it('tells an existing Service from a missing one', async () => {
  api = await startApiServerStandIn({ config: '{}', services: ['pinger-v2-service'] });
  await expect(cluster().serviceExists('pinger-v2-service')).resolves.toBe(true);
  await expect(cluster().serviceExists('pinger-v3-service')).resolves.toBe(false);
});

it('lists the frontend pods, reads each sidecar hash through the pod proxy, and nudges a pod with an annotation', async () => {
  api = await startApiServerStandIn({
    config: '{"v":1}',
    pods: ['frontend-b', 'frontend-a'],
    kubeletDelayPolls: 100,
  });
  const frontend = cluster();
  expect(await frontend.frontendPods()).toEqual(['frontend-a', 'frontend-b']);
  expect(await frontend.podConfigHash('frontend-a')).toBe(configHash('{"v":1}'));
  await frontend.updateFrontendConfig(() => ({ text: '{"v":2}', annotations: {} }));
  expect(await frontend.podConfigHash('frontend-a')).toBe(configHash('{"v":1}'));
  await frontend.nudgePod('frontend-a', configHash('{"v":2}'));
  expect(api.podAnnotations('frontend-a')).toEqual({
    'cutover.learnathon.dev/wanted-config-hash': configHash('{"v":2}'),
  });
  expect(await frontend.podConfigHash('frontend-a')).toBe(configHash('{"v":2}'));
  expect(
    api.calls.some((call) => call.path === '/api/v1/namespaces/learnathon/pods/frontend-a:9903/proxy/status'),
  ).toBe(true);
});

it('hashes the exact bytes, as the sidecar supervisor does', () => {
  expect(configHash('{}\n')).toBe('ca3d163bab055381827226140568f3bef7eaac187cebd76878e0b63e9e442356');
});

it('refuses a --context that is not in the kubeconfig, and an unreadable kubeconfig', async () => {
  const previous = process.env['KUBECONFIG'];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cutover-kubeconfig-'));
  const file = path.join(dir, 'config');
  await writeFile(
    file,
    'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: kind-learnathon, context: {cluster: c, user: u}}]\ncurrent-context: kind-learnathon\n',
  );
  try {
    process.env['KUBECONFIG'] = file;
    expect(() => loadKubeConfig('nope')).toThrow(
      "--context 'nope' is not in your kubeconfig (contexts: kind-learnathon)",
    );
    expect(loadKubeConfig('kind-learnathon').getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
    process.env['KUBECONFIG'] = path.join(dir, 'missing');
    expect(() => loadKubeConfig(undefined)).toThrow(/^cannot read your kubeconfig/);
  } finally {
    await rm(dir, { recursive: true, force: true });
    if (previous === undefined) delete process.env['KUBECONFIG'];
    else process.env['KUBECONFIG'] = previous;
  }
});
