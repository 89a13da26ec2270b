/**
 * The steps from nothing to the app on a local kind cluster, and back. Each step is a plain command
 * so `--dry-run` can print exactly what would run, and a test can check the order offline.
 */
export const OVERLAYS = ['base', 'monitoring'] as const;
export type Overlay = (typeof OVERLAYS)[number];
export type Engine = 'docker' | 'podman';

export interface ClusterOptions {
  name: string;
  overlay: Overlay;
  engine: Engine;
}

export interface Step {
  title: string;
  command: string;
  args: string[];
  /** A command whose success means the step is already done (e.g. the cluster exists). */
  skipIf?: { command: string; args: string[] };
  env?: Record<string, string>;
}

/** kind runs nodes as containers; with podman it needs the experimental provider switch. */
const kindEnv = (engine: Engine): Record<string, string> =>
  engine === 'podman' ? { KIND_EXPERIMENTAL_PROVIDER: 'podman' } : {};

export function upSteps({ name, overlay, engine }: ClusterOptions): Step[] {
  const context = `kind-${name}`;
  const steps: Step[] = [
    {
      title: `create the kind cluster '${name}' (1 control plane, 2 workers)`,
      command: 'kind',
      args: [
        'create',
        'cluster',
        '--name',
        name,
        '--config',
        'k8s/cluster/kind-config.yaml',
        '--wait',
        '120s',
      ],
      skipIf: { command: 'kind', args: ['get', 'kubeconfig', '--name', name] },
      env: kindEnv(engine),
    },
    {
      title: 'build every image and load it into the cluster',
      command: 'npx',
      args: [
        'nx',
        'run-many',
        '-t',
        'kind-load',
        `--cluster-name=${name}`,
        `--engine=${engine}`,
        '--output-style=static',
      ],
      env: { ...kindEnv(engine), CONTAINER_ENGINE: engine },
    },
    {
      title: `apply the '${overlay}' overlay`,
      command: 'kubectl',
      args: ['--context', context, 'apply', '-k', `k8s/overlays/${overlay}`],
    },
  ];
  if (overlay !== 'base') {
    steps.push({
      title: "create Grafana's admin password (random, kept in the Secret 'monitoring/grafana-admin')",
      command: 'kubectl',
      args: [
        '--context',
        context,
        '-n',
        'monitoring',
        'create',
        'secret',
        'generic',
        'grafana-admin',
        '--from-literal=password=GENERATED',
      ],
      skipIf: {
        command: 'kubectl',
        args: ['--context', context, '-n', 'monitoring', 'get', 'secret', 'grafana-admin'],
      },
    });
  }
  const namespaces = overlay === 'base' ? ['learnathon'] : ['learnathon', 'monitoring'];
  for (const namespace of namespaces) {
    steps.push({
      title: `wait for the deployments in '${namespace}'`,
      command: 'kubectl',
      args: ['--context', context, '-n', namespace, 'rollout', 'status', 'deployment', '--timeout=300s'],
    });
  }
  return steps;
}

export function downSteps({ name, engine }: ClusterOptions): Step[] {
  return [
    {
      title: `delete the kind cluster '${name}'`,
      command: 'kind',
      args: ['delete', 'cluster', '--name', name],
      env: kindEnv(engine),
    },
  ];
}

/** Where to look once the app is up: the kind config maps these NodePorts to localhost. */
export function endpoints(overlay: Overlay): string[] {
  const lines = ['UI        http://localhost:8080/   (frontend-service, NodePort 30900)'];
  if (overlay !== 'base')
    lines.push(
      'Grafana   http://localhost:3000/   (user admin, password: see above or `npm run cluster -- password`)',
    );
  return lines;
}
