import {
  JAEGER_CLUSTER,
  renderSidecarConfig,
  validateEnvoyConfig,
  type PingerBackend,
} from '@learnathon/mesh';
import type { FrontendRenderer } from './rollout';
import { definedClusters, type Split } from './split';

/** What the config in force was rendered with besides the split, kept across a change. */
export function frontendOptionsOf(current: unknown): { tracing?: boolean; runtimeKeyPrefix?: string } {
  const options: { tracing?: boolean; runtimeKeyPrefix?: string } = {};
  if (definedClusters(current).includes(JAEGER_CLUSTER)) options.tracing = true;
  const prefix = findRuntimeKeyPrefix(current);
  if (prefix !== undefined) options.runtimeKeyPrefix = prefix;
  return options;
}

function findRuntimeKeyPrefix(node: unknown): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'runtime_key_prefix' && typeof value === 'string') return value;
    const found = findRuntimeKeyPrefix(value);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The frontend's Envoy config as the mesh library renders it for the overlays: the same builders,
 * so a cutover to N% writes exactly what the canary-N overlay commits. Validated by the library's
 * validator (Envoy's v3 protos and their validate rules, then the mesh's own rules).
 */
export const meshRenderer: FrontendRenderer = {
  splittable: ['pinger'],
  render(current: unknown, _service: string, split: Split): string {
    const pingerSplit = Object.entries(split).map(
      ([cluster, weight]) => ({ cluster, weight }) as PingerBackend,
    );
    return renderSidecarConfig('frontend', { ...frontendOptionsOf(current), pingerSplit });
  },
  validate: (text: string) => validateEnvoyConfig(text).errors,
};
