export {
  ConfigError,
  loadConfig,
  commonConfig,
  intVar,
  portVar,
  enumVar,
  stringVar,
  boolVar,
  urlVar,
  urlListVar,
  optionalStringVar,
  LOG_LEVELS,
  type Env,
  type EnvReader,
  type ConfigSchema,
  type ConfigOf,
  type LogLevel,
} from './config';
export { createLogger, type Logger, type LoggerOptions } from './logger';
export { HttpError, badRequest, errorHandler, notFoundHandler, type ErrorBody } from './errors';
export { Health } from './health';
export { drainAndStop, type ShutdownOptions } from './shutdown';
export { Service, type ServiceOptions, type RunningService } from './service';
export { runMain } from './run-main';
export {
  UpstreamClient,
  UpstreamError,
  DEFAULT_UPSTREAM_MAX_BODY_BYTES,
  type UpstreamOptions,
  type UpstreamFailure,
  type UpstreamResponse,
} from './upstream-client';
export { checkUserUrl, MAX_URL_LENGTH, type UserUrlResult } from './user-url';
