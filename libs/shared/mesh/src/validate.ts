import { BOOTSTRAP_TYPE, envoySchema } from './proto-schema';
import type { BootstrapJson } from './sidecar-config';
import { checkAgainstSchema } from './validate-schema';
import { semanticErrors, type DeploymentContext } from './validate-semantics';

export interface EnvoyValidation {
  /** Path-qualified problems Envoy would reject or that break the mesh; empty when the config is good. */
  errors: string[];
  /** Things Envoy accepts but warns about (deprecated fields). */
  warnings: string[];
}

/**
 * Validates an Envoy v3 bootstrap (JSON text or its parsed value) against Envoy's own protos and
 * their `validate.rules`, then, when the schema holds, the mesh's semantic rules. The shipped
 * protos predate Envoy 1.40, so a field added since reads as unknown.
 */
export function validateEnvoyConfig(
  config: string | object,
  context: DeploymentContext = {},
): EnvoyValidation {
  let value: unknown = config;
  if (typeof config === 'string') {
    try {
      value = JSON.parse(config);
    } catch (error) {
      return { errors: [`(root): not valid JSON: ${(error as Error).message}`], warnings: [] };
    }
  }
  const schema = checkAgainstSchema(envoySchema(), BOOTSTRAP_TYPE, value);
  if (schema.errors.length > 0) return schema;
  return { errors: semanticErrors(value as BootstrapJson, context), warnings: schema.warnings };
}
