import { startApiServerStandIn, type ApiServerStandIn } from '../test/api-server-stand-in';
import { frontendConfig, rendererDouble } from '../test/renderer-double';
import type { Analysis, Verdict } from './analysis';
import { parseCommand, UsageError, type MoveCommand } from './args';
import { ClusterError, configHash, FrontendCluster } from './kube';
import type { Event } from './report';
import { runRollout, type RolloutDeps } from './rollout';
import { splitOf } from './split';

/**
 * The step loop against the stand-in API server (test/api-server-stand-in.ts, standing in for a
 * Kubernetes API server) with a test double of the renderer and scripted verdicts: the analysis
 * itself runs against a real Prometheus in analysis.spec.ts. Intervals are milliseconds here.
 */
let api: ApiServerStandIn;
let events: Event[];
let printed: { config: string[]; diff: string[] };

const move = (args: string): MoveCommand => {
  const command = parseCommand(args.split(' '));
  if (command.command !== 'move') throw new Error('expected a move command');
  return {
    ...command,
    waitTimeoutMs: 10_000,
    ...(command.analysis ? { analysis: { ...command.analysis, intervalMs: 20 } } : {}),
  };
};

const analysis = (verdict: Verdict): Analysis => ({
  verdict,
  summary: `scripted ${verdict}`,
  measurements: [
    {
      name: 'requests',
      query: 'sum(increase(x[1s]))',
      value: verdict === 'inconclusive' ? undefined : 100,
      unit: '',
      judgement: verdict,
      verdict,
    },
  ],
});

/** Scripted verdicts by the weight the stand-in's ConfigMap holds (live numbers and checks alike). */
function deps(
  overrides: Partial<RolloutDeps> & { verdictAt?: (weight: number) => Verdict } = {},
): RolloutDeps {
  const { verdictAt, ...rest } = overrides;
  return {
    cluster: new FrontendCluster(api.kubeConfig(), 'learnathon'),
    renderer: rendererDouble(),
    reporter: { emit: (event) => events.push(event) },
    analyse: async () => analysis(verdictAt ? verdictAt(weightsInCluster()['pinger-v2'] ?? 0) : 'healthy'),
    checkPrometheus: async () => undefined,
    signal: new AbortController().signal,
    who: 'tester@host (kube user tester)',
    printConfig: (text) => printed.config.push(text),
    printDiff: (text) => printed.diff.push(text),
    pollMs: 5,
    progressMs: 10,
    ...rest,
  };
}

const weightsInCluster = () => splitOf(JSON.parse(api.config()), 'pinger');
const PLAN = '--service pinger --from pinger-v1 --to pinger-v2 --steps 5,50,100 --interval 1s';

beforeEach(async () => {
  events = [];
  printed = { config: [], diff: [] };
  api = await startApiServerStandIn({
    config: frontendConfig({ 'pinger-v1': 100 }),
    kubeletDelayPolls: 1_000,
  });
});
afterEach(async () => api.stop());

it('applies one step: permission check first, then the ConfigMap with who/when/what, then waits for every pod', async () => {
  const result = await runRollout(
    move('--service pinger --from pinger-v1 --to pinger-v2 --weight 5'),
    deps(),
  );
  expect(result).toMatchObject({ outcome: 'applied', exitCode: 0, weight: 5 });
  expect(weightsInCluster()).toEqual({ 'pinger-v1': 95, 'pinger-v2': 5 });
  const firstWrite = api.calls.findIndex((call) => call.method === 'PUT');
  expect(
    api.calls.slice(0, firstWrite).filter((call) => call.path.endsWith('selfsubjectaccessreviews')),
  ).toHaveLength(6);
  expect(api.annotations()).toEqual({
    'cutover.learnathon.dev/changed-by': 'tester@host (kube user tester)',
    'cutover.learnathon.dev/changed-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    'cutover.learnathon.dev/change': 'pinger: pinger-v1 95% / pinger-v2 5% (was pinger-v1 100%)',
  });
  // The kubelet in the stand-in would take 1000 polls: the annotation on each pod got it there.
  expect(api.podAnnotations('frontend-a')['cutover.learnathon.dev/wanted-config-hash']).toBe(
    configHash(api.config()),
  );
  expect(events.map((e) => e.event)).toEqual(['plan', 'step', 'waiting', 'converged', 'summary']);
  expect(events.find((e) => e.event === 'waiting')).toMatchObject({
    note: expect.stringContaining('about once a minute'),
  });
});

it('promotes through a plan when every check is healthy, judging after each step', async () => {
  const d = deps({ verdictAt: () => 'healthy' });
  const result = await runRollout(move(PLAN), d);
  expect(result).toMatchObject({ outcome: 'promoted', exitCode: 0, weight: 100 });
  expect(weightsInCluster()).toEqual({ 'pinger-v1': 0, 'pinger-v2': 100 });
  expect(events.filter((e) => e.event === 'analysis').map((e) => e.event === 'analysis' && e.weight)).toEqual(
    [5, 50, 100],
  );
  expect(api.writes().filter((call) => call.method === 'PUT')).toHaveLength(3);
});

it('rolls back to the old version and exits 1 when a check fails', async () => {
  const result = await runRollout(
    move(PLAN),
    deps({ verdictAt: (weight) => (weight >= 50 ? 'failed' : 'healthy') }),
  );
  expect(result).toMatchObject({ outcome: 'rolled-back', exitCode: 1, weight: 0 });
  expect(result.message).toMatch(
    /^pinger-v2 failed the check at 50%: scripted failed; all pinger traffic is back on pinger-v1$/,
  );
  expect(weightsInCluster()).toEqual({ 'pinger-v1': 100, 'pinger-v2': 0 });
  expect(events.filter((e) => e.event === 'rollback')).toHaveLength(1);
});

it('rolls back after --max-inconclusive inconclusive checks in a row: no data is never healthy', async () => {
  const result = await runRollout(
    move(`${PLAN} --max-inconclusive 2`),
    deps({ verdictAt: () => 'inconclusive' }),
  );
  expect(result).toMatchObject({ outcome: 'rolled-back', exitCode: 1 });
  expect(result.message).toMatch(/stayed inconclusive at 5% for 2 checks in a row/);
  expect(weightsInCluster()).toEqual({ 'pinger-v1': 100, 'pinger-v2': 0 });
});

it('prints every query and the value it judged', async () => {
  await runRollout(move(PLAN), deps({ verdictAt: () => 'healthy' }));
  const check = events.find((e) => e.event === 'analysis');
  expect(check).toMatchObject({
    measurements: [{ name: 'requests', query: 'sum(increase(x[1s]))', value: 100 }],
  });
});

it('on Ctrl-C leaves traffic where the last written step put it and says so', async () => {
  const controller = new AbortController();
  const d = deps({ signal: controller.signal });
  const reporter = d.reporter;
  d.reporter = {
    emit(event) {
      reporter.emit(event);
      if (event.event === 'analysis-wait' && event.weight === 50) controller.abort();
    },
  };
  const result = await runRollout(move(PLAN), d);
  expect(result).toMatchObject({ outcome: 'interrupted', exitCode: 130, weight: 50 });
  expect(result.message).toBe(
    'interrupted; traffic stays where the last written step put it: pinger-v1 50% / pinger-v2 50% (pods may not all run it yet)',
  );
  expect(weightsInCluster()).toEqual({ 'pinger-v1': 50, 'pinger-v2': 50 });
});

it('--rollback puts everything back on --from', async () => {
  await api.stop();
  api = await startApiServerStandIn({ config: frontendConfig({ 'pinger-v1': 50, 'pinger-v2': 50 }) });
  const result = await runRollout(
    move('--service pinger --from pinger-v1 --to pinger-v2 --rollback'),
    deps(),
  );
  expect(result).toMatchObject({ outcome: 'applied', exitCode: 0, weight: 0 });
  expect(weightsInCluster()).toEqual({ 'pinger-v1': 100, 'pinger-v2': 0 });
});

it('retries a write that conflicts and reports the re-reads', async () => {
  api.conflictNextWrites(1);
  await runRollout(move('--service pinger --from pinger-v1 --to pinger-v2 --weight 5'), deps());
  expect(events.find((e) => e.event === 'step')).toMatchObject({ attempts: 2 });
  expect(weightsInCluster()).toEqual({ 'pinger-v1': 95, 'pinger-v2': 5 });
});

it('adds a version the config never had once its Service exists', async () => {
  await api.stop();
  api = await startApiServerStandIn({
    config: frontendConfig({ 'pinger-v1': 0, 'pinger-v2': 100 }),
    services: ['pinger-v2-service', 'pinger-v3-service'],
  });
  await runRollout(move('--service pinger --from pinger-v2 --to pinger-v3 --weight 10'), deps());
  expect(weightsInCluster()).toEqual({ 'pinger-v2': 90, 'pinger-v3': 10 });
});

it('fails with exit 3 when the pods do not pick the config up in time, saying what the ConfigMap holds', async () => {
  api.freezePod('frontend-b');
  const command = {
    ...move('--service pinger --from pinger-v1 --to pinger-v2 --weight 5'),
    waitTimeoutMs: 1_500,
  };
  const result = await runRollout(command, deps());
  expect(result).toMatchObject({ outcome: 'failed', exitCode: 3, weight: 5 });
  expect(result.message).toMatch(
    /^frontend pods frontend-b still do not run config \w{12} after \d+s \(--wait-timeout\); the ConfigMap holds pinger-v1 95% \/ pinger-v2 5%$/,
  );
});

describe('--dry-run', () => {
  it('prints the rendered config and the diff, writes nothing', async () => {
    const result = await runRollout(
      move('--service pinger --from pinger-v1 --to pinger-v2 --weight 50 --dry-run'),
      deps(),
    );
    expect(result).toMatchObject({ exitCode: 0, weight: null });
    expect(printed.config).toEqual([frontendConfig({ 'pinger-v1': 50, 'pinger-v2': 50 })]);
    expect(printed.diff.join('')).toMatch(/^--- ConfigMap envoy-frontend\n\+\+\+ step 1 \(pinger-v2 50%\)\n/);
    expect(printed.diff.join('')).toContain(
      '-                          "weight": 100\n+                          "weight": 50\n',
    );
    expect(api.writes()).toEqual([]);
  });
});

describe('bad input changes nothing', () => {
  const rejects = async (args: string, error: RegExp, overrides: Partial<RolloutDeps> = {}) => {
    await expect(runRollout(move(args), deps(overrides))).rejects.toThrow(error);
    expect(api.writes()).toEqual([]);
  };

  it('a service the mesh does not split', () =>
    rejects(
      '--service details --from details-v1 --to details-v2 --weight 5',
      /the mesh splits traffic by version only for pinger/,
    ));
  it('a --from the config does not have', () =>
    rejects(
      '--service pinger --from pinger-v7 --to pinger-v2 --weight 5',
      /--from pinger-v7: the frontend's config has no such cluster \(it sends pinger to pinger-v1 100%\)/,
    ));
  it('a --to without its Service', () =>
    rejects(
      '--service pinger --from pinger-v1 --to pinger-v3 --weight 5',
      /Service pinger-v3-service does not exist in namespace 'learnathon'/,
    ));
  it('a rendered config the validator rejects', () =>
    rejects(
      PLAN,
      /the rendered config for pinger-v2 at 50% is invalid, nothing applied:\n {2}weights broken/,
      {
        renderer: rendererDouble((split) => (split['pinger-v2'] === 50 ? ['weights broken'] : [])),
      },
    ));
  it('an unreachable Prometheus', () =>
    rejects(PLAN, /cannot reach Prometheus/, {
      checkPrometheus: async () => {
        throw new Error('cannot reach Prometheus at http://127.0.0.1:9 (ECONNREFUSED)');
      },
    }));

  it('missing permissions', async () => {
    await api.stop();
    api = await startApiServerStandIn({
      config: frontendConfig({ 'pinger-v1': 100 }),
      denied: ['patch pods'],
    });
    await expect(
      runRollout(move('--service pinger --from pinger-v1 --to pinger-v2 --weight 5'), deps()),
    ).rejects.toThrow(new ClusterError("tester may not, in namespace 'learnathon': patch pods"));
    expect(api.writes()).toEqual([]);
  });

  it('is a UsageError (exit 2) for input, a ClusterError (exit 3) for the cluster', async () => {
    await expect(
      runRollout(move('--service pinger --from pinger-v7 --to pinger-v2 --weight 5'), deps()),
    ).rejects.toBeInstanceOf(UsageError);
  });
});

it('counts a Prometheus that fails mid-plan as inconclusive, ending in a rollback when it lasts', async () => {
  const result = await runRollout(
    move(`${PLAN} --max-inconclusive 2`),
    deps({
      analyse: async () => {
        throw new Error('cannot reach Prometheus at http://127.0.0.1:9090 (ECONNREFUSED)');
      },
    }),
  );
  expect(result).toMatchObject({ outcome: 'rolled-back', exitCode: 1 });
  expect(result.message).toMatch(
    /stayed inconclusive at 5% for 2 checks in a row \(--max-inconclusive\): cannot reach Prometheus/,
  );
  expect(weightsInCluster()).toEqual({ 'pinger-v1': 100, 'pinger-v2': 0 });
});

it('reads a sidecar the pod proxy cannot reach from Prometheus instead', async () => {
  await api.stop();
  api = await startApiServerStandIn({ config: frontendConfig({ 'pinger-v1': 100 }), proxyUnreachable: true });
  const asked: string[] = [];
  const result = await runRollout(
    move('--service pinger --from pinger-v1 --to pinger-v2 --weight 5'),
    deps({
      scrapedConfigHash: async (pod) => {
        asked.push(pod);
        return configHash(api.config());
      },
    }),
  );
  expect(result).toMatchObject({ outcome: 'applied', exitCode: 0 });
  expect(asked).toEqual(['frontend-a', 'frontend-b']);
});
