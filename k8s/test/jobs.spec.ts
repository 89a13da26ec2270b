import { join } from 'node:path';
import { K8S_ROOT, kustomizeBuild, parseObjects, renderOverlay, type K8sObject } from './manifests';
import { validateAgainstSchema } from './schema';
import { allContainers, podTemplates, services } from './workloads';

/** The loadgen Job is applied on its own (Jobs are immutable), so it gets its own checks. */
describe('the loadgen Job (k8s/jobs/loadgen)', () => {
  const objects = parseObjects(kustomizeBuild(join(K8S_ROOT, 'jobs', 'loadgen')));
  const job = objects.find((object) => object.kind === 'Job') as K8sObject;
  const [pod] = podTemplates(objects);
  const [container] = pod ? allContainers(pod) : [];

  it('validates against the Kubernetes schema', async () => {
    const reports = await validateAgainstSchema(objects);
    expect(reports.filter((report) => report.errors.length > 0)).toEqual([]);
  });

  it('runs once, in the app namespace, with the loadgen image tools/images builds', () => {
    expect(job.metadata.namespace).toBe('learnathon');
    expect(job['spec']).toMatchObject({ backoffLimit: 0, template: { spec: { restartPolicy: 'Never' } } });
    expect(container?.image).toBe('learnathon/loadgen:dev');
    expect(container?.imagePullPolicy).toBe('Never');
  });

  it('meets the restricted profile with limits, like the app', () => {
    expect(pod?.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container?.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container?.resources?.limits).toEqual(
      expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }),
    );
  });

  it('targets a port the frontend Service really has, and is allowed to reach it', () => {
    const url = new URL(
      (container?.args ?? []).find((arg) => arg.startsWith('--url='))?.slice('--url='.length) ?? '',
    );
    const frontend = services(renderOverlay('base')).find(
      (service) => service.metadata.name === url.hostname,
    );
    expect(frontend?.spec?.ports?.map((port) => port.port)).toContain(Number(url.port));
    const policy = objects.find((object) => object.kind === 'NetworkPolicy') as K8sObject & {
      spec: { egress: Array<{ ports: Array<{ port: number }> }> };
    };
    expect(policy.spec.egress.flatMap((rule) => rule.ports.map((port) => port.port))).toEqual([
      Number(url.port),
    ]);
  });

  it('never makes details fetch anything: POST /url/info is not in its mix', () => {
    const mix = (container?.args ?? []).find((arg) => arg.startsWith('--mix=')) ?? '';
    expect(mix).not.toBe('');
    expect(mix).not.toContain('/url/info');
  });
});
