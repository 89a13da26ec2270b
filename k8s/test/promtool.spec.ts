import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dump, load } from 'js-yaml';
import { K8S_ROOT, renderOverlay } from './manifests';
import { PROMTOOL_BINARY } from '@learnathon/testing';

const PROMETHEUS_SOURCE_DIR = join(K8S_ROOT, 'components', 'prometheus');
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const SD_ROLES = ['node', 'pod', 'service', 'endpoints', 'endpointslice', 'ingress'];
/** Fields of kubernetes_sd_configs in Prometheus 2.x (in-cluster use needs none but `role`). */
const SD_FIELDS = [
  'role',
  'api_server',
  'kubeconfig_file',
  'namespaces',
  'selectors',
  'attach_metadata',
  'authorization',
  'basic_auth',
  'oauth2',
  'tls_config',
  'proxy_url',
  'follow_redirects',
  'enable_http2',
];

interface ScrapeConfig {
  job_name: string;
  kubernetes_sd_configs?: Record<string, unknown>[];
  file_sd_configs?: { files: string[] }[];
  relabel_configs?: {
    source_labels?: string[];
    target_label?: string;
    regex?: string;
    replacement?: string;
    action?: string;
  }[];
  [field: string]: unknown;
}

interface PrometheusConfig {
  rule_files?: string[];
  scrape_configs: ScrapeConfig[];
}

async function promtool(args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(PROMTOOL_BINARY, args, { timeout: 60_000 });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` || failure.message };
  }
}

/** The prometheus-config ConfigMap exactly as the monitoring overlay deploys it. */
function deployedPrometheusFiles(): Record<string, string> {
  const configMap = renderOverlay('monitoring').find(
    (object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith('prometheus-config-'),
  );
  if (!configMap) throw new Error('the monitoring overlay has no prometheus-config ConfigMap');
  return configMap.data as Record<string, string>;
}

/**
 * Debian's promtool is built without Kubernetes service discovery ("field kubernetes_sd_configs not found").
 * So the full check runs on a copy where each kubernetes_sd_configs block is replaced by a file_sd stand-in
 * and the service-account token and CA (present only in a pod) by files in the temp dir; the
 * kubernetes_sd_configs blocks themselves are checked by the test below.
 */
function standInConfig(config: PrometheusConfig, dir: string): PrometheusConfig {
  writeFileSync(join(dir, 'targets.json'), '[]');
  writeFileSync(join(dir, 'token'), 'stand-in');
  writeFileSync(join(dir, 'ca.crt'), '');
  const text = dump(config).replaceAll(`${SERVICE_ACCOUNT_DIR}/`, `${dir}/`);
  const copy = load(text) as PrometheusConfig;
  for (const job of copy.scrape_configs) {
    if (!job.kubernetes_sd_configs) continue;
    delete job.kubernetes_sd_configs;
    job.file_sd_configs = [{ files: [join(dir, 'targets.json')] }];
  }
  return copy;
}

describe('Prometheus configuration (promtool)', () => {
  const files = deployedPrometheusFiles();
  const config = load(files['prometheus.yml'] ?? '') as PrometheusConfig;
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'k8s-promtool-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes promtool check config, rule files included (kubernetes_sd replaced by a stand-in)', async () => {
    writeFileSync(join(dir, 'prometheus-standin.yml'), dump(standInConfig(config, dir)));
    const result = await promtool(['check', 'config', join(dir, 'prometheus-standin.yml')]);
    expect(result.output).toMatch(/SUCCESS: 6 rules found/);
    expect(result).toMatchObject({ ok: true });
  });

  it('fails promtool check config on a broken relabel regex, so the check above can fail', async () => {
    const broken = standInConfig(config, dir);
    (broken.scrape_configs[0]?.relabel_configs ?? [])[0] = {
      source_labels: ['__address__'],
      regex: '([',
      action: 'keep',
    };
    writeFileSync(join(dir, 'prometheus-broken.yml'), dump(broken));
    expect(await promtool(['check', 'config', join(dir, 'prometheus-broken.yml')])).toMatchObject({
      ok: false,
    });
  });

  it('only uses service-account files that a pod has, and only reads them from the standard mount', () => {
    const referenced = [
      ...(files['prometheus.yml'] ?? '').matchAll(
        /^\s*(?:ca_file|credentials_file|bearer_token_file|cert_file|key_file):\s*(\S+)/gm,
      ),
    ].map((match) => match[1]);
    expect(new Set(referenced)).toEqual(
      new Set([`${SERVICE_ACCOUNT_DIR}/ca.crt`, `${SERVICE_ACCOUNT_DIR}/token`]),
    );
  });

  it('uses kubernetes_sd_configs with a valid role, known fields and __meta labels of that role', () => {
    const problems = config.scrape_configs.flatMap((job) =>
      (job.kubernetes_sd_configs ?? []).flatMap((sd) => {
        const role = String(sd.role);
        const unknownFields = Object.keys(sd).filter((field) => !SD_FIELDS.includes(field));
        const metaLabels = (job.relabel_configs ?? [])
          .flatMap((rule) => rule.source_labels ?? [])
          .filter((label) => label.startsWith('__meta_kubernetes_'));
        const foreign = metaLabels.filter(
          (label) =>
            label !== '__meta_kubernetes_namespace' && !label.startsWith(`__meta_kubernetes_${role}_`),
        );
        return [
          ...(SD_ROLES.includes(role) ? [] : [`${job.job_name}: unknown role ${role}`]),
          ...unknownFields.map((field) => `${job.job_name}: unknown kubernetes_sd_configs field ${field}`),
          ...foreign.map((label) => `${job.job_name}: ${label} is not a label of role ${role}`),
        ];
      }),
    );
    expect(
      config.scrape_configs.filter((job) => job.kubernetes_sd_configs).map((job) => job.job_name),
    ).toEqual(['kubernetes-pods', 'mesh-pods', 'kubernetes-cadvisor']);
    expect(problems).toEqual([]);
  });

  it('honours the prometheus.io scrape, port and path annotations and keeps namespace, pod, app and version', () => {
    const pods = config.scrape_configs.find((job) => job.job_name === 'kubernetes-pods');
    const sources = (pods?.relabel_configs ?? []).flatMap((rule) => rule.source_labels ?? []);
    const targets = (pods?.relabel_configs ?? []).map((rule) => rule.target_label);
    for (const annotation of ['scrape', 'port', 'path'])
      expect(sources).toContain(`__meta_kubernetes_pod_annotation_prometheus_io_${annotation}`);
    expect(targets).toEqual(
      expect.arrayContaining(['__address__', '__metrics_path__', 'namespace', 'pod', 'app', 'version']),
    );
  });

  it('scrapes cAdvisor through the API server proxy', () => {
    const cadvisor = config.scrape_configs.find((job) => job.job_name === 'kubernetes-cadvisor');
    expect(cadvisor?.relabel_configs?.map((rule) => rule.replacement)).toEqual(
      expect.arrayContaining(['kubernetes.default.svc:443', '/api/v1/nodes/$1/proxy/metrics/cadvisor']),
    );
  });
});

describe('alert rules (promtool)', () => {
  it('pass promtool check rules', async () => {
    const result = await promtool(['check', 'rules', join(PROMETHEUS_SOURCE_DIR, 'alerts.yml')]);
    expect(result).toMatchObject({ ok: true });
  });

  it('pass their unit tests (promtool test rules alerts.test.yaml)', async () => {
    const result = await promtool(['test', 'rules', join(PROMETHEUS_SOURCE_DIR, 'alerts.test.yaml')]);
    expect(result.output).toMatch(/SUCCESS/);
    expect(result).toMatchObject({ ok: true });
  });

  it('cover every alert in the unit tests', () => {
    const rules = load(readFileSync(join(PROMETHEUS_SOURCE_DIR, 'alerts.yml'), 'utf8')) as {
      groups: { rules: { alert?: string }[] }[];
    };
    const tests = load(readFileSync(join(PROMETHEUS_SOURCE_DIR, 'alerts.test.yaml'), 'utf8')) as {
      tests: { alert_rule_test?: { alertname: string }[] }[];
    };
    const alerts = rules.groups.flatMap((group) => group.rules.map((rule) => rule.alert).filter(Boolean));
    const tested = new Set(
      tests.tests.flatMap((test) => (test.alert_rule_test ?? []).map((entry) => entry.alertname)),
    );
    expect(alerts.sort()).toEqual([
      'PodRestarting',
      'ServiceHighErrorRatio',
      'ServiceHighLatencyP99',
      'TargetDown',
    ]);
    expect(alerts.filter((alert) => !tested.has(alert as string))).toEqual([]);
  });
});
