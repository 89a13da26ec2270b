/**
 * Reading the traffic split out of a rendered Envoy config (proto3 JSON, as the ConfigMap holds it):
 * whatever renders the config, the weights in force are what its routes say.
 */

/** Percent of a service's traffic per Envoy cluster, e.g. `{ 'pinger-v1': 95, 'pinger-v2': 5 }`. */
export type Split = Record<string, number>;

interface RouteTarget {
  clusters: Split;
  /** A route that matches on headers (e.g. `x-pinger-version: v2`) pins requests; it is no split. */
  pinned: boolean;
}

const VERSION_SUFFIX = /-v\d+$/;

/** `pinger-v2` → `pinger`; a cluster without a version suffix is its own service (`details`). */
export const serviceOfCluster = (cluster: string): string => cluster.replace(VERSION_SUFFIX, '');

function routeTargets(node: unknown, found: RouteTarget[] = []): RouteTarget[] {
  if (Array.isArray(node)) {
    for (const item of node) routeTargets(item, found);
    return found;
  }
  if (!node || typeof node !== 'object') return found;
  const record = node as Record<string, unknown>;
  const action = record['route'] as Record<string, unknown> | undefined;
  if (record['match'] && action && typeof action === 'object') {
    const pinned = Boolean((record['match'] as Record<string, unknown>)['headers']);
    if (typeof action['cluster'] === 'string') found.push({ clusters: { [action['cluster']]: 100 }, pinned });
    const weighted = action['weighted_clusters'] as
      { clusters?: Array<{ name: string; weight?: number }> } | undefined;
    if (weighted?.clusters) {
      const total = weighted.clusters.reduce((sum, cluster) => sum + (cluster.weight ?? 0), 0);
      const clusters: Split = {};
      for (const cluster of weighted.clusters)
        clusters[cluster.name] = total > 0 ? Math.round(((cluster.weight ?? 0) * 100) / total) : 0;
      found.push({ clusters, pinned });
    }
    return found;
  }
  for (const value of Object.values(record)) routeTargets(value, found);
  return found;
}

/** The services the config routes to (`details`, `pinger`), from its unpinned routes. */
export function routedServices(config: unknown): string[] {
  const services = new Set<string>();
  for (const target of routeTargets(config))
    if (!target.pinned)
      for (const cluster of Object.keys(target.clusters)) services.add(serviceOfCluster(cluster));
  return [...services].sort();
}

/** The split in force for `service`; throws when the config has no route to it. */
export function splitOf(config: unknown, service: string): Split {
  const target = routeTargets(config).find(
    (candidate) =>
      !candidate.pinned &&
      Object.keys(candidate.clusters).some((cluster) => serviceOfCluster(cluster) === service),
  );
  if (!target) {
    const known = routedServices(config);
    throw new Error(
      `the frontend's Envoy config routes to no service '${service}' (it routes to: ${known.join(', ') || 'nothing'})`,
    );
  }
  return target.clusters;
}

/** Every cluster the config defines, routed to or not (`static_resources.clusters[].name`). */
export function definedClusters(config: unknown): string[] {
  const clusters =
    (config as { static_resources?: { clusters?: Array<{ name?: string }> } })?.static_resources?.clusters ??
    [];
  return clusters.map((cluster) => cluster.name).filter((name): name is string => typeof name === 'string');
}

/** `to` gets `weight`, `from` the rest; other versions of the service drop out of the split. */
export const splitFor = (from: string, to: string, weight: number): Split => ({
  [from]: 100 - weight,
  [to]: weight,
});

/** `pinger-v1 95% / pinger-v2 5%`, in a stable order. */
export const describeSplit = (split: Split): string =>
  Object.entries(split)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cluster, weight]) => `${cluster} ${weight}%`)
    .join(' / ');
