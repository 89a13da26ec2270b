module.exports = {
  displayName: 'k8s',
  preset: '../jest.preset.js',
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  // Builds every overlay, type-checks every object and starts a real Prometheus: slower than unit tests.
  testTimeout: 120_000,
  coverageDirectory: '../coverage/k8s',
};
