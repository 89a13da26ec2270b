import { loadAll } from 'js-yaml';

/** What `up` reads from a rendered overlay: which images to bring, what to wait for, which Secret to create. */
export interface OverlaySummary {
  /** Images not built by this repo (learnathon/...), sorted: pulled on the host and loaded into kind. */
  thirdPartyImages: string[];
  /** Images this repo builds (learnathon/..., sidecars included), sorted: they must come from tools/images. */
  localImages: string[];
  /** Namespaces with Deployments or DaemonSets, for `kubectl rollout status`. */
  rollouts: { kind: 'deployment' | 'daemonset'; namespace: string }[];
  /** A pod mounts or reads the `grafana-admin` Secret, which is never in git. */
  needsGrafanaSecret: boolean;
}

interface Container {
  image?: string;
  env?: { valueFrom?: { secretKeyRef?: { name?: string } } }[];
}

interface RenderedObject {
  kind?: string;
  metadata?: { namespace?: string };
  spec?: {
    template?: {
      spec?: {
        containers?: Container[];
        initContainers?: Container[];
        volumes?: { secret?: { secretName?: string } }[];
      };
    };
  };
}

const ROLLOUT_KINDS = { Deployment: 'deployment', DaemonSet: 'daemonset' } as const;
const LOCAL_IMAGE = /^(docker\.io\/)?learnathon\//;

export function summarizeOverlay(renderedYaml: string): OverlaySummary {
  const objects = loadAll(renderedYaml).filter(
    (document): document is RenderedObject => typeof document === 'object' && document !== null,
  );
  const images = new Set<string>();
  const localImages = new Set<string>();
  const rollouts = new Map<string, OverlaySummary['rollouts'][number]>();
  let needsGrafanaSecret = false;
  for (const object of objects) {
    const pod = object.spec?.template?.spec;
    if (!pod) continue;
    const containers = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
    for (const container of containers) {
      if (container.image) (LOCAL_IMAGE.test(container.image) ? localImages : images).add(container.image);
      if (container.env?.some((variable) => variable.valueFrom?.secretKeyRef?.name === 'grafana-admin'))
        needsGrafanaSecret = true;
    }
    if (pod.volumes?.some((volume) => volume.secret?.secretName === 'grafana-admin'))
      needsGrafanaSecret = true;
    const kind = ROLLOUT_KINDS[object.kind as keyof typeof ROLLOUT_KINDS];
    const namespace = object.metadata?.namespace ?? 'default';
    if (kind) rollouts.set(`${kind} ${namespace}`, { kind, namespace });
  }
  return {
    thirdPartyImages: [...images].sort(),
    localImages: [...localImages].sort(),
    rollouts: [...rollouts.values()].sort(
      (a, b) => a.kind.localeCompare(b.kind) || a.namespace.localeCompare(b.namespace),
    ),
    needsGrafanaSecret,
  };
}
