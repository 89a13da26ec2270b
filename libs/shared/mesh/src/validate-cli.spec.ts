import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useTempDir } from '@learnathon/testing';
import { dump } from 'js-yaml';
import { renderSidecarConfig } from './sidecar-config';
import { runValidateCli, VALIDATE_USAGE } from './validate-cli';

describe('validate CLI', () => {
  const dir = useTempDir('mesh-validate');
  let out: string[];
  let err: string[];
  const run = (...args: string[]) =>
    runValidateCli(args, { out: (line) => out.push(line), err: (line) => err.push(line) });
  const file = (name: string, text: string) => {
    const path = join(dir(), name);
    writeFileSync(path, text);
    return path;
  };
  const configMap = (name: string, envoyJson: string) =>
    dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { 'envoy.json': envoyJson } });

  beforeEach(() => {
    out = [];
    err = [];
  });

  it('exits 0 and says so for valid envoy.json files', () => {
    const path = file('envoy.json', renderSidecarConfig('details'));
    expect(run(path)).toBe(0);
    expect(out).toEqual([`${path}: valid`]);
    expect(err).toEqual([]);
  });

  it('exits 1 with path-qualified errors for a broken config', () => {
    const config = JSON.parse(renderSidecarConfig('details'));
    config.static_resources.clusters[0].typo = 1;
    const path = file('broken.json', JSON.stringify(config));
    expect(run(path)).toBe(1);
    expect(err).toEqual([
      `${path}: static_resources.clusters[0].typo: unknown field of envoy.config.cluster.v3.Cluster`,
    ]);
  });

  it('checks the envoy.json of every ConfigMap in a YAML file', () => {
    const broken = renderSidecarConfig('details').replace(
      '"127.0.0.1",\n        "port_value": 9901',
      '"0.0.0.0",\n        "port_value": 9901',
    );
    const path = file(
      'maps.yaml',
      `${configMap('envoy-details', renderSidecarConfig('details'))}---\n${configMap('envoy-bad', broken)}`,
    );
    expect(run(path)).toBe(1);
    expect(out).toEqual([`${path} (ConfigMap envoy-details, envoy.json): valid`]);
    expect(err).toEqual([
      `${path} (ConfigMap envoy-bad, envoy.json): admin.address.socket_address.address: admin must listen on loopback only, got '0.0.0.0'`,
    ]);
  });

  it('checks listener ports against the given container and target ports', () => {
    const path = file('envoy.json', renderSidecarConfig('details'));
    expect(run('--container-port', '4000', '--container-port', '9902', '--target-port', '4000', path)).toBe(
      0,
    );
    expect(run('--target-port', '3000', path)).toBe(1);
    expect(err).toEqual([
      `${path}: static_resources.listeners: no listener outside loopback takes the Service's targetPort 3000`,
    ]);
  });

  it('exits 1 for a missing file or a YAML without an Envoy ConfigMap, and goes on with the rest', () => {
    const good = file('envoy.json', renderSidecarConfig('details'));
    const empty = file('other.yaml', 'kind: Service\n');
    expect(run(join(dir(), 'missing.json'), empty, good)).toBe(1);
    expect(err[0]).toMatch(/missing\.json: ENOENT/);
    expect(err[1]).toBe(`${empty}: holds no ConfigMap with an envoy.json key`);
    expect(out).toEqual([`${good}: valid`]);
  });

  it('exits 2 with the usage on bad arguments', () => {
    expect(run()).toBe(2);
    expect(err).toEqual([`no FILE given\n${VALIDATE_USAGE}`]);
    expect(run('--target-port', 'http', 'x.json')).toBe(2);
    expect(run('--verbose', 'x.json')).toBe(2);
    expect(err.slice(1).map((line) => line.split('\n')[0])).toEqual([
      "--target-port needs a port number, got 'http'",
      'unknown option --verbose',
    ]);
  });
});
