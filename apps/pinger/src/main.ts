import { runMain } from '@learnathon/service-runtime';
import { loadPingerConfig } from './config';
import { createPinger } from './pinger';

runMain('pinger', async () => {
  const config = loadPingerConfig();
  const { service, prober } = await createPinger(config);
  await service.listen();
  prober.start();
  service.logger.info({ interval_ms: config.intervalMs, targets: config.targets.length }, 'pinger started');
});
