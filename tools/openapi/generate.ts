/** `npm run openapi`: writes docs/openapi/<service>.json from the code. A test fails when they drift. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPENAPI_FOLDER, openApiDocument, SERVICE_NAMES, workspaceVersion } from './openapi-documents';

async function main(): Promise<void> {
  mkdirSync(OPENAPI_FOLDER, { recursive: true });
  for (const name of SERVICE_NAMES) {
    const document = await openApiDocument(name, workspaceVersion());
    writeFileSync(join(OPENAPI_FOLDER, `${name}.json`), `${JSON.stringify(document, null, 2)}\n`);
    console.log(`docs/openapi/${name}.json: ${Object.keys(document.paths).length} paths`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
