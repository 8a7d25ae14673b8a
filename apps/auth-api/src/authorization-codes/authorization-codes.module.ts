import { Global, Module } from '@nestjs/common';
import { AUTHORIZATION_CODE_STORE } from '@cxauth/domain';
import { RedisAuthorizationCodeStore } from './redis-authorization-code.store';

/** Provides AUTHORIZATION_CODE_STORE (Redis): the browser flow issues codes, the token endpoint redeems them. */
@Global()
@Module({
  providers: [{ provide: AUTHORIZATION_CODE_STORE, useClass: RedisAuthorizationCodeStore }],
  exports: [AUTHORIZATION_CODE_STORE],
})
export class AuthorizationCodesModule {}
