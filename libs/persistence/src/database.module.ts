import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DatabaseConfig } from '@cxauth/platform';
import { dataSourceOptions } from './data-source-options';

/** TypeORM on Postgres for a service; the schema comes only from migrations. */
@Module({})
export class DatabaseModule {
  static forRoot(config: DatabaseConfig): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...dataSourceOptions(config), retryAttempts: 3, retryDelay: 1_000 }),
        }),
      ],
    };
  }
}
