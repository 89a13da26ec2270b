module.exports = {
  displayName: 'frontend',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/frontend',
};
