import { HttpError } from '@learnathon/service-runtime';
import { AddressGuard } from './address-guard';
import { parseCidrList } from './cidr';
import { resolveAllowedAddresses, type HostResolver } from './resolve';

const guard = new AddressGuard();
const noDns: HostResolver = () =>
  Promise.reject(new Error('the resolver must not be called for IP literals'));
const fixedDns =
  (table: Record<string, string[]>): HostResolver =>
  async (hostname) =>
    (table[hostname] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

async function errorOf(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected an HttpError');
}

describe('resolveAllowedAddresses', () => {
  // Each of these is 169.254.169.254 (or another denied address) spelled so that a check on the text would miss it.
  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://2852039166/',
    'http://0xA9.0xFE.0xA9.0xFE/',
    'http://0xa9fea9fe/',
    'http://0251.0376.0251.0376/',
    'http://169.254.43518/',
    'http://169.254.169.254./',
    'http://[::ffff:169.254.169.254]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://[0:0:0:0:0:ffff:169.254.169.254]/',
    'http://[64:ff9b::169.254.169.254]/',
    'http://[fe80::1]/',
    'http://[fd00:ec2::254]/',
    'http://[::]/',
    'http://0/',
    'http://0.0.0.0:8080/',
    'http://100.100.100.200/',
    'https://[::ffff:100.100.100.200]:443/',
  ])('refuses %s without a DNS lookup', async (url) => {
    const error = await errorOf(resolveAllowedAddresses(new URL(url), guard, noDns));
    expect(error.status).toBe(403);
    expect(error.code).toBe('forbidden_address');
  });

  it('passes allowed literals through without a lookup', async () => {
    await expect(resolveAllowedAddresses(new URL('http://127.0.0.1:9/'), guard, noDns)).resolves.toEqual([
      { address: '127.0.0.1', family: 4 },
    ]);
    await expect(resolveAllowedAddresses(new URL('http://[::1]:9/'), guard, noDns)).resolves.toEqual([
      { address: '::1', family: 6 },
    ]);
  });

  it('checks the resolved address, not the name', async () => {
    const dns = fixedDns({ 'metadata.test': ['169.254.169.254'], 'ok.test': ['127.0.0.1', '::1'] });
    const error = await errorOf(resolveAllowedAddresses(new URL('http://metadata.test/'), guard, dns));
    expect(error.code).toBe('forbidden_address');
    expect(error.message).toBe(
      'metadata.test resolves to 169.254.169.254, which is an address this service may not connect to',
    );
    await expect(resolveAllowedAddresses(new URL('http://ok.test/'), guard, dns)).resolves.toHaveLength(2);
  });

  it('refuses a name if any one of its addresses is denied', async () => {
    const dns = fixedDns({ 'mixed.test': ['127.0.0.1', '::ffff:169.254.169.254'] });
    const error = await errorOf(resolveAllowedAddresses(new URL('http://mixed.test/'), guard, dns));
    expect(error.message).toContain('::ffff:169.254.169.254');
  });

  it('applies the configured deny and allow lists', async () => {
    const strict = new AddressGuard({
      deny: parseCidrList('127.0.0.0/8'),
      allow: parseCidrList('127.0.0.2'),
    });
    await expect(
      errorOf(resolveAllowedAddresses(new URL('http://127.0.0.1/'), strict, noDns)),
    ).resolves.toMatchObject({ status: 403 });
    await expect(resolveAllowedAddresses(new URL('http://127.0.0.2/'), strict, noDns)).resolves.toHaveLength(
      1,
    );
  });

  it('turns a DNS failure into 502 with its code', async () => {
    const failing: HostResolver = () =>
      Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.test'), { code: 'ENOTFOUND' }));
    const error = await errorOf(resolveAllowedAddresses(new URL('http://nowhere.test/'), guard, failing));
    expect(error).toMatchObject({
      status: 502,
      code: 'upstream_unreachable',
      message: 'could not reach nowhere.test: ENOTFOUND',
    });
  });

  it('treats a name without addresses as not found', async () => {
    const error = await errorOf(resolveAllowedAddresses(new URL('http://empty.test/'), guard, fixedDns({})));
    expect(error).toMatchObject({ status: 502, message: 'could not reach empty.test: ENOTFOUND' });
  });
});
