import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getJson, httpStatus } from './http';

let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/json') {
      res.writeHead(201, { 'content-type': 'application/json', 'x-service-version': 'v2' });
      res.end(JSON.stringify({ method: req.method }));
    } else if (req.url === '/text') {
      res.writeHead(502).end('<html>bad gateway</html>');
    } else if (req.url === '/silent') {
      // never answers
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('httpStatus', () => {
  it('is the status of a GET', async () => {
    expect(await httpStatus(`${base}/json`)).toBe(201);
    expect(await httpStatus(`${base}/missing`)).toBe(404);
  });

  it('is 0 when nothing answers: refused or silent past the timeout', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    expect(await httpStatus(`http://127.0.0.1:${port}/`)).toBe(0);
    expect(await httpStatus(`${base}/silent`, 100)).toBe(0);
  });
});

describe('getJson', () => {
  it('returns status, headers and parsed body, for any method', async () => {
    const response = await getJson<{ method: string }>(`${base}/json`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-service-version')).toBe('v2');
    expect(response.body).toEqual({ method: 'POST' });
  });

  it('fails naming the URL, status and body start when the answer is not JSON', async () => {
    await expect(getJson(`${base}/text`)).rejects.toThrow(
      `GET ${base}/text answered 502 with a body that is not JSON: <html>bad gateway</html>`,
    );
  });

  it('gives up after its timeout instead of hanging', async () => {
    await expect(getJson(`${base}/silent`, { timeoutMs: 100 })).rejects.toThrow(/timeout|aborted/i);
  });
});
