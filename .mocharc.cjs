// Mocha's config. `mocha test/x.test.ts` runs that file alone: the whole suite is the default only
// when no test file is named (a `spec` in the config would be added to the named files).
const namesFiles = process.argv.slice(2).some((arg) => /\.test\.ts$/.test(arg));

module.exports = {
  'node-option': ['import=tsx'],
  ...(namesFiles ? {} : { spec: ['test/**/*.test.ts'] }),
  require: ['test/support/root-hooks.ts'],
  timeout: 60000,
  exit: true,
};
