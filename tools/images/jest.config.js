module.exports = {
  displayName: 'images',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/tools/images',
};
