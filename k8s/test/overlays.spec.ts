import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
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
});
