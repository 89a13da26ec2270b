import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import protobuf from 'protobufjs';
import ENVOY_PROTOS from './envoy-protos.json';

/**
 * Envoy's v3 protos as shipped in @grpc/grpc-js-xds (with xds, googleapis and protoc-gen-validate,
 * whose `validate.rules` annotations Envoy enforces at load), loaded as protobufjs descriptors.
 * These protos predate Envoy 1.40: a field added since then reads as unknown here.
 */
export const BOOTSTRAP_TYPE = 'envoy.config.bootstrap.v3.Bootstrap';

const PROTO_DIRS = ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'];

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

function resolverFor(dirs: string[]): (origin: string, target: string) => string {
  return (origin, target) => {
    for (const dir of dirs) {
      const candidate = join(dir, target);
      if (existsSync(candidate)) return candidate;
    }
    return protobuf.util.path.resolve(origin, target);
  };
}

let cached: protobuf.Root | undefined;

/** The descriptors of the Envoy protos this package types and validates (envoy-protos.json), loaded once. */
export function envoySchema(): protobuf.Root {
  if (cached) return cached;
  const xdsDeps = join(packageDir('@grpc/grpc-js-xds'), 'deps');
  // descriptor.proto from protobufjs itself, so options such as (validate.rules) parse into parsedOptions.
  const dirs = [packageDir('protobufjs'), ...PROTO_DIRS.map((dir) => join(xdsDeps, dir))];
  const root = new protobuf.Root();
  root.resolvePath = resolverFor(dirs);
  root.loadSync(ENVOY_PROTOS, { keepCase: true });
  root.resolveAll();
  cached = root;
  return root;
}

/** The message type an Any's `@type` names (`type.googleapis.com/envoy...Router`), if loaded. */
export function typeForUrl(root: protobuf.Root, typeUrl: string): protobuf.Type | undefined {
  const name = typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
  if (name.length === 0) return undefined;
  const found = root.lookup(name);
  return found instanceof protobuf.Type ? found : undefined;
}
