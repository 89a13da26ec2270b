import os from 'node:os';
import { analyse, checkPrometheus, PrometheusError, scrapedConfigHash } from './analysis';
import { parseCommand, USAGE, UsageError, type Command } from './args';
import { meshRenderer } from './envoy-config';
import { ClusterError, FrontendCluster, loadKubeConfig } from './kube';
import { createReporter } from './report';
import { runRollout } from './rollout';
import { runStatus } from './status';

const EXIT = { usage: 2, environment: 3, interrupted: 130 } as const;

function fail(code: number, message: string): never {
  process.stderr.write(
    `cutover: ${message}\n${code === EXIT.usage ? 'Run `npx cutover --help` for the options.\n' : ''}`,
  );
  process.exit(code);
}

/** First Ctrl-C: stop after the call in flight (a ConfigMap write is never cut in half); second: quit now. */
function interruptOnSigint(): AbortSignal {
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write('cutover: stopping after the current call (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return controller.signal;
}

async function main(argv: string[]): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (error instanceof UsageError) fail(EXIT.usage, error.message);
    throw error;
  }
  if (command.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const reporter = createReporter(command.json, (text) => process.stdout.write(text));
  const kubeConfig = loadKubeConfig(command.context);
  const cluster = new FrontendCluster(kubeConfig, command.namespace);
  if (command.command === 'status') return (await runStatus(command, cluster, reporter)).exitCode;
  const result = await runRollout(command, {
    cluster,
    renderer: meshRenderer,
    reporter,
    analyse,
    checkPrometheus,
    signal: interruptOnSigint(),
    who: `${os.userInfo().username}@${os.hostname()} (kube user ${cluster.user})`,
    printConfig: (text) => process.stdout.write(text),
    printDiff: (text) => process.stderr.write(text),
    scrapedConfigHash: (pod) => scrapedConfigHash(command.prometheusUrl, command.namespace, pod),
  });
  return result.exitCode;
}

// Exit once stdout is flushed: a pipe to a script must get the whole summary.
main(process.argv.slice(2)).then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (error: unknown) => {
    if (error instanceof UsageError) fail(EXIT.usage, `${error.message}; nothing applied`);
    if (error instanceof ClusterError || error instanceof PrometheusError)
      fail(EXIT.environment, `${error.message}; nothing applied`);
    fail(EXIT.environment, (error as Error).stack ?? String(error));
  },
);
