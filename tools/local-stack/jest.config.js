module.exports = {
  displayName: 'local-stack',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/tools/local-stack',
};
