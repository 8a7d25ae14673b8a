import { ApiTags } from '@nestjs/swagger';
import { Audited, resourceId } from '@cxauth/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { Envelope, ok, okData, okPath } from '@cxauth/domain';
import { ZodValidationPipe, ApiZodBody } from '@cxauth/platform';
import { ApiEnvironmentOperation } from '../common/openapi';
import { UuidParam } from '../common/schemas';
import { WritesTo } from '../security/tenant-scope.guard';
import {
  CreateEnvironmentRequest,
  createEnvironmentSchema,
  UpdateEnvironmentRequest,
  updateEnvironmentSchema,
} from './dto/environment.dto';
import { EnvironmentService, EnvironmentView } from './environment.service';

@ApiTags('Environments')
@Controller('environments')
@WritesTo('global')
export class EnvironmentController {
  constructor(private readonly environments: EnvironmentService) {}

  @Get()
  @ApiEnvironmentOperation('List environments (passwords are never returned)')
  async list(): Promise<Envelope<EnvironmentView[]>> {
    return okData(await this.environments.list());
  }

  @Get(':id')
  @ApiEnvironmentOperation('Get one environment')
  async get(@Param('id', UuidParam) id: string): Promise<Envelope<EnvironmentView>> {
    return okData(await this.environments.get(id));
  }

  @Post()
  @HttpCode(200)
  @Audited('environment_created', resourceId)
  @ApiEnvironmentOperation('Create an environment (caller may supply the id); answers its path')
  @ApiZodBody(createEnvironmentSchema)
  async create(
    @Body(new ZodValidationPipe(createEnvironmentSchema)) body: CreateEnvironmentRequest,
  ): Promise<Envelope> {
    return okPath(`/environments/${await this.environments.create(body)}`);
  }

  @Put(':id')
  @Audited('environment_updated', resourceId)
  @ApiEnvironmentOperation('Update an environment (partial; configServers replaces the list)')
  @ApiZodBody(updateEnvironmentSchema)
  async update(
    @Param('id', UuidParam) id: string,
    @Body(new ZodValidationPipe(updateEnvironmentSchema)) body: UpdateEnvironmentRequest,
  ): Promise<Envelope> {
    await this.environments.update(id, body);
    return okPath(`/environments/${id}`);
  }

  @Delete(':id')
  @Audited('environment_deleted', resourceId)
  @ApiEnvironmentOperation('Delete an environment (409 code 11 while a contact center uses it)')
  async remove(@Param('id', UuidParam) id: string): Promise<Envelope> {
    await this.environments.remove(id);
    return ok();
  }
}
