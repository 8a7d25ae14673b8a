import { ApiTags } from '@nestjs/swagger';
import { answerField, Audited, resourceId } from '@cxauth/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Envelope, ok, okData, okPath } from '@cxauth/domain';
import { ZodValidationPipe, ApiZodBody } from '@cxauth/platform';
import { ApiEnvironmentOperation } from '../common/openapi';
import { UuidParam } from '../common/schemas';
import { OpsOnly } from '../security/principal';
import { CorsService, CorsView } from './cors.service';
import { CorsOriginRequest, corsOriginSchema } from './dto/cors-origin.dto';

/** The newer per-origin CORS API. Writes change the global allow-list: the operator's only (`@OpsOnly`). */
@ApiTags('CORS')
@Controller('cors')
export class CorsController {
  constructor(private readonly cors: CorsService) {}

  @Get()
  @ApiEnvironmentOperation("Effective allowed origins for this location, the default, and this API's entries")
  async get(): Promise<Envelope<CorsView>> {
    return okData(await this.cors.view());
  }

  @Post()
  @OpsOnly()
  @HttpCode(200)
  @Audited('cors_origin_added', answerField('origin'))
  @ApiEnvironmentOperation('Allow one origin for a contact center')
  @ApiZodBody(corsOriginSchema)
  async add(@Body(new ZodValidationPipe(corsOriginSchema)) body: CorsOriginRequest): Promise<Envelope> {
    return okPath(`/cors/${await this.cors.add(body)}`);
  }

  /** `{"data":{"contactCenterId","origin"}}`: removes that origin. */
  @Delete()
  @OpsOnly()
  @Audited('cors_origin_removed', answerField('origin'))
  @ApiEnvironmentOperation('Remove one origin (body: contactCenterId, origin)')
  @ApiZodBody(corsOriginSchema)
  async remove(@Body(new ZodValidationPipe(corsOriginSchema)) body: CorsOriginRequest): Promise<Envelope> {
    await this.cors.remove(body);
    return ok();
  }

  @Delete(':id')
  @OpsOnly()
  @Audited('cors_origin_removed', resourceId)
  @ApiEnvironmentOperation('Remove one origin entry by id')
  async removeById(@Param('id', UuidParam) id: string): Promise<Envelope> {
    await this.cors.removeById(id);
    return ok();
  }
}
