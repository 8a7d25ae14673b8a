import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { okData, parseTenantUserName } from '@cxauth/domain';
import { ZodValidationPipe } from '@cxauth/platform';
import { IdentityProviderRegistry } from '../sso/identity-provider.registry';
import { authSchemeRequestSchema } from './sign-in.form';

/**
 * POST /auth/v3/auth-scheme: `saml` when the user's contact center signs in through an identity
 * provider (the product's pages know only `saml` and `basic` and send `saml` tenants to single
 * sign-on), with `protocol` naming the provider's (`oidc`, `saml`); otherwise `basic` (also for
 * unknown tenants, so the answer does not reveal which tenants exist).
 */
@ApiTags('Browser sign-in')
@Controller('auth-scheme')
export class AuthSchemeController {
  constructor(private readonly identityProviders: IdentityProviderRegistry) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign-in scheme of a user/tenant: {"data":{"scheme":"saml"|"basic"[,"protocol":"oidc"|"saml"]}}',
  })
  @Header('cache-control', 'no-store')
  async scheme(
    @Body(new ZodValidationPipe(authSchemeRequestSchema)) body: { data: { userName: string; tenant?: string } },
  ) {
    const { tenant } = parseTenantUserName(body.data.userName, body.data.tenant);
    const provider = tenant ? await this.identityProviders.forDomain(tenant) : null;
    return okData(provider ? { scheme: 'saml', protocol: provider.type } : { scheme: 'basic' });
  }
}
