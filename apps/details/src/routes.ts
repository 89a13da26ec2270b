import { badRequest, checkUserUrl, HttpError, type Logger } from '@learnathon/service-runtime';
import { Router, type Response } from 'express';
import type { GuardedFetcher, FetchedPage } from './guarded-fetch';
import { contentLengthOf, decodeBody, extractTitle, headerValue, isHtml } from './page-info';

export interface DetailsRoutesDeps {
  fetcher: GuardedFetcher;
  logger: Logger;
}

/** What `POST /url/info` answers: the original learnathon fields first, then the extra detail. */
export interface UrlInfo {
  url: string;
  status: number;
  contentType: string | null;
  server: string | null;
  statusText: string;
  contentLength: number | null;
  bodyBytesRead: number;
  bodyTruncated: boolean;
  title: string | null;
  responseTimeMs: number;
  redirects: FetchedPage['redirects'];
  finalUrl: string;
  resolvedAddress: string | null;
}

function requestedUrl(body: unknown): URL {
  const url = (body as { url?: unknown } | undefined)?.url;
  if (typeof url !== 'string') throw badRequest('Body must be JSON like {"url": "https://example.com"}');
  const parsed = checkUserUrl(url);
  if ('problem' in parsed) throw badRequest(parsed.problem);
  return parsed.url;
}

function describe(url: URL, page: FetchedPage): UrlInfo {
  const contentType = headerValue(page.headers, 'content-type');
  return {
    url: url.href,
    status: page.status,
    contentType,
    server: headerValue(page.headers, 'server'),
    statusText: page.statusText,
    contentLength: contentLengthOf(page.headers),
    bodyBytesRead: page.body.length,
    bodyTruncated: page.bodyTruncated,
    title: isHtml(contentType) ? extractTitle(decodeBody(page.body, contentType)) : null,
    responseTimeMs: page.responseTimeMs,
    redirects: page.redirects,
    finalUrl: page.finalUrl,
    resolvedAddress: page.resolvedAddress,
  };
}

/** Aborts the outbound fetch if the caller hangs up before we answer. */
function cancelledWhenClosed(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}

export function detailsRoutes({ fetcher, logger }: DetailsRoutesDeps): Router {
  const router = Router();

  router.post('/url/info', async (req, res) => {
    const url = requestedUrl(req.body);
    try {
      const page = await fetcher.fetch(url, cancelledWhenClosed(res));
      res.json(describe(url, page));
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      // Answered here, not by the shared error handler: an unreachable or refused user URL is the
      // user's problem, not a server error worth an error-level log line with a stack.
      const level = error.code === 'forbidden_address' ? 'warn' : 'info';
      logger[level]({ host: url.host, error: error.code, reason: error.message }, 'url info failed');
      res.status(error.status).json({ error: error.code, message: error.message });
    }
  });

  return router;
}
