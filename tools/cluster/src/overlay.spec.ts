import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { summarizeOverlay } from './overlay';

const root = path.resolve(__dirname, '../../..');
const render = (overlay: string) =>
  execFileSync('kubectl', ['kustomize', path.join(root, 'k8s/overlays', overlay)], { encoding: 'utf8' });

/** On the real renders of the overlays (kubectl kustomize, offline). */
describe('summarizeOverlay', () => {
  it('finds the monitoring overlay’s third-party images, its rollouts and the Grafana secret it needs', () => {
    const summary = summarizeOverlay(render('monitoring'));
    expect(summary.thirdPartyImages).toEqual(
      expect.arrayContaining([
        'quay.io/prometheus/prometheus:v2.53.0',
        'quay.io/jaegertracing/all-in-one:1.60.0',
      ]),
    );
    expect(summary.thirdPartyImages.some((image) => image.includes('learnathon/'))).toBe(false);
    expect(summary.rollouts).toEqual(
      expect.arrayContaining([
        { kind: 'deployment', namespace: 'learnathon' },
        { kind: 'deployment', namespace: 'monitoring' },
        { kind: 'daemonset', namespace: 'node-exporter' },
      ]),
    );
    expect(summary.needsGrafanaSecret).toBe(true);
  });

  it('finds only the app in the base overlay', () => {
    expect(summarizeOverlay(render('base'))).toEqual({
      thirdPartyImages: [],
      localImages: ['learnathon/details:dev', 'learnathon/frontend:dev', 'learnathon/pinger:v1'],
      rollouts: [{ kind: 'deployment', namespace: 'learnathon' }],
      needsGrafanaSecret: false,
    });
  });

  it('reads a Secret referenced from the environment too, and ignores documents that are not objects', () => {
    const yaml = [
      '---',
      'kind: Deployment',
      'metadata: { namespace: x }',
      'spec:',
      '  template:',
      '    spec:',
      '      initContainers: [{ image: quay.io/a/b:1.0.0 }]',
      '      containers:',
      '        - image: learnathon/frontend:dev',
      '          env: [{ name: P, valueFrom: { secretKeyRef: { name: grafana-admin, key: password } } }]',
      '---',
      'just a string',
    ].join('\n');
    expect(summarizeOverlay(yaml)).toEqual({
      thirdPartyImages: ['quay.io/a/b:1.0.0'],
      localImages: ['learnathon/frontend:dev'],
      rollouts: [{ kind: 'deployment', namespace: 'x' }],
      needsGrafanaSecret: true,
    });
  });

  it.each(['mesh', 'canary-5', 'canary-50', 'canary-100'])(
    'finds the Envoy sidecar image among the %s overlay’s own images, and no third-party image the monitoring overlay lacks',
    (overlay) => {
      const summary = summarizeOverlay(render(overlay));
      const pingers =
        overlay === 'mesh' ? ['learnathon/pinger:v1'] : ['learnathon/pinger:v1', 'learnathon/pinger:v2'];
      expect(summary.localImages).toEqual(
        [
          'learnathon/details:dev',
          'learnathon/envoy-sidecar:dev',
          'learnathon/frontend:dev',
          ...pingers,
        ].sort(),
      );
      expect(summary.thirdPartyImages).toEqual(summarizeOverlay(render('monitoring')).thirdPartyImages);
      expect(summary.needsGrafanaSecret).toBe(true);
    },
  );
});
