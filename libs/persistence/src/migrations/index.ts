import { CreateDataCenter1795440483874 } from './1795440483874-create-data-center';

/** Explicit, ordered list (no globs): what `migrate` runs and what bundles into the image. */
export const MIGRATIONS = [CreateDataCenter1795440483874];
