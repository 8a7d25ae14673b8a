import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authApiConfigSchema } from '@cxauth/auth-api';
import { authUiConfigSchema } from '@cxauth/auth-ui';
import { environmentApiConfigSchema } from '@cxauth/environment-api';
import { requiredVariables } from '@cxauth/platform';

const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');

// The README's configuration reference cannot drift from the schemas the services validate at boot.
describe('README configuration reference', () => {
  it.each([
    ['auth-api', authApiConfigSchema],
    ['auth-ui', authUiConfigSchema],
    ['environment-api', environmentApiConfigSchema],
  ])('documents every variable %s reads, and marks the required ones', (_service, schema) => {
    for (const variable of Object.keys(schema.shape)) {
      expect(readme).toMatch(new RegExp(`\\| \`${variable}\` +\\|`));
    }
    for (const variable of requiredVariables(schema)) {
      expect(readme).toMatch(new RegExp(`\\| \`${variable}\` +\\| required +\\|`));
    }
  });
});
