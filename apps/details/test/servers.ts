import http from 'node:http';
import net, { type LookupFunction } from 'node:net';

export interface TestServer {
  /** Base URL, `http://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** Paths requested so far, with their headers. */
  requests: Array<{ path: string; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 and an ephemeral port that records what it was asked. */
export async function startTestServer(handler: http.RequestListener): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const server = http.createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const ONLY_ADDRESS_TESTS_MAY_REACH = '127.0.0.1';

function checkedLookup(lookup: LookupFunction): LookupFunction {
  return (hostname, options, callback) =>
    lookup(hostname, options, (error, address, family) => {
      const addresses = Array.isArray(address) ? address.map((entry) => entry.address) : [address];
      const stray = addresses.find((candidate) => candidate !== ONLY_ADDRESS_TESTS_MAY_REACH);
      if (!error && stray) callback(new Error(`test safety net: refused to connect to ${stray}`), '');
      else callback(error, address, family);
    });
}

/**
 * A safety net under the address guard while testing it: any socket connection to an address other
 * than 127.0.0.1 fails before a packet is sent. If the guard under test were broken, a test would
 * then fail with a 500 instead of reaching a real metadata service from the test machine.
 */
export function refuseConnectionsBeyondLoopback(): void {
  const originalConnect = net.Socket.prototype.connect;
  jest.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (
    this: net.Socket,
    ...args: unknown[]
  ) {
    const first = args[0];
    const options = (Array.isArray(first) ? first[0] : first) as
      { host?: string; lookup?: LookupFunction } | undefined;
    if (options && typeof options === 'object' && options.host) {
      if (net.isIP(options.host) && options.host !== ONLY_ADDRESS_TESTS_MAY_REACH) {
        throw new Error(`test safety net: refused to connect to ${options.host}`);
      }
      if (!net.isIP(options.host) && options.lookup) options.lookup = checkedLookup(options.lookup);
    }
    return (originalConnect as (...connectArgs: unknown[]) => net.Socket).apply(this, args);
  });
}
