import type { FrontendRenderer } from '../src/rollout';
import type { Split } from '../src/split';

/**
 * A test double of the mesh library's frontend renderer, for the orchestration specs: a small config
 * in Envoy's shape (a weighted pinger route, one cluster per version). The real renderer and
 * validator are checked against the committed overlays in envoy-config.spec.ts.
 */
export function frontendConfig(split: Split): string {
  const clusters = Object.keys(split).map((name) => ({ name }));
  return `${JSON.stringify(
    {
      static_resources: {
        listeners: [
          {
            name: 'outbound-pinger',
            route_config: {
              virtual_hosts: [
                {
                  routes: [
                    ...Object.keys(split).map((name) => ({
                      match: { prefix: '/', headers: [{ name: 'x-pinger-version' }] },
                      route: { cluster: name },
                    })),
                    {
                      match: { prefix: '/' },
                      route: {
                        weighted_clusters: {
                          clusters: Object.entries(split).map(([name, weight]) => ({ name, weight })),
                        },
                      },
                    },
                  ],
                },
              ],
            },
          },
          {
            name: 'outbound-details',
            route_config: {
              virtual_hosts: [{ routes: [{ match: { prefix: '/' }, route: { cluster: 'details' } }] }],
            },
          },
        ],
        clusters: [...clusters, { name: 'details' }],
      },
    },
    null,
    2,
  )}\n`;
}

export function rendererDouble(
  problems: (split: Split) => string[] = () => [],
): FrontendRenderer & { rendered: Split[] } {
  const rendered: Split[] = [];
  return {
    splittable: ['pinger'],
    rendered,
    render(_current, _service, split) {
      rendered.push(split);
      return frontendConfig(split);
    },
    validate(text) {
      const split = Object.fromEntries(
        (
          JSON.parse(text).static_resources.listeners[0].route_config.virtual_hosts[0].routes.at(-1).route
            .weighted_clusters.clusters as Array<{ name: string; weight: number }>
        ).map(({ name, weight }) => [name, weight]),
      );
      return problems(split);
    },
  };
}
