import { startApiServerStandIn, type ApiServerStandIn } from '../test/api-server-stand-in';
import { frontendConfig } from '../test/renderer-double';
import { configHash, FrontendCluster } from './kube';
import { textLine, type Event } from './report';
import { runStatus } from './status';

/** `status` against the stand-in API server (test/api-server-stand-in.ts, standing in for a Kubernetes API server). */
let api: ApiServerStandIn;
afterEach(async () => api.stop());

it('shows the weights in force, the last change and which pods run which config, writing nothing', async () => {
  const config = frontendConfig({ 'pinger-v1': 95, 'pinger-v2': 5 });
  api = await startApiServerStandIn({ config, kubeletDelayPolls: 1_000 });
  const cluster = new FrontendCluster(api.kubeConfig(), 'learnathon');
  await cluster.updateFrontendConfig(() => ({
    text: frontendConfig({ 'pinger-v1': 50, 'pinger-v2': 50 }),
    annotations: {
      'cutover.learnathon.dev/changed-by': 'ann',
      'cutover.learnathon.dev/changed-at': '2026-01-01T00:00:00.000Z',
      'cutover.learnathon.dev/change': 'pinger: 50/50',
    },
  }));
  await cluster.nudgePod('frontend-a', configHash(frontendConfig({ 'pinger-v1': 50, 'pinger-v2': 50 })));
  const writesBefore = api.writes().length;
  const events: Event[] = [];
  await expect(
    runStatus(
      { command: 'status', namespace: 'learnathon', context: undefined, json: false, waitTimeoutMs: 1 },
      cluster,
      { emit: (e) => events.push(e) },
    ),
  ).resolves.toEqual({ exitCode: 0 });
  const newHash = configHash(api.config());
  expect(events).toEqual([
    {
      event: 'status',
      split: { 'pinger-v1': 50, 'pinger-v2': 50, details: 100 },
      configHash: newHash,
      changedBy: 'ann',
      changedAt: '2026-01-01T00:00:00.000Z',
      change: 'pinger: 50/50',
      pods: [
        { pod: 'frontend-a', configHash: newHash, current: true },
        { pod: 'frontend-b', configHash: configHash(config), current: false },
      ],
    },
  ]);
  expect(textLine(events[0] as Event)).toContain(
    `frontend-b: ${configHash(config).slice(0, 12)} (OLD config)`,
  );
  expect(api.writes()).toHaveLength(writesBefore);
});
