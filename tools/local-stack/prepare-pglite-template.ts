/**
 * Run by `npm install` (postinstall): makes the embedded database template ahead of the first
 * `npm start`, so that start unpacks a cluster instead of running initdb. Never fails the install:
 * without the template, the first start makes it.
 */
import { ensurePgliteTemplate } from './pglite-template';

ensurePgliteTemplate().then(
  (path) => process.stderr.write(`cxauth: embedded database template ready (${path})\n`),
  (error: unknown) =>
    process.stderr.write(`cxauth: no embedded database template (${String(error)}); the first npm start makes it\n`),
);
