import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import { Envelope, ok, okData } from '@cxauth/domain';
import { OpsBasicAuthGuard, ZodValidationPipe } from '@cxauth/platform';
import {
  createUserSchema,
  CreateUserRequest,
  listUsersQuerySchema,
  ListUsersQuery,
  updateUserSchema,
  UpdateUserRequest,
} from './dto/user.dto';
import { LocalUsersService } from './local-users.service';

/** `/auth/v3/ops/users`: the local user directory, managed with the ops Basic credentials. */
@Controller('ops/users')
@UseGuards(OpsBasicAuthGuard)
export class OpsUsersController {
  constructor(private readonly users: LocalUsersService) {}

  @Get()
  async list(@Query(new ZodValidationPipe(listUsersQuerySchema)) query: ListUsersQuery): Promise<Envelope> {
    return okData(await this.users.list(query));
  }

  @Get(':id')
  async get(@Param('id') id: string): Promise<Envelope> {
    return okData(await this.users.get(id));
  }

  @Post()
  @HttpCode(200)
  async create(@Body(new ZodValidationPipe(createUserSchema)) body: { data: CreateUserRequest }): Promise<Envelope> {
    return okData(await this.users.create(body.data));
  }

  @Put(':id')
  async update(
    @Param('id') id: string,
    @Body(new ZodValidationPipe(updateUserSchema)) body: { data: UpdateUserRequest },
  ): Promise<Envelope> {
    return okData(await this.users.update(id, body.data));
  }

  @Delete(':id')
  async delete(@Param('id') id: string): Promise<Envelope> {
    await this.users.delete(id);
    return ok();
  }
}
