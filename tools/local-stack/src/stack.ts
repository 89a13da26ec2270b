/**
 * The local stack: the same four processes as in the cluster, wired together on 127.0.0.1.
 * Every default here stays on this machine: the pingers watch the stack's own endpoints.
 */
export interface StackPorts {
  frontend: number;
  pingerV1: number;
  pingerV2: number;
  details: number;
}

export const DEFAULT_PORTS: StackPorts = { frontend: 9000, pingerV1: 3000, pingerV2: 3001, details: 4000 };

/** Environment variables that move a service to another port when the default one is taken. */
export const PORT_VARIABLES: Record<keyof StackPorts, string> = {
  frontend: 'FRONTEND_PORT',
  pingerV1: 'PINGER_V1_PORT',
  pingerV2: 'PINGER_V2_PORT',
  details: 'DETAILS_PORT',
};

export interface StackService {
  name: string;
  /** Bundle to run, relative to the `dist` folder. */
  script: string;
  port: number;
  env: Record<string, string>;
}

const local = (port: number, path = '') => `http://127.0.0.1:${port}${path}`;

/** The services in start order: backends first, so the frontend is ready to proxy when it starts. */
export function stackServices(ports: StackPorts, frontendPinger: 'v1' | 'v2'): StackService[] {
  const targets = [
    local(ports.frontend, '/'),
    local(ports.details, '/healthz'),
    local(ports.pingerV1, '/healthz'),
    local(ports.pingerV2, '/healthz'),
  ].join(',');
  const pinger = (version: 'v1' | 'v2', port: number): StackService => ({
    name: `pinger-${version}`,
    script: 'apps/pinger/main.js',
    port,
    env: { PINGER_VERSION: version, PINGER_TARGETS: targets },
  });
  return [
    { name: 'details', script: 'apps/details/main.js', port: ports.details, env: {} },
    pinger('v1', ports.pingerV1),
    pinger('v2', ports.pingerV2),
    {
      name: 'frontend',
      script: 'apps/frontend/main.js',
      port: ports.frontend,
      env: {
        PINGER_BASE_URL: local(frontendPinger === 'v1' ? ports.pingerV1 : ports.pingerV2),
        DETAILS_BASE_URL: local(ports.details),
      },
    },
  ];
}
