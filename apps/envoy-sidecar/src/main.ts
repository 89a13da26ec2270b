import { createLogger, runMain, Service } from '@learnathon/service-runtime';
import { loadSidecarConfig } from './config';
import { ConfigWatcher } from './config-watcher';
import { startControlServer } from './control-server';
import { SidecarMetrics } from './sidecar-metrics';
import { addStatusRoutes } from './status-routes';
import { EnvoyExitedError, Supervisor } from './supervisor';

const NAME = 'envoy-sidecar';

runMain(NAME, async () => {
  const config = loadSidecarConfig();
  const logger = createLogger({ service: NAME, version: config.version, level: config.logLevel });
  const service = new Service({
    name: NAME,
    version: config.version,
    port: config.statusPort,
    host: config.statusHost,
    logLevel: config.logLevel,
    logger,
    shutdownDelayMs: 0,
    shutdownTimeoutMs: 2_000,
    handleSignals: false,
  });
  const supervisor = new Supervisor({ ...config, logger, metrics: new SidecarMetrics(service.registry) });
  addStatusRoutes(service.app, () => supervisor.status());

  const closers: Array<() => Promise<unknown> | void> = [];
  const exit = async (code: number) => {
    for (const close of closers.reverse()) await close();
    logger.info({ exit_code: code }, 'stopped');
    logger.flush(() => process.exit(code));
  };

  // Installed before Envoy starts: PID 1 has no default SIGTERM action, so without a handler it would be ignored.
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: unready, draining envoy');
    service.health.markDraining();
    void supervisor.shutdown().then(exit);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  supervisor.failed.catch((error: EnvoyExitedError) => {
    if (stopping) return;
    stopping = true;
    void exit(error.exitCode);
  });

  try {
    await supervisor.start();
  } catch (error) {
    // A signal during start-up stops epoch 0 on purpose: the signal handler exits, once.
    if (stopping) return;
    if (!(error instanceof EnvoyExitedError)) throw error;
    logger.fatal({ exit_code: error.exitCode }, error.message);
    return exit(error.exitCode);
  }
  if (stopping) return;
  const running = await service.listen();
  closers.push(() => running.stop());
  const control = await startControlServer(config.controlPort, () =>
    supervisor.reload('requested on the control port', { force: true }),
  );
  closers.push(() => control.close());
  const watcher = new ConfigWatcher({
    file: config.envoyConfig,
    pollIntervalMs: config.pollIntervalMs,
    onChange: (hash) => {
      logger.info({ config_hash: hash, config_path: config.envoyConfig }, 'config file changed');
      supervisor
        .reload('config file changed')
        .catch((error: Error) => logger.error({ err: error.message }, 'could not read the new config'));
    },
    onError: (error) => logger.warn({ err: error.message }, 'config watch failed; polling only'),
  });
  watcher.start(supervisor.status().configHash);
  closers.push(() => watcher.stop());
  logger.info(
    { status_port: running.port, control_port: control.port, config_path: config.envoyConfig },
    'envoy sidecar started',
  );
});
