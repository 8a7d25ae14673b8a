import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type DatabaseConfig, ServiceMetrics } from '@cxauth/platform';
import { dataSourceOptions } from './data-source-options';
import { MetricsQueryLogger } from './metrics-query-logger';

/** TypeORM on Postgres for a service; the schema comes only from migrations. */
@Module({})
export class DatabaseModule {
  static forRoot(config: DatabaseConfig): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: (metrics?: ServiceMetrics) => ({
            ...dataSourceOptions(config),
            ...(metrics && { logger: new MetricsQueryLogger(metrics) }),
            retryAttempts: 3,
            retryDelay: 1_000,
          }),
          inject: [{ token: ServiceMetrics, optional: true }],
        }),
      ],
    };
  }
}
