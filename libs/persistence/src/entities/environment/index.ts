import { DataCenterEntity } from './data-center.entity';

export { DataCenterEntity };

/** Tables owned by environment-api. */
export const ENVIRONMENT_ENTITIES = [DataCenterEntity];
