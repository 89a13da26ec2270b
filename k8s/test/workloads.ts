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

export const services = (objects: readonly K8sObject[]): (K8sObject & IService)[] =>
  objects.filter((object): object is K8sObject & IService => object.kind === 'Service');

/** The images this repo builds, from the one list in tools/images/images.json. */
export interface BuiltImage {
  project: string;
  repository: string;
  tag: string;
  port: number | null;
}
