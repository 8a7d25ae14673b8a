import { DataCenterEntity } from './data-center.entity';

export { DataCenterEntity };

/** Every table of the schema; the drift test compares these with the migrations. */
export const ENTITIES = [DataCenterEntity];
