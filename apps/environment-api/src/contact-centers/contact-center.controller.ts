import { ApiTags } from '@nestjs/swagger';
import { Audited, resourceId } from '@cxauth/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { Envelope, ok, okData, okPath } from '@cxauth/domain';
import { ZodValidationPipe, ApiZodBody } from '@cxauth/platform';
import { ApiEnvironmentOperation } from '../common/openapi';
import { UuidParam } from '../common/schemas';
import { CallerTenants, reaches } from '../security/caller-tenants';
import { type EnvironmentPrincipal, Principal } from '../security/principal';
import { ReadsContactCenter, WritesTo } from '../security/tenant-scope.guard';
import { ContactCenterService, ContactCenterView, SettingView } from './contact-center.service';
import {
  CreateContactCenterRequest,
  createContactCenterSchema,
  UpdateContactCenterRequest,
  updateContactCenterSchema,
  UpsertSettingRequest,
  upsertSettingSchema,
} from './dto/contact-center.dto';

@ApiTags('Contact centers')
@Controller('contact-centers')
export class ContactCenterController {
  constructor(
    private readonly contactCenters: ContactCenterService,
    private readonly tenants: CallerTenants,
  ) {}

  @Get()
  @ApiEnvironmentOperation('List the contact centers the caller reaches (every one for the operator)')
  async list(@Principal() principal: EnvironmentPrincipal): Promise<Envelope<ContactCenterView[]>> {
    const [all, reach] = await Promise.all([this.contactCenters.list(), this.tenants.reach(principal)]);
    return okData(all.filter((contactCenter) => reaches(reach, contactCenter.id)));
  }

  @Get(':id')
  @ReadsContactCenter()
  @ApiEnvironmentOperation('Get one contact center')
  async get(@Param('id', UuidParam) id: string): Promise<Envelope<ContactCenterView>> {
    return okData(await this.contactCenters.get(id));
  }

  @Post()
  @WritesTo('global')
  @HttpCode(200)
  @Audited('contact_center_created', resourceId)
  @ApiEnvironmentOperation('Create a contact center (a domain belongs to one contact center)')
  @ApiZodBody(createContactCenterSchema)
  async create(
    @Body(new ZodValidationPipe(createContactCenterSchema)) body: CreateContactCenterRequest,
  ): Promise<Envelope> {
    return okPath(`/contact-centers/${await this.contactCenters.create(body)}`);
  }

  @Put(':id')
  @WritesTo('contact-center')
  @Audited('contact_center_updated', resourceId)
  @ApiEnvironmentOperation('Update a contact center (partial; domains replaces the set)')
  @ApiZodBody(updateContactCenterSchema)
  async update(
    @Param('id', UuidParam) id: string,
    @Body(new ZodValidationPipe(updateContactCenterSchema)) body: UpdateContactCenterRequest,
  ): Promise<Envelope> {
    await this.contactCenters.update(id, body);
    return okPath(`/contact-centers/${id}`);
  }

  @Delete(':id')
  @WritesTo('contact-center')
  @Audited('contact_center_deleted', resourceId)
  @ApiEnvironmentOperation('Delete a contact center with its domains, settings and CORS origins')
  async remove(@Param('id', UuidParam) id: string): Promise<Envelope> {
    await this.contactCenters.remove(id);
    return ok();
  }

  @Get(':id/settings')
  @ReadsContactCenter()
  @ApiEnvironmentOperation('List the settings of a contact center (data.settings)')
  async settings(@Param('id', UuidParam) id: string): Promise<Envelope<{ settings: SettingView[] }>> {
    return okData(await this.contactCenters.settings(id));
  }

  @Post(':id/settings')
  @WritesTo('contact-center')
  @HttpCode(200)
  @Audited('contact_center_setting_changed', resourceId)
  @ApiEnvironmentOperation('Add or replace a setting by name and location (cors-origins: the older CORS mechanism)')
  @ApiZodBody(upsertSettingSchema)
  async upsertSetting(
    @Param('id', UuidParam) id: string,
    @Body(new ZodValidationPipe(upsertSettingSchema)) body: UpsertSettingRequest,
  ): Promise<Envelope<SettingView>> {
    return okData(await this.contactCenters.upsertSetting(id, body));
  }
}
