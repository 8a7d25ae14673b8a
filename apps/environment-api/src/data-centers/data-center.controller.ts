import { WritableInReadOnlyRegion } from '@cxauth/persistence';
import { ApiTags } from '@nestjs/swagger';
import { Audited, resourceId } from '@cxauth/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { Envelope, ok, okData, okPath } from '@cxauth/domain';
import { ZodValidationPipe, ApiZodBody } from '@cxauth/platform';
import { ApiEnvironmentOperation } from '../common/openapi';
import { UuidParam } from '../common/schemas';
import { OpsBasicOnly } from '../security/principal';
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
@ApiTags('Data centers')
@Controller('data-centers')
export class DataCenterController {
  constructor(private readonly dataCenters: DataCenterService) {}

  @Get()
  @ApiEnvironmentOperation('List data centers (regions)')
  async list(): Promise<Envelope<DataCenterView[]>> {
    return okData(await this.dataCenters.list());
  }

  @Get(':id')
  @ApiEnvironmentOperation('Get one data center')
  async get(@Param('id', UuidParam) id: string): Promise<Envelope<DataCenterView>> {
    return okData(await this.dataCenters.get(id));
  }

  @Post()
  @HttpCode(200)
  @OpsBasicOnly()
  @WritableInReadOnlyRegion()
  @Audited('data_center_created', resourceId)
  @ApiEnvironmentOperation('Add a data center (ops Basic only)', { opsOnly: true })
  @ApiZodBody(createDataCenterSchema)
  async create(@Body(new ZodValidationPipe(createDataCenterSchema)) body: CreateDataCenterRequest): Promise<Envelope> {
    return okPath(`/data-centers/${await this.dataCenters.create(body)}`);
  }

  @Put(':id')
  @OpsBasicOnly()
  @WritableInReadOnlyRegion()
  @Audited('data_center_updated', resourceId)
  @ApiEnvironmentOperation('Update a data center (ops Basic only; allowed in a read-only region)', { opsOnly: true })
  @ApiZodBody(updateDataCenterSchema)
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
  @Audited('data_center_deleted', resourceId)
  @ApiEnvironmentOperation('Delete a data center (ops Basic only)', { opsOnly: true })
  async remove(@Param('id', UuidParam) id: string): Promise<Envelope> {
    await this.dataCenters.remove(id);
    return ok();
  }
}
