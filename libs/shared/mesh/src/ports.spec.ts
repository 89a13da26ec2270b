import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import {
  APP_PORT,
  ENVOY_ADMIN_PORT,
  ENVOY_STATS_PORT,
  INBOUND_PORTS,
  MESH_SERVICES,
  OUTBOUND_PORTS,
  SIDECAR_CONTROL_PORT,
  SIDECAR_STATUS_PORT,
  serviceHost,
} from './ports';

const K8S_BASE = join(__dirname, '../../../../k8s/base');

interface ServiceDoc {
  kind: string;
  metadata: { name: string };
  spec?: { ports?: { port: number }[] };
}

function baseServices(): ServiceDoc[] {
  return MESH_SERVICES.flatMap((service) =>
    (
      loadAll(
        readFileSync(join(K8S_BASE, `${service === 'pinger' ? 'pinger-v1' : service}.yaml`), 'utf8'),
      ) as ServiceDoc[]
    ).filter((doc) => doc?.kind === 'Service'),
  );
}

describe('port plan', () => {
  it('gives the sidecar the port of the Service in front of each app (k8s/base)', () => {
    const ports = Object.fromEntries(
      baseServices().map((service) => [service.metadata.name, service.spec?.ports?.[0]?.port]),
    );
    expect(ports).toEqual({
      'frontend-service': INBOUND_PORTS.frontend,
      'pinger-v1-service': INBOUND_PORTS.pinger,
      'details-service': INBOUND_PORTS.details,
    });
  });

  it('uses no port twice within a pod', () => {
    const frontendPod = [
      INBOUND_PORTS.frontend,
      APP_PORT,
      ...Object.values(OUTBOUND_PORTS),
      ENVOY_ADMIN_PORT,
      ENVOY_STATS_PORT,
      SIDECAR_STATUS_PORT,
      SIDECAR_CONTROL_PORT,
    ];
    expect(new Set(frontendPod).size).toBe(frontendPod.length);
    expect(Object.values(INBOUND_PORTS)).not.toContain(APP_PORT);
  });

  it('names in-cluster Services by their full DNS name', () => {
    expect(serviceHost('pinger-v2-service')).toBe('pinger-v2-service.learnathon.svc.cluster.local');
    expect(serviceHost('x', 'other')).toBe('x.other.svc.cluster.local');
  });
});
