import { runMain } from '@learnathon/service-runtime';
import { loadFrontendConfig } from './config';
import { createFrontend } from './frontend';

runMain('frontend', async () => {
  const config = loadFrontendConfig();
  const { service } = await createFrontend(config);
  await service.listen();
  service.logger.info(
    {
      pinger: config.pingerBaseUrl,
      details: config.detailsBaseUrl,
      upstream_timeout_ms: config.upstreamTimeoutMs,
    },
    'frontend started',
  );
});
