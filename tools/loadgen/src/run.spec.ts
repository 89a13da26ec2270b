import { parseMix } from './mix';
import { buildRequests } from './run';
import { VersionSplit } from './version-share';

describe('buildRequests', () => {
  const options = {
    url: new URL('http://127.0.0.1:9000/app/'),
    mix: parseMix('/ping/stats:2,POST /url/info:1'),
    infoUrl: 'http://127.0.0.1:9000/healthz',
  };

  it('puts the target path in front of every mix path and sends JSON bodies only with POST', () => {
    const requests = buildRequests(options, new VersionSplit());
    expect(requests.map(({ method, path, body, headers }) => ({ method, path, body, headers }))).toEqual([
      { method: 'GET', path: '/app/ping/stats', body: undefined, headers: undefined },
      {
        method: 'POST',
        path: '/app/url/info',
        body: '{"url":"http://127.0.0.1:9000/healthz"}',
        headers: { 'content-type': 'application/json' },
      },
      { method: 'GET', path: '/app/ping/stats', body: undefined, headers: undefined },
    ]);
  });

  it('tallies the version header of every response overall and under the route it answers', () => {
    const split = new VersionSplit(['GET /ping/stats', 'POST /url/info']);
    const requests = buildRequests(options, split);
    requests.forEach((request, index) => {
      if (typeof request.onResponse !== 'function') throw new Error('every request needs an onResponse hook');
      request.onResponse(200, '{}', {}, { 'x-service-version': index === 0 ? 'v2' : 'v1' });
    });
    expect(split.overall.shares()).toEqual([
      { version: 'v1', count: 2, share: 2 / 3 },
      { version: 'v2', count: 1, share: 1 / 3 },
    ]);
    expect(split.byRoute()).toEqual({
      'GET /ping/stats': [
        { version: 'v1', count: 1, share: 0.5 },
        { version: 'v2', count: 1, share: 0.5 },
      ],
      'POST /url/info': [{ version: 'v1', count: 1, share: 1 }],
    });
  });
});
