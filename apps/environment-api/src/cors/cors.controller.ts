import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Envelope, ok, okData, okPath } from '@cxauth/domain';
import { ZodValidationPipe } from '@cxauth/platform';
import { UuidParam } from '../common/schemas';
import { CorsService, CorsView } from './cors.service';
import { CorsOriginRequest, corsOriginSchema } from './dto/cors-origin.dto';

/** The newer per-origin CORS API. */
@Controller('cors')
export class CorsController {
  constructor(private readonly cors: CorsService) {}

  @Get()
  async get(): Promise<Envelope<CorsView>> {
    return okData(await this.cors.view());
  }

  @Post()
  @HttpCode(200)
  async add(@Body(new ZodValidationPipe(corsOriginSchema)) body: CorsOriginRequest): Promise<Envelope> {
    return okPath(`/cors/${await this.cors.add(body)}`);
  }

  /** `{"data":{"contactCenterId","origin"}}`: removes that origin. */
  @Delete()
  async remove(@Body(new ZodValidationPipe(corsOriginSchema)) body: CorsOriginRequest): Promise<Envelope> {
    await this.cors.remove(body);
    return ok();
  }

  @Delete(':id')
  async removeById(@Param('id', UuidParam) id: string): Promise<Envelope> {
    await this.cors.removeById(id);
    return ok();
  }
}
