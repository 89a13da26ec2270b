/**
 * The steps from nothing to the app on a local kind cluster, and back. Each step is a plain command,
 * a file to write or a check, so `--dry-run` can print exactly what would happen and a test can check
 * the order offline.
 */
import type { BuiltImage } from './images-override';
import { imagesOverride, overrideDir } from './images-override';
import type { OverlaySummary } from './overlay';

export type Engine = 'docker' | 'podman';

/** kind v0.29.0 was released with the node image k8s/cluster/kind-config.yaml pins (Kubernetes 1.33). */
export const MINIMUM_KIND_VERSION = '0.29.0';

export interface ClusterOptions {
  name: string;
  overlay: string;
  engine: Engine;
}

/** What `up` needs to know about the checkout, the image list, the kind config and the rendered overlay. */
export interface UpContext {
  /** The short commit the image build tags with (tools/images); undefined outside a git checkout. */
  sha: string | undefined;
  /** Uncommitted changes to what goes into the images: the sha tags alone would not change. */
  uncommittedChanges: boolean;
  builtImages: readonly BuiltImage[];
  /** The kind config's published host ports, which `kind create cluster` needs free. */
  hostPorts: readonly number[];
  overlay: OverlaySummary;
}

interface StepBase {
  title: string;
  /** A command whose success means the step is already done (e.g. the cluster exists). */
  skipIf?: { command: string; args: string[] };
  env?: Record<string, string>;
}

export interface CommandStep extends StepBase {
  command: string;
  args: string[];
}

export interface WriteFileStep extends StepBase {
  writeFile: { path: string; content: string };
}

export type Check = { kind: 'kind-version'; minimum: string } | { kind: 'ports-free'; ports: number[] };

export interface CheckStep extends StepBase {
  check: Check;
}

export type Step = CommandStep | WriteFileStep | CheckStep;

/** kind runs nodes as containers; with podman it needs the experimental provider switch. */
const kindEnv = (engine: Engine): Record<string, string> =>
  engine === 'podman' ? { KIND_EXPERIMENTAL_PROVIDER: 'podman' } : {};

const kubectl = (context: string, ...args: string[]) => ({
  command: 'kubectl',
  args: ['--context', context, ...args],
});

/**
 * Third-party images are pulled once on the host and loaded into the nodes, so a room of learners
 * behind one address doesn't hit registry rate limits from every node. podman: `kind load
 * docker-image` only asks docker, so the images go through an archive.
 */
function thirdPartyImageSteps({ name, engine }: ClusterOptions, images: readonly string[]): Step[] {
  if (images.length === 0) return [];
  const pulls: Step[] = images.map((image) => ({
    title: `pull ${image} on the host`,
    command: engine,
    args: ['pull', image],
    skipIf: { command: engine, args: ['image', 'inspect', image] },
  }));
  if (engine === 'docker')
    return [
      ...pulls,
      {
        title: 'load the third-party images into the cluster',
        command: 'kind',
        args: ['load', 'docker-image', ...images, '--name', name],
      },
    ];
  const archive = `${overrideDir(name)}/third-party-images.tar`;
  return [
    ...pulls,
    {
      title: 'save the third-party images to an archive',
      command: 'podman',
      args: ['save', '--format', 'docker-archive', '--multi-image-archive', '--output', archive, ...images],
    },
    {
      title: 'load the third-party images into the cluster',
      command: 'kind',
      args: ['load', 'image-archive', archive, '--name', name],
      env: kindEnv(engine),
    },
  ];
}

export function upSteps(options: ClusterOptions, context: UpContext): Step[] {
  const { name, overlay, engine } = options;
  const kubeContext = `kind-${name}`;
  const clusterExists = { command: 'kind', args: ['get', 'kubeconfig', '--name', name] };
  const overlayDir = `k8s/overlays/${overlay}`;
  const applied = context.sha ? overrideDir(name) : overlayDir;
  const steps: Step[] = [
    {
      title: `check that kind is v${MINIMUM_KIND_VERSION} or later (the pinned node image needs it)`,
      check: { kind: 'kind-version', minimum: MINIMUM_KIND_VERSION },
    },
    {
      title: `check that host ports ${context.hostPorts.join(' and ')} are free for the cluster`,
      check: { kind: 'ports-free', ports: [...context.hostPorts] },
      skipIf: clusterExists,
      env: kindEnv(engine),
    },
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
      skipIf: clusterExists,
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
    ...thirdPartyImageSteps(options, context.overlay.thirdPartyImages),
  ];
  if (context.sha) {
    steps.push({
      title: `point the '${overlay}' overlay at the images of commit ${context.sha}`,
      writeFile: {
        path: `${applied}/kustomization.yaml`,
        content: imagesOverride(overlayDir, applied, context.builtImages, context.sha),
      },
    });
  }
  steps.push({ title: `apply the '${overlay}' overlay`, ...kubectl(kubeContext, 'apply', '-k', applied) });
  if (context.uncommittedChanges || !context.sha) {
    steps.push({
      title: context.sha
        ? `restart the app: uncommitted changes are built under the same tags as commit ${context.sha}`
        : 'restart the app: without a git commit the images keep their stable tags',
      ...kubectl(
        kubeContext,
        '-n',
        'learnathon',
        'rollout',
        'restart',
        'deployment',
        '-l',
        'app.kubernetes.io/part-of=learnathon',
      ),
    });
  }
  if (context.overlay.needsGrafanaSecret) {
    steps.push({
      title: "create Grafana's admin password (random, kept in the Secret 'monitoring/grafana-admin')",
      ...kubectl(
        kubeContext,
        '-n',
        'monitoring',
        'create',
        'secret',
        'generic',
        'grafana-admin',
        '--from-literal=password=GENERATED',
      ),
      skipIf: kubectl(kubeContext, '-n', 'monitoring', 'get', 'secret', 'grafana-admin'),
    });
  }
  for (const { kind, namespace } of context.overlay.rollouts) {
    steps.push({
      title: `wait for the ${kind}s in '${namespace}'`,
      ...kubectl(kubeContext, '-n', namespace, 'rollout', 'status', kind, '--timeout=300s'),
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
export function endpoints(overlay: OverlaySummary): string[] {
  const lines = ['UI        http://localhost:8080/   (frontend-service, NodePort 30900)'];
  if (overlay.needsGrafanaSecret)
    lines.push(
      'Grafana   http://localhost:3000/   (user admin, password: see above or `npm run cluster -- password`)',
    );
  return lines;
}
