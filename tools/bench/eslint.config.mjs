import baseConfig, { allowTestingImports } from '../../eslint.config.mjs';

/** The bench is a harness that only ever runs the services under test, never ships. */
export default [...baseConfig, allowTestingImports(['**/*.ts'])];
