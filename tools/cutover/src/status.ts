import type { StatusCommand } from './args';
import { ANNOTATION_PREFIX, configHash } from './kube';
import type { Reporter } from './report';
import type { ClusterApi } from './rollout';
import { routedServices, splitOf, type Split } from './split';

/** `cutover status`: the weights the ConfigMap holds and the config hash each frontend pod runs. Reads only. */
export async function runStatus(
  _command: StatusCommand,
  cluster: ClusterApi,
  reporter: Reporter,
): Promise<{ exitCode: number }> {
  const current = await cluster.readFrontendConfig();
  const config: unknown = JSON.parse(current.text);
  const split: Split = {};
  for (const service of routedServices(config)) Object.assign(split, splitOf(config, service));
  const hash = configHash(current.text);
  const pods = await Promise.all(
    (await cluster.frontendPods()).map(async (pod) => {
      try {
        const podHash = await cluster.podConfigHash(pod);
        return { pod, configHash: podHash, current: podHash === hash };
      } catch (error) {
        return { pod, configHash: null, current: false, error: (error as Error).message };
      }
    }),
  );
  const annotation = (key: string) => current.annotations[`${ANNOTATION_PREFIX}/${key}`];
  const changedBy = annotation('changed-by');
  const changedAt = annotation('changed-at');
  const change = annotation('change');
  reporter.emit({
    event: 'status',
    split,
    configHash: hash,
    ...(changedBy ? { changedBy } : {}),
    ...(changedAt ? { changedAt } : {}),
    ...(change ? { change } : {}),
    pods,
  });
  return { exitCode: 0 };
}
