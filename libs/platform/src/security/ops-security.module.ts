import { Module } from '@nestjs/common';
import { LOGIN_THROTTLE } from '@cxauth/domain';
import { OpsBasicAuthGuard } from './ops-basic-auth.guard';
import { OpsCredentials } from './ops-credentials';
import { RateLimiterLoginThrottle } from './rate-limiter-login-throttle';

const throttle = { provide: LOGIN_THROTTLE, useClass: RateLimiterLoginThrottle };

/**
 * The ops credential check, its guard and the brute-force throttle every credential check shares;
 * needs ConfigModule (ADMIN_*, LOGIN_*, REDIS_URL), RedisModule and ServiceMetrics.
 */
@Module({
  providers: [OpsCredentials, OpsBasicAuthGuard, throttle],
  exports: [OpsCredentials, OpsBasicAuthGuard, LOGIN_THROTTLE],
})
export class OpsSecurityModule {}
