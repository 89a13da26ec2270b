import { KubeConfig } from '@kubernetes/client-node';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Stands in for a Kubernetes API server (none can run here), serving just the calls the cutover
 * tool makes, with the API's semantics for them: SelfSubjectAccessReview, ConfigMap get/replace
 * with resourceVersion (a stale one gets 409 Conflict), Service get, Pod list and merge patch, and
 * the pod proxy to each frontend pod's sidecar `/status`. Each pod's sidecar picks up the ConfigMap
 * the way the kubelet does: only on a later poll, or sooner once the pod has been annotated.
 */
export interface ApiCall {
  method: string;
  path: string;
  body?: unknown;
}

export interface StandInOptions {
  namespace?: string;
  config: string;
  pods?: string[];
  services?: string[];
  /** `verb resource[/subresource]` pairs the user may not do, e.g. `update configmaps`. */
  denied?: string[];
  /** How many status polls of a pod that was never annotated still show the old hash. */
  kubeletDelayPolls?: number;
  /** Answer 403 to every call, as for a user with no access to the namespace. */
  forbidAll?: boolean;
  /** The pod proxy can't reach the sidecars (503), as when a NetworkPolicy admits only Prometheus. */
  proxyUnreachable?: boolean;
}

export interface ApiServerStandIn {
  url: string;
  calls: ApiCall[];
  writes(): ApiCall[];
  config(): string;
  annotations(): Record<string, string>;
  podAnnotations(pod: string): Record<string, string>;
  /** Another writer changes the ConfigMap before each of our next `times` replaces lands. */
  conflictNextWrites(times: number, change?: (config: string) => string): void;
  /** The pod's sidecar rejects configs from now on (keeps reporting what it runs). */
  freezePod(pod: string): void;
  kubeConfig(): KubeConfig;
  stop(): Promise<void>;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : undefined;
}

export async function startApiServerStandIn(options: StandInOptions): Promise<ApiServerStandIn> {
  const namespace = options.namespace ?? 'learnathon';
  const pods = options.pods ?? ['frontend-a', 'frontend-b'];
  const services = new Set(options.services ?? ['pinger-v1-service', 'pinger-v2-service']);
  const denied = new Set(options.denied ?? []);
  const calls: ApiCall[] = [];
  let resourceVersion = 1;
  let configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'envoy-frontend',
      namespace,
      resourceVersion: '1',
      annotations: {} as Record<string, string>,
    },
    data: { 'envoy.json': options.config },
  };
  const running = new Map(pods.map((pod) => [pod, sha256(options.config)]));
  const pollsSinceChange = new Map(pods.map((pod) => [pod, 0]));
  const podAnnotations = new Map(pods.map((pod) => [pod, {} as Record<string, string>]));
  const frozen = new Set<string>();
  let pendingConflicts = 0;
  let conflictChange: (config: string) => string = (config) => config;

  const bump = (data: string, annotations = configMap.metadata.annotations) => {
    resourceVersion++;
    configMap = {
      ...configMap,
      metadata: { ...configMap.metadata, annotations, resourceVersion: String(resourceVersion) },
      data: { 'envoy.json': data },
    };
    for (const pod of pods) pollsSinceChange.set(pod, 0);
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const path = decodeURIComponent(url.pathname);
    const body = await readBody(req);
    calls.push({ method: req.method ?? '', path, body });
    const json = (status: number, value: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    const status = (code: number, reason: string, message: string) =>
      json(code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, message, code });
    if (options.forbidAll)
      return status(403, 'Forbidden', `forbidden: User "tester" cannot ${req.method} ${path}`);

    const ns = `/api/v1/namespaces/${namespace}`;
    if (req.method === 'POST' && path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') {
      const attributes = (
        body as { spec: { resourceAttributes: { verb: string; resource: string; subresource?: string } } }
      ).spec.resourceAttributes;
      const key = `${attributes.verb} ${attributes.resource}${attributes.subresource ? `/${attributes.subresource}` : ''}`;
      return json(201, { ...(body as object), status: { allowed: !denied.has(key) } });
    }
    if (path === `${ns}/configmaps/envoy-frontend`) {
      if (req.method === 'GET') return json(200, configMap);
      if (req.method === 'PUT') {
        if (pendingConflicts > 0) {
          pendingConflicts--;
          bump(conflictChange(configMap.data['envoy.json']));
        }
        const sent = body as typeof configMap;
        if (sent.metadata.resourceVersion !== configMap.metadata.resourceVersion)
          return status(
            409,
            'Conflict',
            'Operation cannot be fulfilled on configmaps "envoy-frontend": the object has been modified; please apply your changes to the latest version and try again',
          );
        bump(sent.data['envoy.json'], sent.metadata.annotations ?? {});
        return json(200, configMap);
      }
    }
    const service = new RegExp(`^${ns}/services/([^/]+)$`).exec(path);
    if (service && req.method === 'GET')
      return services.has(service[1] as string)
        ? json(200, { kind: 'Service', metadata: { name: service[1], namespace } })
        : status(404, 'NotFound', `services "${service[1]}" not found`);
    if (path === `${ns}/pods` && req.method === 'GET') {
      const items = pods.map((name) => ({
        metadata: { name, namespace, labels: { app: 'frontend' } },
        status: { phase: 'Running' },
      }));
      return json(200, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items });
    }
    const proxy = new RegExp(`^${ns}/pods/([^/:]+):9903/proxy/status$`).exec(path);
    if (proxy && req.method === 'GET') {
      const pod = proxy[1] as string;
      if (options.proxyUnreachable)
        return status(
          503,
          'ServiceUnavailable',
          `error trying to reach service: dial tcp 10.244.1.7:9903: i/o timeout`,
        );
      if (!running.has(pod)) return status(404, 'NotFound', `pods "${pod}" not found`);
      const polls = (pollsSinceChange.get(pod) ?? 0) + 1;
      pollsSinceChange.set(pod, polls);
      const nudged =
        podAnnotations.get(pod)?.['cutover.learnathon.dev/wanted-config-hash'] ===
        sha256(configMap.data['envoy.json']);
      if (!frozen.has(pod) && (nudged || polls > (options.kubeletDelayPolls ?? 2)))
        running.set(pod, sha256(configMap.data['envoy.json']));
      return json(200, {
        epoch: 1,
        configHash: running.get(pod),
        configPath: '/etc/envoy/envoy.json',
        ready: true,
        envoyPids: [42],
        lastReload: null,
      });
    }
    const podPatch = new RegExp(`^${ns}/pods/([^/]+)$`).exec(path);
    if (podPatch && req.method === 'PATCH') {
      const pod = podPatch[1] as string;
      if (req.headers['content-type'] !== 'application/merge-patch+json')
        return status(415, 'UnsupportedMediaType', `unexpected ${req.headers['content-type']}`);
      const annotations =
        (body as { metadata?: { annotations?: Record<string, string> } }).metadata?.annotations ?? {};
      podAnnotations.set(pod, { ...podAnnotations.get(pod), ...annotations });
      return json(200, { metadata: { name: pod, annotations: podAnnotations.get(pod) } });
    }
    return status(404, 'NotFound', `the stand-in does not serve ${req.method} ${path}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    calls,
    writes: () =>
      calls.filter((call) => call.method !== 'GET' && !call.path.startsWith('/apis/authorization.k8s.io/')),
    config: () => configMap.data['envoy.json'],
    annotations: () => configMap.metadata.annotations,
    podAnnotations: (pod) => podAnnotations.get(pod) ?? {},
    conflictNextWrites(times, change) {
      pendingConflicts = times;
      if (change) conflictChange = change;
    },
    freezePod: (pod) => frozen.add(pod),
    kubeConfig() {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromOptions({
        clusters: [{ name: 'stand-in', server: url, skipTLSVerify: true }],
        users: [{ name: 'tester', token: 'stand-in-token' }],
        contexts: [{ name: 'stand-in', cluster: 'stand-in', user: 'tester', namespace }],
        currentContext: 'stand-in',
      });
      return kubeConfig;
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
