import { ApiTags } from '@nestjs/swagger';
import { Audited, resourceId } from '@cxauth/platform';
import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { Envelope, ok, okData } from '@cxauth/domain';
import { ApiZodBody, ZodValidationPipe } from '@cxauth/platform';
import { ApiEnvironmentOperation } from '../common/openapi';
import { UuidParam } from '../common/schemas';
import { ReadsContactCenter, WritesTo } from '../security/tenant-scope.guard';
import { OpsOnly } from '../security/principal';
import { PutIdentityProviderRequest, putIdentityProviderSchema } from './dto/identity-provider.dto';
import { SamlMetadataUrlPipe } from './dto/saml-metadata-url.pipe';
import { IdentityProviderService, IdentityProviderView } from './identity-provider.service';

/**
 * A contact center's identity provider decides who signs in as any of its users: writes are the
 * operator's only (`@OpsOnly`: ops Basic or a ROLE_OPS token), reads show no secret.
 */
@ApiTags('Identity providers (SSO)')
@Controller('contact-centers/:id/identity-provider')
@WritesTo('contact-center')
@ReadsContactCenter()
export class IdentityProviderController {
  constructor(private readonly identityProviders: IdentityProviderService) {}

  @Get()
  @ApiEnvironmentOperation(
    "The contact center's single sign-on identity provider (the client secret is never returned)",
  )
  async get(@Param('id', UuidParam) id: string): Promise<Envelope<IdentityProviderView>> {
    return okData(await this.identityProviders.get(id));
  }

  @Put()
  @OpsOnly()
  @Audited('identity_provider_changed', resourceId)
  @ApiEnvironmentOperation('Create or replace the single sign-on identity provider (an omitted clientSecret is kept)')
  @ApiZodBody(putIdentityProviderSchema)
  async put(
    @Param('id', UuidParam) id: string,
    @Body(SamlMetadataUrlPipe, new ZodValidationPipe(putIdentityProviderSchema)) body: PutIdentityProviderRequest,
  ): Promise<Envelope<IdentityProviderView>> {
    return okData(await this.identityProviders.put(id, body));
  }

  @Delete()
  @OpsOnly()
  @Audited('identity_provider_deleted', resourceId)
  @ApiEnvironmentOperation('Remove the identity provider: the contact center signs in with passwords again')
  async remove(@Param('id', UuidParam) id: string): Promise<Envelope> {
    await this.identityProviders.remove(id);
    return ok();
  }
}
