import {
  ApiException,
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1ConfigMap,
} from '@kubernetes/client-node';
import { createHash } from 'node:crypto';

/** The frontend's Envoy ConfigMap (stable name, mounted as a directory by the sidecar). */
export const FRONTEND_CONFIGMAP = 'envoy-frontend';
export const CONFIG_KEY = 'envoy.json';
export const FRONTEND_SELECTOR = 'app=frontend';
/** The sidecar supervisor's status port (`sidecar-http`), read through the API server's pod proxy. */
export const SUPERVISOR_STATUS_PORT = 9903;
export const ANNOTATION_PREFIX = 'cutover.learnathon.dev';
const UPDATE_ATTEMPTS = 5;

/** What the sidecar reports as `configHash`: sha256 of the exact bytes of envoy.json. */
export const configHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The cluster or the API refused or failed; the message says what and where. */
export class ClusterError extends Error {}

export interface FrontendConfig {
  text: string;
  resourceVersion: string;
  annotations: Record<string, string>;
}

export interface ClusterTarget {
  namespace: string;
  /** kubeconfig context; the current one when unset. */
  context: string | undefined;
}

export interface Permission {
  verb: string;
  resource: string;
  subresource?: string;
  name?: string;
}

/** Everything a cutover writes or reads, checked with a SelfSubjectAccessReview before the first write. */
export const REQUIRED_PERMISSIONS: Permission[] = [
  { verb: 'get', resource: 'configmaps', name: FRONTEND_CONFIGMAP },
  { verb: 'update', resource: 'configmaps', name: FRONTEND_CONFIGMAP },
  { verb: 'get', resource: 'services' },
  { verb: 'list', resource: 'pods' },
  { verb: 'patch', resource: 'pods' },
  { verb: 'get', resource: 'pods', subresource: 'proxy' },
];

/** Loads the user's kubeconfig ($KUBECONFIG or ~/.kube/config), switching context if asked. */
export function loadKubeConfig(context: string | undefined): KubeConfig {
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromDefault();
  } catch (error) {
    throw new ClusterError(
      `cannot read your kubeconfig ($KUBECONFIG or ~/.kube/config): ${(error as Error).message}`,
    );
  }
  if (context) {
    if (!kubeConfig.getContexts().some((candidate) => candidate.name === context))
      throw new ClusterError(
        `--context '${context}' is not in your kubeconfig (contexts: ${
          kubeConfig
            .getContexts()
            .map((c) => c.name)
            .join(', ') || 'none'
        })`,
      );
    kubeConfig.setCurrentContext(context);
  }
  if (!kubeConfig.getCurrentCluster())
    throw new ClusterError(
      'no Kubernetes cluster configured: set a context in your kubeconfig or pass --context',
    );
  return kubeConfig;
}

/** The calls a cutover makes to the Kubernetes API, with errors turned into sentences. */
export class FrontendCluster {
  private readonly core: CoreV1Api;
  private readonly authorization: AuthorizationV1Api;
  readonly server: string;
  readonly user: string;

  constructor(
    kubeConfig: KubeConfig,
    readonly namespace: string,
  ) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.authorization = kubeConfig.makeApiClient(AuthorizationV1Api);
    this.server = kubeConfig.getCurrentCluster()?.server ?? 'unknown server';
    this.user = kubeConfig.getCurrentUser()?.name ?? 'unknown user';
  }

  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.explain(what, error);
    }
  }

  private explain(what: string, error: unknown): Error {
    if (error instanceof ApiException) {
      const reason = apiMessage(error.body);
      if (error.code === 403)
        return new ClusterError(`${what}: forbidden for ${this.user}${reason ? ` (${reason})` : ''}`);
      if (error.code === 404)
        return new ClusterError(
          `${what}: not found in namespace '${this.namespace}'${reason ? ` (${reason})` : ''}`,
        );
      return new ClusterError(
        `${what}: the API server answered ${error.code}${reason ? ` (${reason})` : ''}`,
      );
    }
    // node-fetch (inside the client) puts the socket error's code on the error itself.
    const failure = error as { code?: string; cause?: { code?: string }; message?: string };
    const cause = failure.code ?? failure.cause?.code ?? failure.message;
    return new ClusterError(`${what}: cannot reach the Kubernetes API at ${this.server} (${cause})`);
  }

  /** Fails naming every permission the current user lacks; changes nothing. */
  async checkPermissions(permissions: Permission[] = REQUIRED_PERMISSIONS): Promise<void> {
    const missing: string[] = [];
    for (const permission of permissions) {
      const review = await this.call('checking permissions (SelfSubjectAccessReview)', () =>
        this.authorization.createSelfSubjectAccessReview({
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: { resourceAttributes: { namespace: this.namespace, ...permission } },
          },
        }),
      );
      if (!review.status?.allowed)
        missing.push(
          `${permission.verb} ${permission.resource}${permission.subresource ? `/${permission.subresource}` : ''}${permission.name ? ` ${permission.name}` : ''}`,
        );
    }
    if (missing.length > 0)
      throw new ClusterError(`${this.user} may not, in namespace '${this.namespace}': ${missing.join('; ')}`);
  }

  async readFrontendConfig(): Promise<FrontendConfig> {
    const configMap = await this.call(`reading ConfigMap ${FRONTEND_CONFIGMAP}`, () =>
      this.core.readNamespacedConfigMap({ name: FRONTEND_CONFIGMAP, namespace: this.namespace }),
    );
    const text = configMap.data?.[CONFIG_KEY];
    if (text === undefined)
      throw new ClusterError(
        `ConfigMap ${FRONTEND_CONFIGMAP} has no key ${CONFIG_KEY}: is this a mesh overlay?`,
      );
    return {
      text,
      resourceVersion: configMap.metadata?.resourceVersion ?? '',
      annotations: configMap.metadata?.annotations ?? {},
    };
  }

  /**
   * Writes the config `render` makes from the current one, with the resourceVersion it was read at:
   * if someone else wrote in between (409), it reads again and renders from the fresh data, never
   * overwriting their change. Returns the text written.
   */
  async updateFrontendConfig(
    render: (current: FrontendConfig) => { text: string; annotations: Record<string, string> },
  ): Promise<{ text: string; attempts: number }> {
    for (let attempt = 1; attempt <= UPDATE_ATTEMPTS; attempt++) {
      const current = await this.call(`reading ConfigMap ${FRONTEND_CONFIGMAP}`, () =>
        this.core.readNamespacedConfigMap({ name: FRONTEND_CONFIGMAP, namespace: this.namespace }),
      );
      const text = current.data?.[CONFIG_KEY];
      if (text === undefined)
        throw new ClusterError(`ConfigMap ${FRONTEND_CONFIGMAP} has no key ${CONFIG_KEY}`);
      const next = render({
        text,
        resourceVersion: current.metadata?.resourceVersion ?? '',
        annotations: current.metadata?.annotations ?? {},
      });
      const body: V1ConfigMap = {
        ...current,
        metadata: {
          ...current.metadata,
          annotations: { ...current.metadata?.annotations, ...next.annotations },
        },
        data: { ...current.data, [CONFIG_KEY]: next.text },
      };
      try {
        await this.core.replaceNamespacedConfigMap({
          name: FRONTEND_CONFIGMAP,
          namespace: this.namespace,
          body,
        });
        return { text: next.text, attempts: attempt };
      } catch (error) {
        if (error instanceof ApiException && error.code === 409) continue;
        throw this.explain(`updating ConfigMap ${FRONTEND_CONFIGMAP}`, error);
      }
    }
    throw new ClusterError(
      `updating ConfigMap ${FRONTEND_CONFIGMAP}: it changed under us ${UPDATE_ATTEMPTS} times in a row (409 Conflict); someone else is writing it, try again later`,
    );
  }

  async serviceExists(name: string): Promise<boolean> {
    try {
      await this.core.readNamespacedService({ name, namespace: this.namespace });
      return true;
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return false;
      throw this.explain(`reading Service ${name}`, error);
    }
  }

  /** Running frontend pods that are not being deleted: the ones that must run the new config. */
  async frontendPods(): Promise<string[]> {
    const list = await this.call('listing the frontend pods', () =>
      this.core.listNamespacedPod({ namespace: this.namespace, labelSelector: FRONTEND_SELECTOR }),
    );
    return list.items
      .filter((pod) => pod.status?.phase === 'Running' && !pod.metadata?.deletionTimestamp)
      .map((pod) => pod.metadata?.name ?? '')
      .filter(Boolean)
      .sort();
  }

  /** The config hash the pod's sidecar supervisor says is in force, through the API server's pod proxy. */
  async podConfigHash(pod: string): Promise<string> {
    const answer: unknown = await this.call(`reading the sidecar status of pod ${pod}`, () =>
      this.core.connectGetNamespacedPodProxyWithPath({
        name: `${pod}:${SUPERVISOR_STATUS_PORT}`,
        namespace: this.namespace,
        path: 'status',
      }),
    );
    const status = typeof answer === 'string' ? (JSON.parse(answer) as unknown) : answer;
    const hash = (status as { configHash?: unknown } | null)?.configHash;
    if (typeof hash !== 'string') throw new ClusterError(`pod ${pod}: the sidecar status has no configHash`);
    return hash;
  }

  /**
   * The kubelet refreshes ConfigMap volumes on its periodic sync (about a minute) or when the pod
   * changes: an annotation naming the wanted hash makes it resync the pod's volumes sooner.
   */
  async nudgePod(pod: string, hash: string): Promise<void> {
    await this.call(`annotating pod ${pod}`, () =>
      this.core.patchNamespacedPod(
        {
          name: pod,
          namespace: this.namespace,
          body: { metadata: { annotations: { [`${ANNOTATION_PREFIX}/wanted-config-hash`]: hash } } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
  }
}

function apiMessage(body: unknown): string {
  if (typeof body === 'string') {
    try {
      return apiMessage(JSON.parse(body));
    } catch {
      return body.slice(0, 200);
    }
  }
  return typeof (body as { message?: unknown })?.message === 'string'
    ? (body as { message: string }).message
    : '';
}
