module.exports = {
  displayName: 'mesh',
  preset: '../../../jest.preset.js',
  coverageDirectory: '../../../coverage/libs/shared/mesh',
};
