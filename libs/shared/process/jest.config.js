module.exports = {
  displayName: 'process',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/shared/process',
};
