export * from './entities';
export * from './migrations';
export * from './data-source-options';
export * from './database.module';
export * from './migrate';
export * from './cors/cors-runtime.service';
export * from './cors/database-cors.module';
export * from './read-only-region/read-only-region.guard';
