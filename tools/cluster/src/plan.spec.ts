import type { OverlaySummary } from './overlay';
import { downSteps, endpoints, upSteps, type Step, type UpContext } from './plan';

/** Stands in for running against kind and a Kubernetes API, neither of which exists here. */

const monitoring: OverlaySummary = {
  thirdPartyImages: ['docker.io/grafana/grafana:11.6.1', 'quay.io/prometheus/prometheus:v2.53.0'],
  rollouts: [
    { kind: 'deployment', namespace: 'learnathon' },
    { kind: 'deployment', namespace: 'monitoring' },
    { kind: 'daemonset', namespace: 'node-exporter' },
  ],
  needsGrafanaSecret: true,
};
const base: OverlaySummary = {
  thirdPartyImages: [],
  rollouts: [{ kind: 'deployment', namespace: 'learnathon' }],
  needsGrafanaSecret: false,
};
const context = (overrides: Partial<UpContext> = {}): UpContext => ({
  sha: '0123456789ab',
  uncommittedChanges: false,
  builtImages: [{ repository: 'learnathon/frontend', tag: 'dev', shaTag: '{sha}' }],
  hostPorts: [8080, 3000],
  overlay: monitoring,
  ...overrides,
});
const describeStep = (step: Step): string => {
  if ('writeFile' in step) return `write ${step.writeFile.path}`;
  if ('check' in step) return `check ${JSON.stringify(step.check)}`;
  return `${step.command} ${step.args.join(' ')}`;
};
const plan = (overlay: string, upContext: UpContext, engine: 'docker' | 'podman' = 'docker') =>
  upSteps({ name: 'learnathon', overlay, engine }, upContext);

describe('cluster plan', () => {
  it('goes from nothing to the monitoring overlay: checks, cluster, images, override, apply, Grafana secret, rollouts', () => {
    expect(plan('monitoring', context()).map(describeStep)).toEqual([
      'check {"kind":"kind-version","minimum":"0.29.0"}',
      'check {"kind":"ports-free","ports":[8080,3000]}',
      'kind create cluster --name learnathon --config k8s/cluster/kind-config.yaml --wait 120s',
      'npx nx run-many -t kind-load --cluster-name=learnathon --engine=docker --output-style=static',
      'docker pull docker.io/grafana/grafana:11.6.1',
      'docker pull quay.io/prometheus/prometheus:v2.53.0',
      'kind load docker-image docker.io/grafana/grafana:11.6.1 quay.io/prometheus/prometheus:v2.53.0 --name learnathon',
      'write tmp/cluster/learnathon/kustomization.yaml',
      'kubectl --context kind-learnathon apply -k tmp/cluster/learnathon',
      'kubectl --context kind-learnathon -n monitoring create secret generic grafana-admin --from-literal=password=GENERATED',
      'kubectl --context kind-learnathon -n learnathon rollout status deployment --timeout=300s',
      'kubectl --context kind-learnathon -n monitoring rollout status deployment --timeout=300s',
      'kubectl --context kind-learnathon -n node-exporter rollout status daemonset --timeout=300s',
    ]);
  });

  it('applies an override that moves the built images to the tags of this commit', () => {
    const write = plan('monitoring', context()).find((step) => 'writeFile' in step);
    const content = write && 'writeFile' in write ? write.writeFile.content : '';
    expect(content).toContain('../../../k8s/overlays/monitoring');
    expect(content).toContain('name: learnathon/frontend:dev\n    newTag: 0123456789ab');
  });

  it('checks the host ports and creates the cluster only when it does not exist yet', () => {
    const [, ports, create] = plan('monitoring', context());
    const clusterExists = { command: 'kind', args: ['get', 'kubeconfig', '--name', 'learnathon'] };
    expect(ports?.skipIf).toEqual(clusterExists);
    expect(create?.skipIf).toEqual(clusterExists);
  });

  it('skips a pull of an image already on the host and an existing Grafana secret', () => {
    const steps = plan('monitoring', context());
    const pull = steps.find((step) => describeStep(step).startsWith('docker pull'));
    const secret = steps.find((step) => describeStep(step).includes('create secret'));
    expect(pull?.skipIf).toEqual({
      command: 'docker',
      args: ['image', 'inspect', 'docker.io/grafana/grafana:11.6.1'],
    });
    expect(secret?.skipIf).toEqual({
      command: 'kubectl',
      args: ['--context', 'kind-learnathon', '-n', 'monitoring', 'get', 'secret', 'grafana-admin'],
    });
  });

  it('restarts the app after the apply when uncommitted changes were built under the same sha tags', () => {
    const steps = plan('base', context({ overlay: base, uncommittedChanges: true })).map(describeStep);
    const apply = steps.indexOf('kubectl --context kind-learnathon apply -k tmp/cluster/learnathon');
    expect(steps[apply + 1]).toBe(
      'kubectl --context kind-learnathon -n learnathon rollout restart deployment -l app.kubernetes.io/part-of=learnathon',
    );
    expect(
      plan('base', context({ overlay: base }))
        .map(describeStep)
        .some((step) => step.includes('restart')),
    ).toBe(false);
  });

  it('applies the overlay itself and restarts the app outside a git checkout (stable tags only)', () => {
    const steps = plan('base', context({ overlay: base, sha: undefined })).map(describeStep);
    expect(steps.some((step) => step.startsWith('write'))).toBe(false);
    expect(steps).toContain('kubectl --context kind-learnathon apply -k k8s/overlays/base');
    expect(steps.some((step) => step.includes('rollout restart'))).toBe(true);
  });

  it('needs no Grafana secret, pulls nothing and waits only for the app with the base overlay', () => {
    const steps = plan('base', context({ overlay: base })).map(describeStep);
    expect(steps.some((step) => step.includes('grafana-admin') || step.includes(' pull '))).toBe(false);
    expect(steps.filter((step) => step.includes('rollout status'))).toEqual([
      'kubectl --context kind-learnathon -n learnathon rollout status deployment --timeout=300s',
    ]);
    expect(endpoints(base)).toHaveLength(1);
    expect(endpoints(monitoring)).toHaveLength(2);
  });

  it('uses kind with the podman provider, and an image archive for third-party images, when the engine is podman', () => {
    const steps = plan('monitoring', context(), 'podman');
    const create = steps.find((step) => describeStep(step).startsWith('kind create'));
    const load = steps.find((step) => describeStep(step).startsWith('npx nx'));
    expect(create?.env).toEqual({ KIND_EXPERIMENTAL_PROVIDER: 'podman' });
    expect(load?.env).toMatchObject({ CONTAINER_ENGINE: 'podman' });
    expect(steps.map(describeStep)).toEqual(
      expect.arrayContaining([
        'podman pull quay.io/prometheus/prometheus:v2.53.0',
        'podman save --format docker-archive --multi-image-archive --output tmp/cluster/learnathon/third-party-images.tar docker.io/grafana/grafana:11.6.1 quay.io/prometheus/prometheus:v2.53.0',
        'kind load image-archive tmp/cluster/learnathon/third-party-images.tar --name learnathon',
      ]),
    );
    expect(downSteps({ name: 'demo', overlay: 'base', engine: 'podman' })[0]?.env).toEqual({
      KIND_EXPERIMENTAL_PROVIDER: 'podman',
    });
  });
});
