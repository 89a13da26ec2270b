export * from './ports';
export {
  duration,
  typed,
  type AnyJson,
  type DurationJson,
  type EnvoyJson,
  type JsonValue,
} from './proto-json';
export {
  ENVOY_ADMIN_CLUSTER,
  JAEGER_CLUSTER,
  LOCAL_APP_CLUSTER,
  RETRY_BUDGET,
  upstreamCluster,
  type ClusterJson,
  type UpstreamEndpoint,
} from './clusters';
export {
  PINGER_VERSION_HEADER,
  UNTRACED_APP_PATHS,
  pingerVersion,
  type OutboundPolicy,
  type PingerBackend,
  type RouteConfigJson,
  type RouteJson,
} from './routes';
export { ACCESS_LOG_FORMAT, type HttpConnectionManagerJson, type ListenerJson } from './listeners';
export {
  ALL_TO_PINGER_V1,
  OVERLAY_OPTIONS,
  OUTBOUND_POLICIES,
  SIDECARS,
  buildSidecarConfig,
  canarySplit,
  renderSidecarConfig,
  serviceOf,
  type BootstrapJson,
  type SidecarName,
  type SidecarOptions,
} from './sidecar-config';
export { validateEnvoyConfig, type EnvoyValidation } from './validate';
export { isLoopback, type DeploymentContext } from './validate-semantics';
export {
  CONFIG_KEY,
  configMapName,
  deploymentContextOf,
  GENERATED_CONFIGMAPS,
  type GeneratedConfigMap,
} from './configmaps';
