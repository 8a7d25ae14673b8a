import { Module } from '@nestjs/common';
import { CorsRuntime } from './cors-runtime.service';

/**
 * CORS from the configured origins (cors-origins settings and the /cors API) for services with the
 * database: needs ConfigModule (CorsConfig, REDIS_KEY_PREFIX), DatabaseModule and RedisModule. Register
 * the policy on Fastify with `registerCors(fastify, app.get(CorsRuntime).policy)`.
 */
@Module({ providers: [CorsRuntime], exports: [CorsRuntime] })
export class DatabaseCorsModule {}
