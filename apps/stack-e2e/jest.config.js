/**
 * End-to-end tests: the real, built services as child processes on 127.0.0.1, driven over HTTP, by a
 * real Prometheus and by a real headless Chromium. Build first (the Nx `test` target does).
 */
module.exports = {
  displayName: 'stack-e2e',
  preset: '../../jest.preset.js',
  testMatch: ['<rootDir>/src/**/*.e2e.ts'],
  testTimeout: 60_000,
  maxWorkers: 1,
};
