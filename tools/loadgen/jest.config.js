module.exports = {
  displayName: 'loadgen',
  preset: '../../jest.preset.js',
  coverageDirectory: '../../coverage/tools/loadgen',
};
