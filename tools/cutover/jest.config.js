/**
 * @kubernetes/client-node 1.x and some of its dependencies ship only ES modules: Jest runs CommonJS,
 * so those packages are transformed by SWC like our own code instead of being ignored.
 */
const esmOnly = ['@kubernetes/client-node', 'openid-client', 'oauth4webapi', 'jose', 'jsonpath-plus'];

module.exports = {
  displayName: 'cutover',
  preset: '../../jest.preset.js',
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  // The analysis specs start a real Prometheus and real pinger processes.
  testTimeout: 60_000,
  coverageDirectory: '../../coverage/tools/cutover',
};
