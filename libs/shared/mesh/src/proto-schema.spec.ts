import protobuf from 'protobufjs';
import { BOOTSTRAP_TYPE, envoySchema, typeForUrl } from './proto-schema';

describe('envoySchema', () => {
  it('loads the bootstrap and the extensions the sidecars use, once', () => {
    const root = envoySchema();
    expect(root.lookupType(BOOTSTRAP_TYPE).fields['static_resources']).toBeDefined();
    expect(envoySchema()).toBe(root);
  });

  it('keeps the protoc-gen-validate rules in parsedOptions', () => {
    const field = envoySchema().lookupType('envoy.config.core.v3.SocketAddress').fields['port_value'];
    expect(field?.parsedOptions).toEqual([{ '(validate.rules)': { uint32: { lte: 65535 } } }]);
  });

  it('resolves an Any type URL to its message, and nothing for an unknown one', () => {
    const root = envoySchema();
    const router = typeForUrl(root, 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router');
    expect(router).toBeInstanceOf(protobuf.Type);
    expect(router?.fullName).toBe('.envoy.extensions.filters.http.router.v3.Router');
    expect(
      typeForUrl(root, 'type.googleapis.com/envoy.extensions.filters.http.nope.v3.Nope'),
    ).toBeUndefined();
    expect(typeForUrl(root, 'type.googleapis.com/')).toBeUndefined();
    // A package is not a message.
    expect(typeForUrl(root, 'type.googleapis.com/envoy.config')).toBeUndefined();
  });
});
