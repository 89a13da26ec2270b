module.exports = {
  displayName: 'details',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/apps/details',
};
