module.exports = {
  displayName: 'envoy-sidecar',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/envoy-sidecar',
};
