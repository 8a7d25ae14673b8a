import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { Envelope, ok, okData } from '@cxauth/domain';
import { OpsBasicAuthGuard, ZodValidationPipe } from '@cxauth/platform';
import { ClientService } from './client.service';
import { createClientSchema, CreateClientRequest, updateClientSchema, UpdateClientRequest } from './dto/client.dto';

/** `/auth/v3/ops/clients`: OAuth client management with the ops Basic credentials. */
@Controller('ops/clients')
@UseGuards(OpsBasicAuthGuard)
export class ClientController {
  constructor(private readonly clients: ClientService) {}

  @Get()
  async list(): Promise<Envelope> {
    return okData(await this.clients.list());
  }

  @Get(':clientId')
  async get(@Param('clientId') clientId: string): Promise<Envelope> {
    return okData(await this.clients.get(clientId));
  }

  @Post()
  @HttpCode(200)
  async create(
    @Body(new ZodValidationPipe(createClientSchema)) body: { data: CreateClientRequest },
  ): Promise<Envelope> {
    return okData(await this.clients.create(body.data));
  }

  @Put(':clientId')
  async update(
    @Param('clientId') clientId: string,
    @Body(new ZodValidationPipe(updateClientSchema)) body: { data: UpdateClientRequest },
  ): Promise<Envelope> {
    return okData(await this.clients.update(clientId, body.data));
  }

  @Delete(':clientId')
  async delete(@Param('clientId') clientId: string): Promise<Envelope> {
    await this.clients.delete(clientId);
    return ok();
  }
}
