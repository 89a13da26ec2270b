import { DEFAULT_PORTS, stackServices } from './stack';

describe('stackServices', () => {
  const services = stackServices(DEFAULT_PORTS, 'v1');

  it('starts the backends before the frontend, on the documented ports', () => {
    expect(services.map((service) => [service.name, service.port])).toEqual([
      ['details', 4000],
      ['pinger-v1', 3000],
      ['pinger-v2', 3001],
      ['frontend', 9000],
    ]);
  });

  it('never points a default anywhere but 127.0.0.1', () => {
    const urls = services.flatMap((service) =>
      Object.values(service.env)
        .flatMap((value) => value.split(','))
        .filter((value) => value.includes('://')),
    );
    expect(urls.length).toBeGreaterThan(4);
    for (const url of urls) expect(new URL(url).hostname).toBe('127.0.0.1');
  });

  it('has both pingers watch the stack itself, one version each', () => {
    const pingers = services.filter((service) => service.script === 'apps/pinger/main.js');
    expect(pingers.map((pinger) => pinger.env['PINGER_VERSION'])).toEqual(['v1', 'v2']);
    expect(pingers[0]?.env['PINGER_TARGETS']).toBe(
      'http://127.0.0.1:9000/,http://127.0.0.1:4000/healthz,http://127.0.0.1:3000/healthz,http://127.0.0.1:3001/healthz',
    );
  });

  it('points the frontend at the pinger version asked for, on the ports given', () => {
    const ports = { frontend: 19000, pingerV1: 13000, pingerV2: 13001, details: 14000 };
    const frontend = (version: 'v1' | 'v2') =>
      stackServices(ports, version).find((service) => service.name === 'frontend');
    expect(frontend('v1')?.env).toEqual({
      PINGER_BASE_URL: 'http://127.0.0.1:13000',
      DETAILS_BASE_URL: 'http://127.0.0.1:14000',
    });
    expect(frontend('v2')?.env['PINGER_BASE_URL']).toBe('http://127.0.0.1:13001');
  });
});
