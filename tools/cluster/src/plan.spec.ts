import type { OverlaySummary } from './overlay';
import { unbuiltImages } from './images-override';
import { downSteps, endpoints, upSteps, type Step, type UpContext } from './plan';

/** Stands in for running against kind and a Kubernetes API, neither of which exists here. */

const monitoring: OverlaySummary = {
  thirdPartyImages: ['docker.io/grafana/grafana:11.6.1', 'quay.io/prometheus/prometheus:v2.53.0'],
  localImages: ['learnathon/frontend:dev'],
  rollouts: [
    { kind: 'deployment', namespace: 'learnathon' },
    { kind: 'deployment', namespace: 'monitoring' },
    { kind: 'daemonset', namespace: 'node-exporter' },
  ],
  needsGrafanaSecret: true,
};
const base: OverlaySummary = {
  thirdPartyImages: [],
  localImages: ['learnathon/frontend:dev'],
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

  it('brings a canary overlay up like any other: builds and loads every image, the sidecar and pinger v2 moved to this commit', () => {
    const canary: OverlaySummary = {
      ...monitoring,
      localImages: ['learnathon/envoy-sidecar:dev', 'learnathon/pinger:v1', 'learnathon/pinger:v2'],
    };
    const builtImages = [
      { repository: 'learnathon/pinger', tag: 'v1', shaTag: 'v1-{sha}' },
      { repository: 'learnathon/pinger', tag: 'v2', shaTag: 'v2-{sha}' },
      { repository: 'learnathon/envoy-sidecar', tag: 'dev', shaTag: '{sha}' },
    ];
    const steps = plan('canary-50', context({ overlay: canary, builtImages }));
    const write = steps.find((step) => 'writeFile' in step);
    const content = write && 'writeFile' in write ? write.writeFile.content : '';
    expect(steps.map(describeStep)).toContain(
      'npx nx run-many -t kind-load --cluster-name=learnathon --engine=docker --output-style=static',
    );
    expect(content).toContain('../../../k8s/overlays/canary-50');
    expect(content).toContain('name: learnathon/envoy-sidecar:dev\n    newTag: 0123456789ab');
    expect(content).toContain('name: learnathon/pinger:v2\n    newTag: v2-0123456789ab');
    expect(unbuiltImages(canary.localImages, builtImages)).toEqual([]);
  });
});

describe('unbuiltImages', () => {
  const built = [{ repository: 'learnathon/pinger', tag: 'v1', shaTag: 'v1-{sha}' }];

  it('names the overlay’s own images that tools/images does not build, by repository and tag', () => {
    expect(
      unbuiltImages(['learnathon/pinger:v1', 'learnathon/pinger:v2', 'learnathon/envoy-sidecar:dev'], built),
    ).toEqual(['learnathon/pinger:v2', 'learnathon/envoy-sidecar:dev']);
  });

  it('reads a docker.io/ prefix as the same image', () => {
    expect(unbuiltImages(['docker.io/learnathon/pinger:v1'], built)).toEqual([]);
  });
});
