module.exports = {
  displayName: 'service-runtime',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/shared/service-runtime',
};
