import { DynamicModule, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import { type DatabaseConfig, SERVICE_LOGGER, ServiceMetrics } from '@cxauth/platform';
import { dataSourceOptions } from './data-source-options';
import { MetricsQueryLogger } from './metrics-query-logger';
import { PostgresCircuit } from './postgres-circuit';

/** TypeORM on Postgres for a service; the schema comes only from migrations. */
@Module({})
export class DatabaseModule {
  static forRoot(config: DatabaseConfig): DynamicModule {
    const circuits: PostgresCircuit[] = [];
    @Injectable()
    class CircuitShutdown implements OnApplicationShutdown {
      onApplicationShutdown(): void {
        for (const circuit of circuits) circuit.stop();
      }
    }
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: (metrics?: ServiceMetrics, logger?: Logger) => {
            const options = dataSourceOptions(config);
            // While PostgreSQL is unreachable, requests that need it are refused at once (postgres-circuit.ts).
            const circuit = new PostgresCircuit(logger);
            circuits.push(circuit);
            return {
              ...options,
              extra: { ...options.extra, Client: circuit.clientClass() },
              ...(metrics && { logger: new MetricsQueryLogger(metrics) }),
              retryAttempts: 3,
              retryDelay: 1_000,
            };
          },
          inject: [
            { token: ServiceMetrics, optional: true },
            { token: SERVICE_LOGGER, optional: true },
          ],
        }),
      ],
      providers: [CircuitShutdown],
    };
  }
}
