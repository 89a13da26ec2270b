import { runMain } from '@learnathon/service-runtime';
import { formatCidr } from './cidr';
import { loadDetailsConfig } from './config';
import { createDetails } from './details';

runMain('details', async () => {
  const config = loadDetailsConfig();
  const { service } = createDetails(config);
  await service.listen();
  service.logger.info(
    {
      timeout_ms: config.timeoutMs,
      max_body_bytes: config.maxBodyBytes,
      max_redirects: config.maxRedirects,
      deny_cidrs: config.denyCidrs.map(formatCidr),
      allow_cidrs: config.allowCidrs.map(formatCidr),
    },
    'details started',
  );
});
