import { Global, Module } from '@nestjs/common';
import { AuthMetrics } from './auth-metrics';

/** Global: the token, validation, sign-in and key code paths count into AuthMetrics. */
@Global()
@Module({ providers: [AuthMetrics], exports: [AuthMetrics] })
export class AuthMetricsModule {}
