import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IService } from 'kubernetes-models/v1/Service';
import type { K8sObject } from './manifests';

export type Container = IContainer;

/** A pod template with the object that owns it (Deployment, DaemonSet, ...). */
export interface PodTemplate {
  owner: K8sObject;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: IPodSpec;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'Job']);

interface TemplateHolder {
  template?: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: IPodSpec;
  };
}

export function podTemplates(objects: readonly K8sObject[]): PodTemplate[] {
  return objects
    .filter((object) => WORKLOAD_KINDS.has(object.kind))
    .map((owner) => {
      const template = (owner.spec as TemplateHolder | undefined)?.template;
      return {
        owner,
        namespace: owner.metadata.namespace ?? 'default',
        labels: template?.metadata?.labels ?? {},
        annotations: template?.metadata?.annotations ?? {},
        spec: template?.spec ?? { containers: [] },
      };
    });
}

export const allContainers = (pod: PodTemplate): IContainer[] => [
  ...(pod.spec.initContainers ?? []),
  ...pod.spec.containers,
];

/** A native sidecar: an init container that keeps running beside the app (Kubernetes 1.29+). */
export const isNativeSidecar = (container: IContainer): boolean => container.restartPolicy === 'Always';

export const envValue = (container: IContainer, name: string): string | undefined =>
  container.env?.find((variable) => variable.name === name)?.value;

export function selectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

/** Does a port reference (number or name, as in targetPort or a probe's port) name one of the container's ports? */
export function containerHasPort(container: IContainer, port: number | string | undefined): boolean {
  return (container.ports ?? []).some(
    (declared) =>
      declared.containerPort === Number(port) || (declared.name !== undefined && declared.name === port),
  );
}

/**
 * Is a port that a probe of this container names served in its pod? A port name resolves only within
 * the container itself; a number reaches whatever listens on it in the pod's network namespace, such
 * as the app's probe through its Envoy sidecar's inbound port.
 */
export function probePortServed(pod: PodTemplate, container: IContainer, port: number | string): boolean {
  if (typeof port === 'string' && !/^\d+$/.test(port)) return containerHasPort(container, port);
  return allContainers(pod).some((candidate) => containerHasPort(candidate, Number(port)));
}

export const services = (objects: readonly K8sObject[]): (K8sObject & IService)[] =>
  objects.filter((object): object is K8sObject & IService => object.kind === 'Service');

/** The images this repo builds, from the one list in tools/images/images.json. */
export interface BuiltImage {
  project: string;
  repository: string;
  tag: string;
  port: number | null;
}

export type Deployment = K8sObject & IDeployment;
export type Autoscaler = K8sObject & IHorizontalPodAutoscaler;
export type DisruptionBudget = K8sObject & IPodDisruptionBudget;

const ofKind =
  <T extends K8sObject>(kind: string) =>
  (objects: readonly K8sObject[]): T[] =>
    objects.filter((object): object is T => object.kind === kind);

export const deployments = ofKind<Deployment>('Deployment');
export const autoscalers = ofKind<Autoscaler>('HorizontalPodAutoscaler');
export const disruptionBudgets = ofKind<DisruptionBudget>('PodDisruptionBudget');

/** The Deployment an autoscaler scales, if the same objects hold it. */
export const scaledDeployment = (objects: readonly K8sObject[], hpa: Autoscaler): Deployment | undefined =>
  deployments(objects).find(
    (deployment) =>
      hpa.spec?.scaleTargetRef.kind === 'Deployment' &&
      deployment.metadata.name === hpa.spec.scaleTargetRef.name &&
      deployment.metadata.namespace === hpa.metadata.namespace,
  );

/** How many copies of a pod template can run at once: a DaemonSet's one per node, an autoscaler's maximum, else the replicas. */
export function replicasAtMost(objects: readonly K8sObject[], pod: PodTemplate, nodes: number): number {
  const spec = pod.owner.spec as { replicas?: number; parallelism?: number } | undefined;
  if (pod.owner.kind === 'DaemonSet') return nodes;
  if (pod.owner.kind === 'Job') return spec?.parallelism ?? 1;
  const hpa = autoscalers(objects).find((candidate) => scaledDeployment(objects, candidate) === pod.owner);
  return hpa?.spec?.maxReplicas ?? spec?.replicas ?? 1;
}

/** True when a namespace has pods and every one of them is on the host network, where NetworkPolicies do not apply. */
export const onlyHostNetworkPods = (pods: readonly PodTemplate[], namespace: string): boolean => {
  const inNamespace = pods.filter((pod) => pod.namespace === namespace);
  return inNamespace.length > 0 && inNamespace.every((pod) => pod.spec.hostNetwork === true);
};

function parseQuantity(
  quantity: string | number | undefined,
  units: Record<string, number>,
  what: string,
): number {
  if (quantity === undefined) return 0;
  const match = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(String(quantity));
  const factor = match ? units[match[2] as string] : undefined;
  if (!match || factor === undefined) throw new Error(`cannot read ${what} quantity '${quantity}'`);
  return Number(match[1]) * factor;
}

export const cpuMillicores = (quantity: string | number | undefined): number =>
  parseQuantity(quantity, { '': 1000, m: 1 }, 'CPU');

export const memoryMiB = (quantity: string | number | undefined): number =>
  parseQuantity(quantity, { Ki: 1 / 1024, Mi: 1, Gi: 1024, M: 1e6 / 2 ** 20, G: 1e9 / 2 ** 20 }, 'memory');
