module.exports = {
  displayName: 'metrics',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/shared/metrics',
};
