import { CONFIG_KEY } from '@learnathon/mesh';
import { describeObject, type K8sObject } from './manifests';
import {
  isNativeSidecar,
  podTemplates,
  selectorMatches,
  services,
  type Container,
  type PodTemplate,
} from './workloads';

/** The overlays with an Envoy sidecar in every app pod (k8s/components/mesh). */
export const MESH_OVERLAYS = ['mesh', 'canary-5', 'canary-50', 'canary-100'] as const;
export const SIDECAR_CONTAINER = 'envoy';
export const ENVOY_CONFIG_DIR = '/etc/envoy';

export interface SocketAddress {
  address: string;
  port_value: number;
}

/** The parts of an Envoy bootstrap (proto3 JSON) the overlay checks read. */
export interface EnvoyBootstrap {
  static_resources: {
    listeners: { name: string; address: { socket_address: SocketAddress } }[];
    clusters: {
      name: string;
      load_assignment?: {
        endpoints: { lb_endpoints: { endpoint: { address: { socket_address: SocketAddress } } }[] }[];
      };
    }[];
  };
}

export const appPodsOf = (objects: readonly K8sObject[]): PodTemplate[] =>
  podTemplates(objects).filter((pod) => pod.namespace === 'learnathon' && pod.owner.kind === 'Deployment');

export const sidecarOf = (pod: PodTemplate): Container | undefined =>
  (pod.spec.initContainers ?? []).find(
    (container) => container.name === SIDECAR_CONTAINER && isNativeSidecar(container),
  );

/** The app container: the one that is not a sidecar (container 0 of every app pod). */
export const appContainerOf = (pod: PodTemplate): Container => pod.spec.containers[0] as Container;

export const containerPortNumbers = (container: Container | undefined): number[] =>
  (container?.ports ?? []).map((port) => port.containerPort);

/** The ConfigMap mounted as the sidecar's config directory, found through its volume. */
export function sidecarConfigMap(objects: readonly K8sObject[], pod: PodTemplate): K8sObject {
  const mount = sidecarOf(pod)?.volumeMounts?.find((candidate) => candidate.mountPath === ENVOY_CONFIG_DIR);
  const volume = pod.spec.volumes?.find((candidate) => candidate.name === mount?.name);
  const name = volume?.configMap?.name;
  const configMap = objects.find(
    (object) =>
      object.kind === 'ConfigMap' &&
      object.metadata.name === name &&
      object.metadata.namespace === pod.namespace,
  );
  if (!configMap)
    throw new Error(
      `${describeObject(pod.owner)}: no ConfigMap ${name ?? '(none)'} mounted at ${ENVOY_CONFIG_DIR}`,
    );
  return configMap;
}

export const envoyJsonOf = (objects: readonly K8sObject[], pod: PodTemplate): string =>
  (sidecarConfigMap(objects, pod).data as Record<string, string> | undefined)?.[CONFIG_KEY] ?? '';

export const envoyConfigOf = (objects: readonly K8sObject[], pod: PodTemplate): EnvoyBootstrap =>
  JSON.parse(envoyJsonOf(objects, pod)) as EnvoyBootstrap;

/** targetPorts of the Services that select this pod. */
export const serviceTargetPortsOf = (objects: readonly K8sObject[], pod: PodTemplate): (number | string)[] =>
  services(objects)
    .filter(
      (service) =>
        service.metadata.namespace === pod.namespace &&
        selectorMatches(service.spec?.selector ?? {}, pod.labels),
    )
    .flatMap((service) => (service.spec?.ports ?? []).map((port) => port.targetPort ?? port.port));
