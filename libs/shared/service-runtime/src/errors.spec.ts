import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { badRequest, errorHandler, HttpError, notFoundHandler } from './errors';
import { captureLogs } from '@learnathon/testing';
import { createLogger } from './logger';

describe('JSON errors', () => {
  const captured = captureLogs((destination) =>
    createLogger({ service: 'test', version: 'v0', level: 'debug', destination }),
  );
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    const app = express();
    app.use(express.json({ limit: '1kb' }));
    app.post('/echo', (req, res) => {
      res.json(req.body);
    });
    app.get('/teapot', () => {
      throw new HttpError(418, 'teapot', 'short and stout');
    });
    app.get('/bad', () => {
      throw badRequest('url must be http(s)');
    });
    app.get('/fail', () => {
      throw new Error('secret database password in stack');
    });
    app.get('/fail-midway', (_req, res) => {
      res.status(200).write('{"partial":');
      throw new Error('broke after the headers');
    });
    app.use(notFoundHandler);
    app.use(errorHandler(captured.logger));
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });

  const post = (body: string, contentType = 'application/json') =>
    fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const answer = async (response: Response) => ({
    status: response.status,
    body: (await response.json()) as unknown,
  });

  it('answers an unknown route with a JSON 404 naming method and path', async () => {
    expect(await answer(await fetch(`${url}/nope?x=1`))).toEqual({
      status: 404,
      body: { error: 'not_found', message: 'No route for GET /nope' },
    });
  });

  it("keeps an HttpError's status, code and message", async () => {
    expect(await answer(await fetch(`${url}/teapot`))).toEqual({
      status: 418,
      body: { error: 'teapot', message: 'short and stout' },
    });
    expect(await answer(await fetch(`${url}/bad`))).toEqual({
      status: 400,
      body: { error: 'bad_request', message: 'url must be http(s)' },
    });
  });

  it("turns the body parser's errors into their status with a reason", async () => {
    expect(await answer(await post('{"url": '))).toEqual({
      status: 400,
      body: { error: 'bad_request', message: 'Request body is not valid JSON' },
    });
    expect(await answer(await post(JSON.stringify({ pad: 'x'.repeat(2048) })))).toEqual({
      status: 413,
      body: { error: 'payload_too_large', message: 'Request body is too large' },
    });
    expect(await answer(await post('{}', 'application/json; charset=klingon'))).toEqual({
      status: 415,
      body: { error: 'unsupported_charset', message: 'Request body charset is not supported' },
    });
  });

  it('hides anything else behind a generic 500, and logs it with its stack', async () => {
    const response = await fetch(`${url}/fail`);
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toEqual({ error: 'internal_error', message: 'Internal server error' });
    expect(text).not.toContain('secret');
    expect(captured.lines()).toContainEqual(
      expect.objectContaining({
        level: 'error',
        msg: 'request failed',
        method: 'GET',
        path: '/fail',
        err: expect.objectContaining({ stack: expect.stringContaining('secret database password') }),
      }),
    );
  });

  it('logs an error raised after the headers went out and closes the connection rather than hang', async () => {
    const outcome = await fetch(`${url}/fail-midway`)
      .then((response) => response.text())
      .then(
        () => 'answered',
        () => 'connection closed',
      );
    expect(outcome).toBe('connection closed');
    expect(captured.lines()).toContainEqual(
      expect.objectContaining({ msg: 'request failed', path: '/fail-midway' }),
    );
  });
});
