import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import {
  describeObject,
  K8S_ROOT,
  kindConfig,
  kustomizeBuild,
  listOverlays,
  OVERLAYS_DIR,
  parseObjects,
  renderOverlay,
} from './manifests';
import { services } from './workloads';

/** The networks docker (its default address pools) and podman create for kind's nodes. */
const KIND_NODE_NETWORKS = ['172.16.0.0/12', '10.89.0.0/16'];

const identity = (object: { kind: string; metadata: { name: string; namespace?: string } }) =>
  `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name.replace(/-[a-z0-9]{10}$/, '')}`;

describe('kustomize', () => {
  it.each(listOverlays())('builds overlay %s into objects', (overlay) => {
    expect(parseObjects(kustomizeBuild(join(OVERLAYS_DIR, overlay))).length).toBeGreaterThan(10);
  });

  it('reports a broken kustomization with its own message', () => {
    // The resource's name appears only in kustomize's own error, never in the command line we add
    // to it, so this fails if that message is lost.
    const dir = mkdtempSync(join(tmpdir(), 'k8s-broken-kustomization-'));
    try {
      writeFileSync(
        join(dir, 'kustomization.yaml'),
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - no-such-resource.yaml\n',
      );
      expect(() => kustomizeBuild(dir)).toThrow(/accumulating resources.*no-such-resource\.yaml/s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps overlays cumulative: monitoring holds every object of base', () => {
    const monitoring = new Set(renderOverlay('monitoring').map(identity));
    expect(
      renderOverlay('base')
        .map(identity)
        .filter((object) => !monitoring.has(object)),
    ).toEqual([]);
  });

  it('uses every component in some overlay', () => {
    const used = new Set(
      listOverlays().flatMap((overlay) => {
        const kustomization = load(
          readFileSync(join(OVERLAYS_DIR, overlay, 'kustomization.yaml'), 'utf8'),
        ) as { components?: string[] };
        return (kustomization.components ?? []).map((path) => path.split('/').pop());
      }),
    );
    expect(readdirSync(join(K8S_ROOT, 'components')).filter((component) => !used.has(component))).toEqual([]);
  });

  it('gives no two objects of an overlay the same kind, namespace and name', () => {
    const duplicates = listOverlays().flatMap((overlay) => {
      const seen = renderOverlay(overlay).map(describeObject);
      return seen.filter((name, index) => seen.indexOf(name) !== index).map((name) => `${overlay}: ${name}`);
    });
    expect(duplicates).toEqual([]);
  });
});

describe('kind cluster config', () => {
  const config = kindConfig();

  it('has one control plane and two workers', () => {
    expect(config.kind).toBe('Cluster');
    expect(config.nodes.map((node) => node.role)).toEqual(['control-plane', 'worker', 'worker']);
  });

  it('publishes exactly the NodePorts the overlays open: frontend on 8080, Grafana on 3000', () => {
    const mapped = config.nodes
      .flatMap((node) => node.extraPortMappings ?? [])
      .map((mapping) => [mapping.containerPort, mapping.hostPort]);
    const nodePorts = services(renderOverlay('monitoring')).flatMap((service) =>
      (service.spec?.ports ?? [])
        .filter((port) => port.nodePort)
        .map((port) => [service.metadata.name, port.nodePort]),
    );
    expect(nodePorts.sort()).toEqual([
      ['frontend-service', 30900],
      ['grafana', 30300],
    ]);
    expect(mapped.sort()).toEqual([
      [30300, 3000],
      [30900, 8080],
    ]);
  });

  it('pins every node to one kind node image of Kubernetes 1.33 (what the offline schema models), by digest', () => {
    const images = new Set(config.nodes.map((node) => node.image));
    expect([...images]).toHaveLength(1);
    expect([...images][0]).toMatch(/^kindest\/node:v1\.33\.\d+@sha256:[0-9a-f]{64}$/);
  });

  it.each(listOverlays())(
    'overlay %s: names only the kind node network or the API Service address of this config in ipBlocks outside the app',
    (overlay) => {
      const [a, b, c] = (config.networking?.serviceSubnet ?? '').split(/[./]/);
      const apiServiceAddress = `${a}.${b}.${c}.1/32`;
      const allowed = new Set([...KIND_NODE_NETWORKS, apiServiceAddress]);
      const unexpected = renderOverlay(overlay)
        .filter((object) => object.kind === 'NetworkPolicy' && object.metadata.namespace !== 'learnathon')
        .flatMap((policy) =>
          ((policy.spec as INetworkPolicy['spec'])?.egress ?? []).flatMap((rule) =>
            (rule.to ?? []).flatMap((peer) =>
              peer.ipBlock && !allowed.has(peer.ipBlock.cidr)
                ? [`${describeObject(policy)}: ${peer.ipBlock.cidr}`]
                : [],
            ),
          ),
        );
      expect(config.networking?.serviceSubnet).toMatch(/^\d+\.\d+\.\d+\.0\/\d+$/);
      expect(unexpected).toEqual([]);
    },
  );
});
