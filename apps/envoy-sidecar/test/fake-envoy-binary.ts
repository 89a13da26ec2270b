import path from 'node:path';
import { bundleExecutable } from './bundle';

export interface FakeEnvoySettings {
  /** Where the epochs' "shared memory" and domain sockets go (Envoy: /dev/shm and abstract sockets). */
  shmDir: string;
  /** See FAKE_ENVOY_HANDOVER_REFUSALS in fake-envoy.ts. */
  handoverRefusals?: number;
}

/** The stand-in Envoy as an executable the supervisor runs as ENVOY_BINARY, exactly as it runs the real one. */
export function fakeEnvoyBinary({ shmDir, handoverRefusals = 0 }: FakeEnvoySettings): string {
  return bundleExecutable(path.join(__dirname, 'fake-envoy.ts'), {
    FAKE_ENVOY_SHM_DIR: shmDir,
    FAKE_ENVOY_HANDOVER_REFUSALS: String(handoverRefusals),
  });
}
