/**
 * What other projects use of the mesh library: the ports and names the manifests, dashboards and
 * cutover tool must agree with, the sidecar config builders and the validator. The CLIs
 * (`generate-cli`, `validate-cli`) are entry points of their own.
 */
export {
  APP_PORT,
  ENVOY_STATS_PORT,
  INBOUND_PORTS,
  LOOPBACK,
  OUTBOUND_PORTS,
  PORT_NAMES,
  SIDECAR_STATUS_PORT,
} from './ports';
export { ENVOY_ADMIN_CLUSTER, JAEGER_CLUSTER, LOCAL_APP_CLUSTER } from './clusters';
export { PINGER_VERSION_HEADER, type PingerBackend } from './routes';
export { SIDECARS, buildSidecarConfig, canarySplit, renderSidecarConfig } from './sidecar-config';
export { validateEnvoyConfig, type EnvoyValidation } from './validate';
export { CONFIG_KEY } from './configmaps';
