import { existsSync } from 'node:fs';
import { startPrometheus, type RunningPrometheus } from './prometheus';

/** A real Prometheus (Debian's package) on 127.0.0.1, as the k8s and stack-e2e tests use it. */
describe('startPrometheus', () => {
  jest.setTimeout(60_000);
  let prometheus: RunningPrometheus;
  beforeAll(async () => {
    prometheus = await startPrometheus({
      config: JSON.stringify({ global: { evaluation_interval: '1s' }, rule_files: ['rules.yml'] }),
      files: {
        'rules.yml':
          'groups:\n  - name: demo\n    rules:\n      - record: demo:one\n        expr: vector(1)\n',
      },
    });
  });
  afterAll(() => prometheus?.stop());

  it('is ready on a loopback port and answers instant queries', async () => {
    expect(prometheus.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const result = await prometheus.query('vector(42)');
    expect(result.status).toBe('success');
    expect(result.data?.result[0]?.value?.[1]).toBe('42');
  });

  it('reports a PromQL error as status error, bad_data', async () => {
    const result = await prometheus.query('sum(');
    expect({ status: result.status, errorType: result.errorType }).toEqual({
      status: 'error',
      errorType: 'bad_data',
    });
  });

  it('loads the extra files the config names', async () => {
    const response = await fetch(`${prometheus.baseUrl}/api/v1/rules`);
    const body = (await response.json()) as { data: { groups: Array<{ name: string }> } };
    expect(body.data.groups.map((group) => group.name)).toEqual(['demo']);
  });

  it('stops and removes its data folder', async () => {
    const other = await startPrometheus();
    const { workDir } = other;
    expect(existsSync(workDir)).toBe(true);
    await other.stop();
    expect(existsSync(workDir)).toBe(false);
    await expect(fetch(`${other.baseUrl}/-/ready`)).rejects.toThrow();
  });
});
