import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const PGLITE_ROOT = join(dirname(require.resolve('@electric-sql/pglite')), '..');

/**
 * A freshly initialised cluster (initdb's output, as a gzipped tarball), kept once per machine and
 * PGlite version in `node_modules/.cache/cxauth/`. initdb takes several seconds; unpacking the
 * template takes a fraction of that, so only the first data folder ever made on a machine pays it
 * (`npm install` makes the template ahead: prepare-pglite-template.ts).
 */
export function pgliteTemplatePath(): string {
  const { version } = JSON.parse(readFileSync(join(PGLITE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return join(PGLITE_ROOT, '..', '..', '.cache', 'cxauth', `pglite-${version}.tar.gz`);
}

/** Creates the template unless it exists; returns its path. */
export async function ensurePgliteTemplate(): Promise<string> {
  const path = pgliteTemplatePath();
  if (existsSync(path)) return path;
  const db = await PGlite.create();
  const tarball = Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer());
  await db.close();
  mkdirSync(dirname(path), { recursive: true });
  // Written aside and renamed, so a concurrent start never reads half a file.
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, tarball);
  renameSync(partial, path);
  return path;
}
