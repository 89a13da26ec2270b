import type { Logger, UpstreamClient } from '@learnathon/service-runtime';
import { Router } from 'express';
import { proxyTo } from './proxy';

export interface FrontendUpstreams {
  pinger: UpstreamClient;
  details: UpstreamClient;
}

/** The JSON API the UI talks to: the same routes as the services behind it. */
export function proxyRoutes({ pinger, details }: FrontendUpstreams, logger: Logger): Router {
  const router = Router();
  router.get('/ping/stats', proxyTo(pinger, 'GET', '/ping/stats', logger));
  router.get('/ping/urls', proxyTo(pinger, 'GET', '/ping/urls', logger));
  router.post('/ping/updateUrl', proxyTo(pinger, 'POST', '/ping/updateUrl', logger));
  router.post('/url/info', proxyTo(details, 'POST', '/url/info', logger));
  return router;
}
