import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { okData, parseTenantUserName } from '@cxauth/domain';
import { ZodValidationPipe } from '@cxauth/platform';
import { ContactCenterResolver } from '../users/contact-center-resolver';
import { authSchemeRequestSchema } from './sign-in.form';

/**
 * POST /auth/v3/auth-scheme: `saml` when the user's contact center signs in through SAML, otherwise
 * `basic` (also for unknown tenants, so the answer does not reveal which tenants exist).
 */
@ApiTags('Browser sign-in')
@Controller('auth-scheme')
export class AuthSchemeController {
  constructor(private readonly contactCenters: ContactCenterResolver) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign-in scheme of a user/tenant: {"data":{"scheme":"saml"|"basic"}}' })
  @Header('cache-control', 'no-store')
  async scheme(
    @Body(new ZodValidationPipe(authSchemeRequestSchema)) body: { data: { userName: string; tenant?: string } },
  ) {
    const { tenant } = parseTenantUserName(body.data.userName, body.data.tenant);
    const contactCenter = tenant ? await this.contactCenters.byDomain(tenant) : null;
    return okData({ scheme: contactCenter?.auth === 'saml' ? 'saml' : 'basic' });
  }
}
