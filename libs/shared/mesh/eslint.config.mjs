import baseConfig from '../../../eslint.config.mjs';

// src/generated holds the types `nx run mesh:generate-types` writes from Envoy's protos (gitignored).
export default [...baseConfig, { ignores: ['src/generated/**'] }];
