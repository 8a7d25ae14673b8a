import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { Envelope, ok, okData, okPath } from '@cxauth/domain';
import { ZodValidationPipe } from '@cxauth/platform';
import { UuidParam } from '../common/schemas';
import { OpsBasicOnly } from '../security/principal';
import { WritableInReadOnlyRegion } from '../security/read-only-region.guard';
import { DataCenterService, DataCenterView } from './data-center.service';
import {
  CreateDataCenterRequest,
  createDataCenterSchema,
  UpdateDataCenterRequest,
  updateDataCenterSchema,
} from './dto/data-center.dto';

/**
 * The deployment's region map. Reads: any caller of this API; writes: the ops credentials (Basic)
 * only, and they stay possible in a read-only region so a region can be promoted.
 */
@Controller('data-centers')
export class DataCenterController {
  constructor(private readonly dataCenters: DataCenterService) {}

  @Get()
  async list(): Promise<Envelope<DataCenterView[]>> {
    return okData(await this.dataCenters.list());
  }

  @Get(':id')
  async get(@Param('id', UuidParam) id: string): Promise<Envelope<DataCenterView>> {
    return okData(await this.dataCenters.get(id));
  }

  @Post()
  @HttpCode(200)
  @OpsBasicOnly()
  @WritableInReadOnlyRegion()
  async create(@Body(new ZodValidationPipe(createDataCenterSchema)) body: CreateDataCenterRequest): Promise<Envelope> {
    return okPath(`/data-centers/${await this.dataCenters.create(body)}`);
  }

  @Put(':id')
  @OpsBasicOnly()
  @WritableInReadOnlyRegion()
  async update(
    @Param('id', UuidParam) id: string,
    @Body(new ZodValidationPipe(updateDataCenterSchema)) body: UpdateDataCenterRequest,
  ): Promise<Envelope> {
    await this.dataCenters.update(id, body);
    return okPath(`/data-centers/${id}`);
  }

  @Delete(':id')
  @OpsBasicOnly()
  @WritableInReadOnlyRegion()
  async remove(@Param('id', UuidParam) id: string): Promise<Envelope> {
    await this.dataCenters.remove(id);
    return ok();
  }
}
