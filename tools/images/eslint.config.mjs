import baseConfig, { allowTestingImports } from '../../eslint.config.mjs';

/** The podman smoke test is a test harness; the rest of this tool builds and loads images. */
export default [...baseConfig, allowTestingImports(['src/smoke.ts'])];
