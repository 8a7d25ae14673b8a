// Compiles apps/, libs/ and tools/ TypeScript to dist/ with swc (decorator metadata for Nest DI),
// rewriting the @cxauth/* path aliases to relative requires so the output runs on plain node.
import { transformFile } from '@swc/core';
import { mkdir, readdir, writeFile, rm, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist');
const sourceRoots = ['apps', 'libs', 'tools'];
const skipped = /(\.spec|\.e2e-spec|\.test)\.ts$|\.d\.ts$/;

const tsconfig = JSON.parse(await readFile(join(root, 'tsconfig.base.json'), 'utf8'));
const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
    baseUrl: root,
    paths: tsconfig.compilerOptions.paths,
  },
  module: { type: 'commonjs' },
  sourceMaps: true,
};

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__tests__' && entry.name !== 'node_modules') yield* walk(path);
    } else if (entry.name.endsWith('.ts') && !skipped.test(entry.name)) {
      yield path;
    }
  }
}

await rm(outDir, { recursive: true, force: true });
const started = Date.now();
let count = 0;
const jobs = [];
for (const sourceRoot of sourceRoots) {
  for await (const file of walk(join(root, sourceRoot))) {
    const target = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
    jobs.push(
      (async () => {
        const output = await transformFile(file, {
          ...swcOptions,
          filename: file,
          sourceFileName: relative(dirname(target), file),
        });
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, `${output.code}\n//# sourceMappingURL=${target.split('/').pop()}.map\n`);
        if (output.map) await writeFile(`${target}.map`, output.map);
        count++;
      })(),
    );
  }
}
await Promise.all(jobs);
console.error(`build: ${count} files to dist/ in ${Date.now() - started} ms`);
