import { readFileSync } from 'node:fs';
import { loadAll } from 'js-yaml';
import { CONFIG_KEY } from './configmaps';
import { validateEnvoyConfig } from './validate';
import type { DeploymentContext } from './validate-semantics';

/**
 * `node dist/libs/shared/mesh/validate-cli.js [--container-port N]... [--target-port N]... FILE...`
 * validates Envoy configs: a FILE is an envoy.json, or a YAML of ConfigMaps whose `envoy.json`
 * keys are checked. Exit 0 when all are valid, 1 on any error, 2 on bad usage.
 */
export const VALIDATE_USAGE =
  'usage: validate-cli [--container-port N]... [--target-port N]... FILE... (envoy.json or ConfigMap YAML)';

export interface CliOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

interface ConfigMapLike {
  kind?: string;
  metadata?: { name?: string };
  data?: Record<string, string>;
}

interface Source {
  label: string;
  text: string;
}

function sourcesOf(file: string): Source[] {
  const text = readFileSync(file, 'utf8');
  if (!/\.ya?ml$/.test(file)) return [{ label: file, text }];
  const configMaps = (loadAll(text) as ConfigMapLike[]).filter(
    (doc) => doc?.kind === 'ConfigMap' && typeof doc.data?.[CONFIG_KEY] === 'string',
  );
  if (configMaps.length === 0) throw new Error(`holds no ConfigMap with an ${CONFIG_KEY} key`);
  return configMaps.map((doc) => ({
    label: `${file} (ConfigMap ${doc.metadata?.name ?? '?'}, ${CONFIG_KEY})`,
    text: doc.data?.[CONFIG_KEY] ?? '',
  }));
}

function parseArgs(args: string[]): { files: string[]; context: DeploymentContext } {
  const files: string[] = [];
  const containerPorts: number[] = [];
  const serviceTargetPorts: number[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    if (arg === '--container-port' || arg === '--target-port') {
      const port = Number(args[index + 1]);
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new Error(`${arg} needs a port number, got '${args[index + 1] ?? ''}'`);
      }
      (arg === '--container-port' ? containerPorts : serviceTargetPorts).push(port);
      index += 1;
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}`);
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) throw new Error('no FILE given');
  const context: DeploymentContext = {
    ...(containerPorts.length > 0 ? { containerPorts } : {}),
    ...(serviceTargetPorts.length > 0 ? { serviceTargetPorts } : {}),
  };
  return { files, context };
}

/** Runs the validator over `args`; returns the process exit code. */
export function runValidateCli(args: string[], output: CliOutput): number {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(args);
  } catch (error) {
    output.err(`${(error as Error).message}\n${VALIDATE_USAGE}`);
    return 2;
  }
  let failed = false;
  for (const file of parsed.files) {
    let sources: Source[];
    try {
      sources = sourcesOf(file);
    } catch (error) {
      output.err(`${file}: ${(error as Error).message}`);
      failed = true;
      continue;
    }
    for (const { label, text } of sources) {
      const { errors, warnings } = validateEnvoyConfig(text, parsed.context);
      for (const warning of warnings) output.err(`${label}: warning: ${warning}`);
      for (const error of errors) output.err(`${label}: ${error}`);
      if (errors.length > 0) failed = true;
      else output.out(`${label}: valid`);
    }
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = runValidateCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
