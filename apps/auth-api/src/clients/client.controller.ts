import { ReadOnlyRegionGuard } from '@cxauth/persistence';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { Envelope, ok, okData } from '@cxauth/domain';
import {
  OpsBasicAuthGuard,
  ZodValidationPipe,
  ApiOpsOperation,
  ApiZodBody,
  answerField,
  Audited,
  routeParam,
} from '@cxauth/platform';
import { ClientService } from './client.service';
import { createClientSchema, CreateClientRequest, updateClientSchema, UpdateClientRequest } from './dto/client.dto';
import { ApiTags } from '@nestjs/swagger';

/** `/auth/v3/ops/clients`: OAuth client management with the ops Basic credentials. */
@ApiTags('Ops clients')
@Controller('ops/clients')
@UseGuards(OpsBasicAuthGuard, ReadOnlyRegionGuard)
export class ClientController {
  constructor(private readonly clients: ClientService) {}

  @Get()
  @ApiOpsOperation('List OAuth clients (never secrets)')
  async list(): Promise<Envelope> {
    return okData(await this.clients.list());
  }

  @Get(':clientId')
  @ApiOpsOperation('Get one OAuth client', { 404: 'Unknown client (code 5)' })
  async get(@Param('clientId') clientId: string): Promise<Envelope> {
    return okData(await this.clients.get(clientId));
  }

  @Post()
  @HttpCode(200)
  @ApiOpsOperation('Create an OAuth client (the answer carries client_secret once)', {
    409: 'Duplicate client_id (code 6)',
    413: 'Body too large (code 7)',
  })
  @ApiZodBody(createClientSchema)
  @Audited('client_created', answerField('client_id'))
  async create(
    @Body(new ZodValidationPipe(createClientSchema)) body: { data: CreateClientRequest },
  ): Promise<Envelope> {
    return okData(await this.clients.create(body.data));
  }

  @Put(':clientId')
  @ApiOpsOperation('Update an OAuth client (partial)', { 404: 'Unknown client (code 5)' })
  @ApiZodBody(updateClientSchema)
  @Audited('client_updated', routeParam('clientId'))
  async update(
    @Param('clientId') clientId: string,
    @Body(new ZodValidationPipe(updateClientSchema)) body: { data: UpdateClientRequest },
  ): Promise<Envelope> {
    return okData(await this.clients.update(clientId, body.data));
  }

  @Delete(':clientId')
  @ApiOpsOperation('Delete an OAuth client', { 404: 'Unknown client (code 5)' })
  @Audited('client_deleted', routeParam('clientId'))
  async delete(@Param('clientId') clientId: string): Promise<Envelope> {
    await this.clients.delete(clientId);
    return ok();
  }
}
