import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { load } from 'js-yaml';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import {
  describeObject,
  K8S_ROOT,
  kindConfig,
  listOverlays,
  renderOverlay,
  type K8sObject,
} from './manifests';
import { envoyConfigOf } from './mesh';
import {
  allContainers,
  autoscalers,
  containerHasPort,
  cpuMillicores,
  deployments,
  disruptionBudgets,
  envValue,
  isNativeSidecar,
  memoryMiB,
  onlyHostNetworkPods,
  replicasAtMost,
  scaledDeployment,
  podTemplates,
  probePortServed,
  selectorMatches,
  services,
  type BuiltImage,
  type Container,
  type PodTemplate,
} from './workloads';

/**
 * Policy checks on what `kubectl apply -k k8s/overlays/NAME` would send: the rules a reviewer would
 * otherwise have to remember. Each rule is checked on every overlay.
 */

const APP_NAMESPACE = 'learnathon';
/** Namespaces allowed below "restricted", and why (see k8s/components/node-exporter/namespace.yaml). */
const PRIVILEGED_NAMESPACES: Record<string, string> = {
  'node-exporter': 'hostNetwork, hostPID and hostPath to read node metrics',
};
/** Objects that must live in a namespace Kubernetes creates, and why. */
const OBJECTS_IN_SYSTEM_NAMESPACES: Record<string, string> = {
  'RoleBinding kube-system/metrics-server-auth-reader':
    'reads the ConfigMap kube-system/extension-apiserver-authentication, as every aggregated API server must',
};
/**
 * What the pods may request of one kind worker: kind nodes share the host, so this is a share of a
 * workshop laptop (4 cores, 8 GiB, with room left for the control plane and the host), not a node size.
 */
const KIND_WORKER = { cpuMillicores: 1000, memoryMiB: 2048 };
/** Third-party images published only on Docker Hub, whose anonymous pulls are rate-limited per address. */
const DOCKER_HUB_ONLY: Record<string, string> = {
  'grafana/grafana':
    'no other official registry; `npm run cluster -- up` pulls it once on the host and loads it into kind',
};
/** Below this a uid may belong to a user of the node (system accounts, the image's own users such as Grafana's 472). */
const MIN_UID = 10000;
const SAFE_VOLUME_TYPES = [
  'configMap',
  'emptyDir',
  'secret',
  'projected',
  'downwardAPI',
  'persistentVolumeClaim',
  'ephemeral',
  'csi',
];

const namespaces = (objects: readonly K8sObject[]) => objects.filter((object) => object.kind === 'Namespace');
const networkPolicies = (objects: readonly K8sObject[]) =>
  objects.filter((object): object is K8sObject & INetworkPolicy => object.kind === 'NetworkPolicy');
const enforcedLevel = (objects: readonly K8sObject[], namespace: string) =>
  namespaces(objects).find((object) => object.metadata.name === namespace)?.metadata.labels?.[
    'pod-security.kubernetes.io/enforce'
  ];
const where = (pod: PodTemplate, container?: Container) =>
  `${describeObject(pod.owner)}${container ? ` container ${container.name}` : ''}`;

/** Violations of the Pod Security "restricted" profile (plus our own read-only root filesystem rule). */
function restrictedViolations(pod: PodTemplate): string[] {
  const problems: string[] = [];
  const podSecurity = pod.spec.securityContext ?? {};
  if (pod.spec.hostNetwork || pod.spec.hostPID || pod.spec.hostIPC)
    problems.push(`${where(pod)} uses host namespaces`);
  for (const volume of pod.spec.volumes ?? []) {
    const type = Object.keys(volume).find((key) => key !== 'name');
    if (!type || !SAFE_VOLUME_TYPES.includes(type))
      problems.push(`${where(pod)} volume ${volume.name} is of type ${type}`);
  }
  for (const container of allContainers(pod)) {
    const security = container.securityContext ?? {};
    const runAsNonRoot = security.runAsNonRoot ?? podSecurity.runAsNonRoot;
    const runAsUser = security.runAsUser ?? podSecurity.runAsUser;
    const seccomp = security.seccompProfile?.type ?? podSecurity.seccompProfile?.type;
    if (runAsNonRoot !== true) problems.push(`${where(pod, container)} lacks runAsNonRoot: true`);
    if (runAsUser === 0) problems.push(`${where(pod, container)} runs as uid 0`);
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
      problems.push(`${where(pod, container)} lacks seccompProfile RuntimeDefault`);
    if (security.allowPrivilegeEscalation !== false)
      problems.push(`${where(pod, container)} lacks allowPrivilegeEscalation: false`);
    if (security.privileged) problems.push(`${where(pod, container)} is privileged`);
    if (!security.capabilities?.drop?.includes('ALL'))
      problems.push(`${where(pod, container)} does not drop ALL capabilities`);
    const added = (security.capabilities?.add ?? []).filter(
      (capability) => capability !== 'NET_BIND_SERVICE',
    );
    if (added.length > 0) problems.push(`${where(pod, container)} adds capabilities ${added.join(', ')}`);
    if (security.readOnlyRootFilesystem !== true)
      problems.push(`${where(pod, container)} lacks readOnlyRootFilesystem: true`);
    if ((container.ports ?? []).some((port) => port.hostPort))
      problems.push(`${where(pod, container)} uses a hostPort`);
  }
  return problems;
}

function probePortProblems(
  pod: PodTemplate,
  container: Container,
  kind: string,
  probe: IProbe | undefined,
): string[] {
  if (!probe) return [`${where(pod, container)} has no ${kind}`];
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
  if (port === undefined) return [];
  return probePortServed(pod, container, port)
    ? []
    : [
        `${where(pod, container)} ${kind} uses port ${port}, which the container (by name) or pod (by number) does not declare`,
      ];
}

const podDeclaresPort = (pod: PodTemplate, port: number) =>
  allContainers(pod).some((declarer) => containerHasPort(declarer, port));

function readImageList(): BuiltImage[] {
  const path = join(K8S_ROOT, '..', 'tools', 'images', 'images.json');
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { images?: BuiltImage[] };
  if (!Array.isArray(parsed.images) || parsed.images.length === 0)
    throw new Error(`${path} has no "images" list`);
  return parsed.images;
}

describe.each(listOverlays())('overlay %s', (overlay) => {
  const objects = renderOverlay(overlay);
  const pods = podTemplates(objects);
  const appPods = pods.filter((pod) => pod.namespace === APP_NAMESPACE);

  it('has the app in it', () => {
    expect(appPods.map((pod) => pod.owner.metadata.name).sort()).toEqual(
      expect.arrayContaining(['details', 'frontend', 'pinger-v1']),
    );
  });

  // warn and audit at the enforced level: a warning on every apply reads as a failure to a learner.
  it('labels every namespace for Pod Security Admission, "restricted" unless listed as privileged', () => {
    const problems = namespaces(objects).flatMap((namespace) => {
      const labels = namespace.metadata.labels ?? {};
      const expected = namespace.metadata.name in PRIVILEGED_NAMESPACES ? 'privileged' : 'restricted';
      return ['enforce', 'warn', 'audit']
        .filter((mode) => labels[`pod-security.kubernetes.io/${mode}`] !== expected)
        .map(
          (mode) =>
            `Namespace ${namespace.metadata.name}: pod-security.kubernetes.io/${mode} is not ${expected}`,
        )
        .concat(
          labels['pod-security.kubernetes.io/enforce'] === expected
            ? []
            : [`Namespace ${namespace.metadata.name} does not enforce ${expected}`],
        );
    });
    expect(problems).toEqual([]);
  });

  it('puts every namespaced object in a namespace the overlay creates', () => {
    const clusterScoped = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'APIService']);
    const created = new Set(namespaces(objects).map((namespace) => namespace.metadata.name));
    const strays = objects
      .filter((object) => !clusterScoped.has(object.kind) && !created.has(object.metadata.namespace ?? ''))
      .map(describeObject)
      .filter((name) => !(name in OBJECTS_IN_SYSTEM_NAMESPACES));
    expect(strays).toEqual([]);
  });

  it('meets the "restricted" Pod Security profile in every pod template of a restricted namespace', () => {
    const restrictedPods = pods.filter((pod) => enforcedLevel(objects, pod.namespace) === 'restricted');
    expect(restrictedPods.length).toBeGreaterThanOrEqual(3);
    expect(restrictedPods.flatMap(restrictedViolations)).toEqual([]);
  });

  it('gives every container (native sidecars too) readiness and liveness probes on a port the pod declares', () => {
    const problems = pods.flatMap((pod) =>
      [...pod.spec.containers, ...(pod.spec.initContainers?.filter(isNativeSidecar) ?? [])].flatMap(
        (container) => [
          ...probePortProblems(pod, container, 'readinessProbe', container.readinessProbe),
          ...probePortProblems(pod, container, 'livenessProbe', container.livenessProbe),
        ],
      ),
    );
    expect(problems).toEqual([]);
  });

  it('probes the app on /readyz (readiness) and /healthz (liveness)', () => {
    const problems = appPods.flatMap((pod) =>
      pod.spec.containers
        .filter((container) => container.image?.startsWith('learnathon/'))
        .flatMap((container) => [
          container.readinessProbe?.httpGet?.path === '/readyz'
            ? []
            : [`${where(pod, container)} readiness is not GET /readyz`],
          container.livenessProbe?.httpGet?.path === '/healthz'
            ? []
            : [`${where(pod, container)} liveness is not GET /healthz`],
        ])
        .flat(),
    );
    expect(problems).toEqual([]);
  });

  it('sets cpu and memory requests and limits on every container', () => {
    const problems = pods.flatMap((pod) =>
      allContainers(pod).flatMap((container) =>
        ['requests', 'limits'].flatMap((kind) =>
          ['cpu', 'memory']
            .filter(
              (resource) => container.resources?.[kind as 'requests' | 'limits']?.[resource] === undefined,
            )
            .map((resource) => `${where(pod, container)} has no ${resource} ${kind}`),
        ),
      ),
    );
    expect(problems).toEqual([]);
  });

  it('selects pods with every Service and targets ports those pods declare', () => {
    const problems = services(objects).flatMap((service) => {
      const selector = service.spec?.selector ?? {};
      const backends = pods.filter(
        (pod) => pod.namespace === service.metadata.namespace && selectorMatches(selector, pod.labels),
      );
      if (backends.length === 0) return [`${describeObject(service)} selects no pod template`];
      return (service.spec?.ports ?? []).flatMap((port) =>
        backends
          .filter(
            (pod) =>
              !allContainers(pod).some((container) =>
                containerHasPort(container, port.targetPort ?? port.port),
              ),
          )
          .map(
            (pod) =>
              `${describeObject(service)} port ${port.name ?? port.port} targets ${port.targetPort}, not declared by ${where(pod)}`,
          ),
      );
    });
    expect(problems).toEqual([]);
  });

  it('selects pods with every PodDisruptionBudget', () => {
    const budgets = objects.filter((object) => object.kind === 'PodDisruptionBudget');
    const orphans = budgets.filter((budget) => {
      const selector =
        (budget.spec as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels ?? {};
      return !pods.some(
        (pod) => pod.namespace === budget.metadata.namespace && selectorMatches(selector, pod.labels),
      );
    });
    expect(budgets.length).toBeGreaterThan(0);
    expect(orphans.map(describeObject)).toEqual([]);
  });

  it('runs every pod under a ServiceAccount of its namespace, without a token unless it calls the API', () => {
    const accounts = objects.filter((object) => object.kind === 'ServiceAccount');
    const needsToken = new Set(['prometheus', 'kube-state-metrics', 'metrics-server']);
    const problems = pods.flatMap((pod) => {
      const name = pod.spec.serviceAccountName;
      if (
        !name ||
        !accounts.some(
          (account) => account.metadata.name === name && account.metadata.namespace === pod.namespace,
        )
      ) {
        return [
          `${where(pod)} uses ServiceAccount ${name ?? '(default)'}, which the overlay does not create`,
        ];
      }
      const mounted = pod.spec.automountServiceAccountToken !== false;
      return mounted === needsToken.has(name)
        ? []
        : [`${where(pod)} automountServiceAccountToken should be ${needsToken.has(name)}`];
    });
    expect(problems).toEqual([]);
  });

  it('has a default-deny NetworkPolicy in every namespace with pods that policies reach', () => {
    const missing = namespaces(objects)
      .map((namespace) => namespace.metadata.name)
      .filter((name) => !onlyHostNetworkPods(pods, name))
      .filter(
        (name) =>
          !objects.some((object) => {
            if (object.kind !== 'NetworkPolicy' || object.metadata.namespace !== name) return false;
            const spec = object.spec as {
              podSelector?: object;
              policyTypes?: string[];
              ingress?: unknown[];
              egress?: unknown[];
            };
            const selectsAll = Object.keys(spec.podSelector ?? { any: true }).length === 0;
            const bothDirections = ['Ingress', 'Egress'].every((type) => spec.policyTypes?.includes(type));
            return selectsAll && bothDirections && !spec.ingress?.length && !spec.egress?.length;
          }),
      );
    expect(missing).toEqual([]);
  });

  it('has no NetworkPolicy that selects only hostNetwork pods, which policies do not reach', () => {
    const idle = networkPolicies(objects)
      .filter((policy) => onlyHostNetworkPods(pods, policy.metadata.namespace ?? ''))
      .map(describeObject);
    expect(idle).toEqual([]);
  });

  it('rolls every Deployment out without dropping below serving capacity', () => {
    const problems = deployments(objects).flatMap((deployment) => {
      const strategy = deployment.spec?.strategy;
      const maxUnavailable = strategy?.rollingUpdate?.maxUnavailable;
      const maxSurge = strategy?.rollingUpdate?.maxSurge;
      return [
        strategy?.type === 'RollingUpdate'
          ? ''
          : `strategy ${strategy?.type ?? '(default)'} is not RollingUpdate`,
        maxUnavailable === 0 || maxUnavailable === '0%'
          ? ''
          : `maxUnavailable ${maxUnavailable ?? '(default 25%)'} is not 0`,
        maxSurge !== undefined && maxSurge !== 0 && maxSurge !== '0%'
          ? ''
          : `maxSurge ${maxSurge ?? '(default)'} is not set above 0`,
        (deployment.spec?.minReadySeconds ?? 0) > 0 ? '' : 'minReadySeconds is not set',
      ]
        .filter(Boolean)
        .map((problem) => `${describeObject(deployment)}: ${problem}`);
    });
    expect(deployments(objects).length).toBeGreaterThanOrEqual(3);
    expect(problems).toEqual([]);
  });

  it('points every HorizontalPodAutoscaler at a Deployment that requests CPU in every container and sets no replicas', () => {
    const problems = autoscalers(objects).flatMap((hpa) => {
      const target = scaledDeployment(objects, hpa);
      if (!target) return [`${describeObject(hpa)} targets no Deployment of the overlay`];
      const pod = podTemplates([target])[0] as PodTemplate;
      return [
        ...allContainers(pod)
          .filter((container) => container.resources?.requests?.['cpu'] === undefined)
          .map((container) => `${where(pod, container)} has no CPU request for ${describeObject(hpa)}`),
        target.spec?.replicas === undefined
          ? ''
          : `${describeObject(target)} sets replicas, which ${describeObject(hpa)} owns`,
        (hpa.spec?.metrics ?? []).some((metric) => metric.resource?.name === 'cpu')
          ? ''
          : `${describeObject(hpa)} does not scale on CPU`,
      ].filter(Boolean);
    });
    expect(problems).toEqual([]);
  });

  it('keeps every PodDisruptionBudget satisfiable at the autoscaler minimum (one pod may still be evicted)', () => {
    const problems = autoscalers(objects).flatMap((hpa) => {
      const target = scaledDeployment(objects, hpa);
      const pod = target && (podTemplates([target])[0] as PodTemplate);
      const minReplicas = hpa.spec?.minReplicas ?? 1;
      return disruptionBudgets(objects)
        .filter(
          (budget) =>
            pod &&
            budget.metadata.namespace === pod.namespace &&
            selectorMatches(budget.spec?.selector?.matchLabels ?? {}, pod.labels),
        )
        .filter((budget) => {
          const minAvailable = budget.spec?.minAvailable;
          return typeof minAvailable !== 'number' || minAvailable >= minReplicas;
        })
        .map(
          (budget) =>
            `${describeObject(budget)} minAvailable ${budget.spec?.minAvailable} leaves no eviction at ${describeObject(hpa)} minReplicas ${minReplicas}`,
        );
    });
    expect(problems).toEqual([]);
  });

  it(`fits the kind cluster at every autoscaler maximum (${KIND_WORKER.cpuMillicores}m CPU and ${KIND_WORKER.memoryMiB} MiB requested per worker)`, () => {
    const workers = kindConfig().nodes.filter((node) => node.role === 'worker').length;
    const requested = podTemplates(objects).reduce(
      (total, pod) => {
        const copies = replicasAtMost(objects, pod, workers);
        const containers = allContainers(pod);
        return {
          cpu:
            total.cpu +
            copies *
              containers.reduce(
                (sum, container) => sum + cpuMillicores(container.resources?.requests?.['cpu']),
                0,
              ),
          memory:
            total.memory +
            copies *
              containers.reduce(
                (sum, container) => sum + memoryMiB(container.resources?.requests?.['memory']),
                0,
              ),
        };
      },
      { cpu: 0, memory: 0 },
    );
    expect(requested.cpu).toBeLessThanOrEqual(workers * KIND_WORKER.cpuMillicores);
    expect(requested.memory).toBeLessThanOrEqual(workers * KIND_WORKER.memoryMiB);
  });

  it('gives pods more termination grace than the shutdown sequence can take', () => {
    // drainAndStop: SHUTDOWN_DELAY_MS, then up to SHUTDOWN_TIMEOUT_MS draining, then up to the same again for hooks.
    const checked = pods.flatMap((pod) =>
      pod.spec.containers
        .filter((container) => envValue(container, 'SHUTDOWN_DELAY_MS') !== undefined)
        .map((container) => {
          const worstCaseSeconds =
            (Number(envValue(container, 'SHUTDOWN_DELAY_MS')) +
              2 * Number(envValue(container, 'SHUTDOWN_TIMEOUT_MS'))) /
            1000;
          return {
            name: where(pod, container),
            grace: pod.spec.terminationGracePeriodSeconds ?? 30,
            worstCaseSeconds,
          };
        }),
    );
    expect(checked.map((entry) => entry.name).length).toBeGreaterThanOrEqual(3);
    expect(checked.filter((entry) => !(entry.grace > entry.worstCaseSeconds))).toEqual([]);
  });

  it('configures the app as the architecture says', () => {
    const appContainers = appPods.flatMap((pod) =>
      pod.spec.containers.filter((container) => container.image?.startsWith('learnathon/')),
    );
    const problems = appContainers.flatMap((container) =>
      [
        ['LOG_LEVEL', 'info'],
        ['SHUTDOWN_DELAY_MS', '5000'],
        ['SHUTDOWN_TIMEOUT_MS', '10000'],
      ]
        .filter(([name, value]) => envValue(container, name as string) !== value)
        .map(([name, value]) => `${container.name}: ${name} should be ${value}`)
        .concat(
          container.env?.some((variable) => variable.name === 'OTEL_SDK_DISABLED')
            ? [`${container.name}: OTEL_SDK_DISABLED must stay unset`]
            : [],
        ),
    );
    // One app container per app pod: frontend, pinger-v1, details (and pinger-v2 in the canary overlays).
    expect(appContainers).toHaveLength(appPods.length);
    expect(appPods.length).toBeGreaterThanOrEqual(3);
    expect(problems).toEqual([]);
  });

  it('points every in-cluster URL in the environment at a Service port that exists', () => {
    const serviceUrls = pods.flatMap((pod) =>
      allContainers(pod).flatMap((container) =>
        (container.env ?? [])
          .filter((variable) => /^https?:\/\/[a-z0-9-]+(\.[a-z0-9-]+)?:\d+/.test(variable.value ?? ''))
          .map((variable) => ({ pod, variable: variable.name, url: new URL(variable.value as string) })),
      ),
    );
    const problems = serviceUrls.flatMap(({ pod, variable, url }) => {
      const [name, namespace = pod.namespace] = url.hostname.split('.');
      const target = services(objects).find(
        (service) => service.metadata.name === name && service.metadata.namespace === namespace,
      );
      const served = target?.spec?.ports?.some((port) => port.port === Number(url.port));
      return served
        ? []
        : [`${where(pod)} ${variable}=${url.href}: no Service ${namespace}/${name} on port ${url.port}`];
    });
    // In a meshed pod the app calls its own sidecar's loopback listeners, which must exist in its Envoy config.
    const loopbackUrls = pods.flatMap((pod) =>
      allContainers(pod).flatMap((container) =>
        (container.env ?? [])
          .filter((variable) => /^https?:\/\/127\.0\.0\.1:\d+/.test(variable.value ?? ''))
          .map((variable) => ({ pod, variable: variable.name, url: new URL(variable.value as string) })),
      ),
    );
    const unserved = loopbackUrls.flatMap(({ pod, variable, url }) =>
      envoyConfigOf(objects, pod).static_resources.listeners.some(
        (listener) =>
          listener.address.socket_address.address === url.hostname &&
          listener.address.socket_address.port_value === Number(url.port),
      )
        ? []
        : [`${where(pod)} ${variable}=${url.href}: no listener of its Envoy sidecar on ${url.host}`],
    );
    expect([...serviceUrls, ...loopbackUrls].map(({ variable }) => variable)).toEqual(
      expect.arrayContaining(['PINGER_BASE_URL', 'DETAILS_BASE_URL']),
    );
    expect(problems).toEqual([]);
    expect(unserved).toEqual([]);
  });

  it('uses only the images tools/images builds for the app and its sidecars, loaded into kind and never pulled', () => {
    const built = readImageList();
    const problems = appPods.flatMap((pod) =>
      allContainers(pod)
        .filter((container) => container.image?.startsWith('learnathon/'))
        .flatMap((container) => {
          const image = built.find(
            (candidate) => `${candidate.repository}:${candidate.tag}` === container.image,
          );
          if (!image)
            return [
              `${where(pod, container)} uses ${container.image}, which tools/images/images.json does not build`,
            ];
          return [
            container.imagePullPolicy === 'Never'
              ? ''
              : `${where(pod, container)} imagePullPolicy is not Never (a missing load must fail, not pull from Docker Hub)`,
            // In a meshed pod the sidecar takes the image's port and the app listens on loopback behind it.
            image.port === null || podDeclaresPort(pod, image.port)
              ? ''
              : `${where(pod, container)}: no container of the pod declares port ${image.port} of ${container.image}`,
          ].filter(Boolean);
        }),
    );
    expect(problems).toEqual([]);
  });

  it('takes third-party images from registries without anonymous pull limits, fully named, except where listed', () => {
    const problems = pods.flatMap((pod) =>
      allContainers(pod)
        .filter((container) => !container.image?.startsWith('learnathon/'))
        .flatMap((container) => {
          const image = container.image ?? '';
          const registry = image.split('/')[0] ?? '';
          if (!registry.includes('.'))
            return [`${where(pod, container)}: ${image} does not name its registry`];
          if (registry !== 'docker.io') return [];
          const repository = image.replace(/^docker\.io\//, '').replace(/[:@].*$/, '');
          return repository in DOCKER_HUB_ONLY
            ? []
            : [`${where(pod, container)}: ${image} is pulled from Docker Hub`];
        }),
    );
    expect(problems).toEqual([]);
  });

  it('never pulls an image that is already on the node, so the images `up` loads into kind are the ones that run', () => {
    const alwaysPulled = pods.flatMap((pod) =>
      allContainers(pod)
        .filter((container) => container.imagePullPolicy === 'Always')
        .map((container) => `${where(pod, container)}: ${container.image}`),
    );
    expect(alwaysPulled).toEqual([]);
  });

  it('pins every third-party image to a version', () => {
    const unpinned = pods.flatMap((pod) =>
      allContainers(pod)
        .filter((container) => !container.image?.startsWith('learnathon/'))
        .filter((container) => !/:v?\d+\.\d+\.\d+$|@sha256:[0-9a-f]{64}$/.test(container.image ?? ''))
        .map((container) => `${where(pod, container)}: ${container.image}`),
    );
    expect(unpinned).toEqual([]);
  });

  it('points every scrape annotation at a declared container port and an absolute path', () => {
    const scraped = pods.filter((pod) => pod.annotations['prometheus.io/scrape'] === 'true');
    const problems = scraped.flatMap((pod) => {
      const port = pod.annotations['prometheus.io/port'];
      const path = pod.annotations['prometheus.io/path'] ?? '/metrics';
      return [
        allContainers(pod).some((container) => containerHasPort(container, Number(port)))
          ? ''
          : `${where(pod)} scrapes port ${port}, which no container declares`,
        path.startsWith('/') ? '' : `${where(pod)} scrape path ${path} is not absolute`,
      ].filter(Boolean);
    });
    expect(problems).toEqual([]);
  });

  it('names the destination (`to`) of every egress rule: ports alone allow any address', () => {
    const problems = networkPolicies(objects).flatMap((policy) =>
      (policy.spec?.egress ?? [])
        .filter((rule) => !rule.to?.length)
        .map(
          (rule) =>
            `${describeObject(policy)} allows egress on ${(rule.ports ?? []).map((port) => port.port).join(', ') || 'every port'} to any address`,
        ),
    );
    expect(problems).toEqual([]);
  });

  it('never hands a Secret to a container as an environment variable (a file mount does not leak into the env)', () => {
    const problems = pods.flatMap((pod) =>
      allContainers(pod).flatMap((container) => [
        ...(container.env ?? [])
          .filter((variable) => variable.valueFrom?.secretKeyRef)
          .map((variable) => `${where(pod, container)} reads ${variable.name} from a Secret`),
        ...(container.envFrom ?? [])
          .filter((source) => source.secretRef)
          .map((source) => `${where(pod, container)} takes its env from Secret ${source.secretRef?.name}`),
      ]),
    );
    expect(problems).toEqual([]);
  });

  it("never enables Prometheus's unauthenticated lifecycle (/-/quit, /-/reload) or admin API", () => {
    const problems = pods.flatMap((pod) =>
      allContainers(pod).flatMap((container) =>
        [...(container.command ?? []), ...(container.args ?? [])]
          .filter((arg) => /^--web\.enable-(lifecycle|admin-api)\b/.test(arg))
          .map((arg) => `${where(pod, container)} runs with ${arg}`),
      ),
    );
    expect(problems).toEqual([]);
  });

  it(`runs every container of a restricted namespace as a uid of at least ${MIN_UID}`, () => {
    const problems = pods
      .filter((pod) => enforcedLevel(objects, pod.namespace) === 'restricted')
      .flatMap((pod) =>
        allContainers(pod).flatMap((container) => {
          const uid = container.securityContext?.runAsUser ?? pod.spec.securityContext?.runAsUser;
          return uid !== undefined && uid >= MIN_UID ? [] : [`${where(pod, container)} runs as uid ${uid}`];
        }),
      );
    expect(problems).toEqual([]);
  });

  it('keeps secrets out of git: no Secret objects with data, no literal passwords or tokens', () => {
    const literalSecrets = objects.filter(
      (object) => object.kind === 'Secret' && (object.data !== undefined || object.stringData !== undefined),
    );
    const plainPasswords = pods.flatMap((pod) =>
      allContainers(pod).flatMap((container) =>
        (container.env ?? [])
          .filter(
            (variable) =>
              /PASSWORD|TOKEN|SECRET/.test(variable.name) &&
              !variable.name.endsWith('__FILE') &&
              variable.value !== undefined,
          )
          .map((variable) => `${where(pod, container)} ${variable.name}`),
      ),
    );
    expect(literalSecrets.map(describeObject)).toEqual([]);
    expect(plainPasswords).toEqual([]);
  });
});

describe('the monitoring overlay', () => {
  const objects = renderOverlay('monitoring');
  const appPods = podTemplates(objects).filter((pod) => pod.namespace === APP_NAMESPACE);

  it('annotates every app pod for scraping on the port that serves /metrics (the app port, with /readyz)', () => {
    const problems = appPods.flatMap((pod) => {
      const app = pod.spec.containers[0] as Container;
      const appPort = app.readinessProbe?.httpGet?.port;
      const annotated = pod.annotations['prometheus.io/port'];
      return [
        pod.annotations['prometheus.io/scrape'] === 'true' ? '' : `${where(pod)} is not scraped`,
        pod.annotations['prometheus.io/path'] === '/metrics'
          ? ''
          : `${where(pod)} scrape path is not /metrics`,
        containerHasPort(app, Number(annotated)) &&
        app.ports?.find((port) => port.containerPort === Number(annotated))?.name === appPort
          ? ''
          : `${where(pod)} scrapes port ${annotated}, not the app port ${appPort}`,
      ].filter(Boolean);
    });
    expect(appPods).toHaveLength(3);
    expect(problems).toEqual([]);
  });

  it('autoscales frontend and details on CPU, never pinger, with the metrics API served by metrics-server', () => {
    const apiService = objects.find(
      (object) => object.kind === 'APIService' && object.metadata.name === 'v1beta1.metrics.k8s.io',
    ) as
      (K8sObject & { spec?: { service?: { name: string; namespace: string; port?: number } } }) | undefined;
    const backend = services(objects).find(
      (service) =>
        service.metadata.name === apiService?.spec?.service?.name &&
        service.metadata.namespace === apiService?.spec?.service?.namespace,
    );
    expect(
      autoscalers(objects)
        .map((hpa) => scaledDeployment(objects, hpa)?.metadata.name)
        .sort(),
    ).toEqual(['details', 'frontend']);
    expect(backend?.spec?.ports?.map((port) => port.port)).toContain(apiService?.spec?.service?.port);
  });

  it('sends the app traces to the Jaeger OTLP/HTTP port', () => {
    const endpoints = appPods.map((pod) =>
      envValue(pod.spec.containers[0] as Container, 'OTEL_EXPORTER_OTLP_ENDPOINT'),
    );
    expect(endpoints).toEqual([
      'http://jaeger.monitoring:4318',
      'http://jaeger.monitoring:4318',
      'http://jaeger.monitoring:4318',
    ]);
  });

  it('reads the Grafana admin password from a file mounted from the grafana-admin Secret, which is never in git', () => {
    const grafana = podTemplates(objects).find((pod) => pod.owner.metadata.name === 'grafana');
    const container = grafana?.spec.containers[0] as Container;
    const passwordFile = envValue(container, 'GF_SECURITY_ADMIN_PASSWORD__FILE') ?? '';
    const mount = container.volumeMounts?.find((candidate) =>
      passwordFile.startsWith(`${candidate.mountPath}/`),
    );
    const volume = grafana?.spec.volumes?.find((candidate) => candidate.name === mount?.name);
    expect(container.env?.some((variable) => variable.name === 'GF_SECURITY_ADMIN_PASSWORD')).toBe(false);
    expect(mount?.readOnly).toBe(true);
    expect(volume?.secret).toMatchObject({ secretName: 'grafana-admin', optional: false });
    expect(volume?.secret?.items).toEqual([
      { key: 'password', path: passwordFile.slice((mount?.mountPath.length ?? 0) + 1) },
    ]);
    expect(objects.filter((object) => object.kind === 'Secret')).toEqual([]);
  });
});

describe('the kustomizations in git', () => {
  const kustomizations = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return kustomizations(path);
      return entry.name === 'kustomization.yaml' ? [path] : [];
    });

  it('generate no Secrets (a secretGenerator would put the secret material in git)', () => {
    const generating = kustomizations(K8S_ROOT).filter(
      (path) =>
        (load(readFileSync(path, 'utf8')) as { secretGenerator?: unknown }).secretGenerator !== undefined,
    );
    expect(generating.map((path) => relative(K8S_ROOT, path))).toEqual([]);
  });

  it('include a README in every component', () => {
    const components = readdirSync(join(K8S_ROOT, 'components'));
    const withoutReadme = components.filter((component) => {
      try {
        return readFileSync(join(K8S_ROOT, 'components', component, 'README.md'), 'utf8').trim().length === 0;
      } catch {
        return true;
      }
    });
    expect(withoutReadme).toEqual([]);
  });
});
