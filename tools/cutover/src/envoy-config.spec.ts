import { canarySplit, renderSidecarConfig } from '@learnathon/mesh';
import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { frontendOptionsOf, meshRenderer } from './envoy-config';
import { splitOf } from './split';

const k8s = path.resolve(__dirname, '../../../k8s');
/** envoy.json of a committed (generated) ConfigMap. */
const committed = (file: string): string =>
  (load(readFileSync(path.join(k8s, file), 'utf8')) as { data: Record<string, string> }).data[
    'envoy.json'
  ] as string;

it.each([5, 50, 100])(
  'from the mesh overlay, a step to %i%% renders exactly the committed canary overlay config',
  (weight) => {
    const inForce = JSON.parse(committed('components/mesh/envoy/frontend.yaml')) as unknown;
    const rendered = meshRenderer.render(inForce, 'pinger', {
      'pinger-v1': 100 - weight,
      'pinger-v2': weight,
    });
    expect(rendered).toBe(committed(`overlays/canary-${weight}/envoy-frontend.yaml`));
  },
);

/** The frontend config of the mesh overlay (all pinger traffic on v1, tracing on), as the mesh library renders it. */
const meshOverlay = JSON.parse(renderSidecarConfig('frontend', { tracing: true })) as unknown;

it.each([5, 50, 100])(
  'renders at %i%% exactly what the mesh library renders for the canary overlay',
  (weight) => {
    const rendered = meshRenderer.render(meshOverlay, 'pinger', {
      'pinger-v1': 100 - weight,
      'pinger-v2': weight,
    });
    expect(rendered).toBe(
      renderSidecarConfig('frontend', { tracing: true, pingerSplit: canarySplit(weight) }),
    );
    expect(meshRenderer.validate(rendered)).toEqual([]);
  },
);

it('keeps what the config in force was rendered with: tracing, live weights', () => {
  expect(frontendOptionsOf(meshOverlay)).toEqual({ tracing: true });
  const plain = JSON.parse(renderSidecarConfig('frontend')) as unknown;
  expect(frontendOptionsOf(plain)).toEqual({});
  const live = JSON.parse(renderSidecarConfig('frontend', { runtimeKeyPrefix: 'pinger_split' })) as unknown;
  expect(frontendOptionsOf(live)).toEqual({ runtimeKeyPrefix: 'pinger_split' });
  expect(meshRenderer.render(live, 'pinger', { 'pinger-v1': 50, 'pinger-v2': 50 })).toBe(
    renderSidecarConfig('frontend', { runtimeKeyPrefix: 'pinger_split', pingerSplit: canarySplit(50) }),
  );
});

it('adds a version the config never had, with a cluster for its Service', () => {
  const rendered = meshRenderer.render(meshOverlay, 'pinger', { 'pinger-v2': 90, 'pinger-v3': 10 });
  expect(meshRenderer.validate(rendered)).toEqual([]);
  const config = JSON.parse(rendered) as { static_resources: { clusters: Array<{ name: string }> } };
  expect(splitOf(config, 'pinger')).toEqual({ 'pinger-v2': 90, 'pinger-v3': 10 });
  expect(config.static_resources.clusters.map((cluster) => cluster.name)).toContain('pinger-v3');
  expect(rendered).toContain('pinger-v3-service');
});

it('reports what the validator rejects', () => {
  const broken = JSON.parse(renderSidecarConfig('frontend', { tracing: true })) as {
    static_resources: { clusters: unknown[] };
  };
  broken.static_resources.clusters = [];
  expect(meshRenderer.validate(JSON.stringify(broken)).length).toBeGreaterThan(0);
});
