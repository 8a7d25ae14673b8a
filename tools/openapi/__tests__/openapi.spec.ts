import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPENAPI_FOLDER, openApiDocument, SERVICE_NAMES, workspaceVersion } from '../openapi-documents';

// The published OpenAPI documents are generated from the controllers; this keeps them from drifting.
describe('published OpenAPI documents', () => {
  it.each(SERVICE_NAMES)(
    'docs/openapi/%s.json matches the code (run `npm run openapi` after API changes)',
    async (name) => {
      const generated = await openApiDocument(name, workspaceVersion());
      const published = JSON.parse(readFileSync(join(OPENAPI_FOLDER, `${name}.json`), 'utf8')) as unknown;
      expect(generated.openapi).toMatch(/^3\./);
      expect(Object.keys(generated.paths).length).toBeGreaterThan(0);
      expect(JSON.parse(JSON.stringify(generated))).toEqual(published);
    },
  );

  it('lists the sign-in page where auth-ui serves it: /ui/auth/sign-in.html and the old /auth/sign-in.html', async () => {
    const paths = Object.keys((await openApiDocument('auth-ui', workspaceVersion())).paths);
    expect(paths).toEqual(expect.arrayContaining(['/ui/auth/sign-in.html', '/auth/sign-in.html']));
    expect(paths.filter((path) => path.startsWith('/ui/auth/auth/'))).toEqual([]);
  });
});
