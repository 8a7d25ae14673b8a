import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { Envelope, ok, okData, okPath } from '@cxauth/domain';
import { ZodValidationPipe } from '@cxauth/platform';
import { UuidParam } from '../common/schemas';
import {
  CreateEnvironmentRequest,
  createEnvironmentSchema,
  UpdateEnvironmentRequest,
  updateEnvironmentSchema,
} from './dto/environment.dto';
import { EnvironmentService, EnvironmentView } from './environment.service';

@Controller('environments')
export class EnvironmentController {
  constructor(private readonly environments: EnvironmentService) {}

  @Get()
  async list(): Promise<Envelope<EnvironmentView[]>> {
    return okData(await this.environments.list());
  }

  @Get(':id')
  async get(@Param('id', UuidParam) id: string): Promise<Envelope<EnvironmentView>> {
    return okData(await this.environments.get(id));
  }

  @Post()
  @HttpCode(200)
  async create(@Body(new ZodValidationPipe(createEnvironmentSchema)) body: CreateEnvironmentRequest): Promise<Envelope> {
    return okPath(`/environments/${await this.environments.create(body)}`);
  }

  @Put(':id')
  async update(
    @Param('id', UuidParam) id: string,
    @Body(new ZodValidationPipe(updateEnvironmentSchema)) body: UpdateEnvironmentRequest,
  ): Promise<Envelope> {
    await this.environments.update(id, body);
    return okPath(`/environments/${id}`);
  }

  @Delete(':id')
  async remove(@Param('id', UuidParam) id: string): Promise<Envelope> {
    await this.environments.remove(id);
    return ok();
  }
}
