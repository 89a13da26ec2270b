import { downSteps, endpoints, upSteps } from './plan';

/** Stands in for running against kind and a Kubernetes API, neither of which exists here. */
describe('cluster plan', () => {
  const commands = (steps: ReturnType<typeof upSteps>) =>
    steps.map((step) => `${step.command} ${step.args.join(' ')}`);

  it('goes from nothing to the monitoring overlay: cluster, images, apply, Grafana secret, rollouts', () => {
    expect(commands(upSteps({ name: 'learnathon', overlay: 'monitoring', engine: 'docker' }))).toEqual([
      'kind create cluster --name learnathon --config k8s/cluster/kind-config.yaml --wait 120s',
      'npx nx run-many -t kind-load --cluster-name=learnathon --engine=docker --output-style=static',
      'kubectl --context kind-learnathon apply -k k8s/overlays/monitoring',
      'kubectl --context kind-learnathon -n monitoring create secret generic grafana-admin --from-literal=password=GENERATED',
      'kubectl --context kind-learnathon -n learnathon rollout status deployment --timeout=300s',
      'kubectl --context kind-learnathon -n monitoring rollout status deployment --timeout=300s',
    ]);
  });

  it('skips steps already done: an existing cluster, an existing Grafana secret', () => {
    const steps = upSteps({ name: 'demo', overlay: 'monitoring', engine: 'docker' });
    expect(steps[0]?.skipIf).toEqual({ command: 'kind', args: ['get', 'kubeconfig', '--name', 'demo'] });
    expect(steps[3]?.skipIf?.args).toEqual([
      '--context',
      'kind-demo',
      '-n',
      'monitoring',
      'get',
      'secret',
      'grafana-admin',
    ]);
  });

  it('needs no Grafana secret and waits only for the app with the base overlay', () => {
    const steps = commands(upSteps({ name: 'demo', overlay: 'base', engine: 'docker' }));
    expect(steps.some((step) => step.includes('grafana-admin'))).toBe(false);
    expect(steps.filter((step) => step.includes('rollout status'))).toEqual([
      'kubectl --context kind-demo -n learnathon rollout status deployment --timeout=300s',
    ]);
    expect(endpoints('base')).toHaveLength(1);
  });

  it('uses kind with the podman provider when the engine is podman', () => {
    const [create, load] = upSteps({ name: 'demo', overlay: 'base', engine: 'podman' });
    expect(create?.env).toEqual({ KIND_EXPERIMENTAL_PROVIDER: 'podman' });
    expect(load?.env).toMatchObject({ CONTAINER_ENGINE: 'podman' });
    expect(load?.args).toContain('--engine=podman');
    expect(downSteps({ name: 'demo', overlay: 'base', engine: 'podman' })[0]?.env).toEqual({
      KIND_EXPERIMENTAL_PROVIDER: 'podman',
    });
  });

  it('applies the overlays that exist in the repository', () => {
    const { existsSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
    for (const overlay of ['base', 'monitoring'] as const) {
      const apply = upSteps({ name: 'x', overlay, engine: 'docker' }).find((step) =>
        step.args.includes('apply'),
      );
      const dir = apply?.args.at(-1) ?? '';
      expect(existsSync(`${__dirname}/../../../${dir}/kustomization.yaml`)).toBe(true);
    }
  });
});
