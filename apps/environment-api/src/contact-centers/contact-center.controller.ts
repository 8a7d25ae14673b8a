import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { Envelope, ok, okData, okPath } from '@cxauth/domain';
import { ZodValidationPipe } from '@cxauth/platform';
import { UuidParam } from '../common/schemas';
import { ContactCenterService, ContactCenterView, SettingView } from './contact-center.service';
import {
  CreateContactCenterRequest,
  createContactCenterSchema,
  UpdateContactCenterRequest,
  updateContactCenterSchema,
  UpsertSettingRequest,
  upsertSettingSchema,
} from './dto/contact-center.dto';

@Controller('contact-centers')
export class ContactCenterController {
  constructor(private readonly contactCenters: ContactCenterService) {}

  @Get()
  async list(): Promise<Envelope<ContactCenterView[]>> {
    return okData(await this.contactCenters.list());
  }

  @Get(':id')
  async get(@Param('id', UuidParam) id: string): Promise<Envelope<ContactCenterView>> {
    return okData(await this.contactCenters.get(id));
  }

  @Post()
  @HttpCode(200)
  async create(
    @Body(new ZodValidationPipe(createContactCenterSchema)) body: CreateContactCenterRequest,
  ): Promise<Envelope> {
    return okPath(`/contact-centers/${await this.contactCenters.create(body)}`);
  }

  @Put(':id')
  async update(
    @Param('id', UuidParam) id: string,
    @Body(new ZodValidationPipe(updateContactCenterSchema)) body: UpdateContactCenterRequest,
  ): Promise<Envelope> {
    await this.contactCenters.update(id, body);
    return okPath(`/contact-centers/${id}`);
  }

  @Delete(':id')
  async remove(@Param('id', UuidParam) id: string): Promise<Envelope> {
    await this.contactCenters.remove(id);
    return ok();
  }

  @Get(':id/settings')
  async settings(@Param('id', UuidParam) id: string): Promise<Envelope<{ settings: SettingView[] }>> {
    return okData(await this.contactCenters.settings(id));
  }

  @Post(':id/settings')
  @HttpCode(200)
  async upsertSetting(
    @Param('id', UuidParam) id: string,
    @Body(new ZodValidationPipe(upsertSettingSchema)) body: UpsertSettingRequest,
  ): Promise<Envelope<SettingView>> {
    return okData(await this.contactCenters.upsertSetting(id, body));
  }
}
