import { describeObject, listOverlays, renderOverlay, type K8sObject } from './manifests';
import { validateAgainstSchema } from './schema';

/**
 * Stands in for `kubectl apply --dry-run=server` (no API server here): every object of every overlay
 * is checked against the Kubernetes schema, and unknown fields are errors, as with `--validate=strict`.
 */
describe('every overlay validates against the Kubernetes schema', () => {
  it.each(listOverlays())('overlay %s', async (overlay) => {
    const reports = await validateAgainstSchema(renderOverlay(overlay));
    expect(reports.map(({ object, errors }) => `${describeObject(object)}: ${errors.join('; ')}`)).toEqual(
      [],
    );
  });
});

describe('the schema check itself', () => {
  const deployment = (): K8sObject =>
    structuredClone(renderOverlay('base').find((object) => object.kind === 'Deployment') as K8sObject);
  const firstContainer = (object: K8sObject) =>
    (object.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec
      .containers[0] as Record<string, unknown>;

  it('accepts the rendered Deployment unchanged', async () => {
    expect(await validateAgainstSchema([deployment()])).toEqual([]);
  });

  it('rejects a misspelled field deep inside a pod template', async () => {
    const object = deployment();
    firstContainer(object).imagePullPolcy = 'IfNotPresent';
    const [report] = await validateAgainstSchema([object]);
    expect(report?.errors.join('\n')).toMatch(/imagePullPolcy/);
  });

  it('rejects a misspelled top-level spec field', async () => {
    const object = deployment();
    (object.spec as Record<string, unknown>).replcas = 2;
    const [report] = await validateAgainstSchema([object]);
    expect(report?.errors.join('\n')).toMatch(/replcas/);
  });

  it('rejects a value of the wrong type and a missing required field', async () => {
    const object = deployment();
    (object.spec as Record<string, unknown>).replicas = 'two';
    delete firstContainer(object).name;
    const [report] = await validateAgainstSchema([object]);
    expect(report?.errors.join('\n')).toMatch(/replicas/);
    expect(report?.errors.join('\n')).toMatch(/name/);
  });

  it('checks native sidecars (init containers with restartPolicy Always) as strictly as containers', async () => {
    const meshed = structuredClone(
      renderOverlay('mesh').find(
        (object) => object.kind === 'Deployment' && object.metadata.name === 'frontend',
      ) as K8sObject,
    );
    const sidecar = (meshed.spec as { template: { spec: { initContainers: Record<string, unknown>[] } } })
      .template.spec.initContainers[0] as Record<string, unknown>;
    expect(sidecar.restartPolicy).toBe('Always');
    expect(await validateAgainstSchema([meshed])).toEqual([]);
    sidecar.restartPolicyy = 'Always';
    const [report] = await validateAgainstSchema([meshed]);
    expect(report?.errors.join('\n')).toMatch(/restartPolicyy/);
  });

  it('rejects a kind that Kubernetes does not have', async () => {
    const [report] = await validateAgainstSchema([
      { apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } },
    ]);
    expect(report?.errors.join('\n')).toMatch(/no schema for apps\/v1 Deploymnet/);
  });
});
