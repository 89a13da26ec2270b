module.exports = {
  displayName: 'cluster',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/tools/cluster',
};
