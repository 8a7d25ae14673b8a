import { AUTH_ENTITIES } from './auth';
import { ENVIRONMENT_ENTITIES } from './environment';

export * from './auth';
export * from './environment';

/** Entities by owning service; `migration:generate -- <name> --group <group>` diffs one group. */
export const ENTITY_GROUPS = { auth: AUTH_ENTITIES, environment: ENVIRONMENT_ENTITIES };

/** Every table of the schema; the drift test compares these with the migrations. */
export const ENTITIES = [...AUTH_ENTITIES, ...ENVIRONMENT_ENTITIES];
