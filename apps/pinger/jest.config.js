module.exports = {
  displayName: 'pinger',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/pinger',
};
