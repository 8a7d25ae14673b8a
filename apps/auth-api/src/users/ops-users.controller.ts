import { ReadOnlyRegionGuard } from '@cxauth/persistence';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
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
@ApiTags('Ops users')
@Controller('ops/users')
@UseGuards(OpsBasicAuthGuard, ReadOnlyRegionGuard)
export class OpsUsersController {
  constructor(private readonly users: LocalUsersService) {}

  @Get()
  @ApiOpsOperation('List local users (filter by contactCenterId, username; limit/offset)')
  async list(@Query(new ZodValidationPipe(listUsersQuerySchema)) query: ListUsersQuery): Promise<Envelope> {
    return okData(await this.users.list(query));
  }

  @Get(':id')
  @ApiOpsOperation('Get one local user', { 404: 'Unknown user (code 5)' })
  async get(@Param('id') id: string): Promise<Envelope> {
    return okData(await this.users.get(id));
  }

  @Post()
  @HttpCode(200)
  @ApiOpsOperation('Create a local user (password hashed with argon2id)', {
    409: 'The user name is taken in that contact center (code 6)',
  })
  @ApiZodBody(createUserSchema)
  @Audited('user_created', answerField('id'))
  async create(@Body(new ZodValidationPipe(createUserSchema)) body: { data: CreateUserRequest }): Promise<Envelope> {
    return okData(await this.users.create(body.data));
  }

  @Put(':id')
  @ApiOpsOperation('Update a local user (partial; a password is re-hashed)', {
    404: 'Unknown user (code 5)',
    409: 'The new user name is taken (code 6)',
  })
  @ApiZodBody(updateUserSchema)
  @Audited('user_updated', routeParam('id'))
  async update(
    @Param('id') id: string,
    @Body(new ZodValidationPipe(updateUserSchema)) body: { data: UpdateUserRequest },
  ): Promise<Envelope> {
    return okData(await this.users.update(id, body.data));
  }

  @Delete(':id')
  @ApiOpsOperation('Delete a local user', { 404: 'Unknown user (code 5)' })
  @Audited('user_deleted', routeParam('id'))
  async delete(@Param('id') id: string): Promise<Envelope> {
    await this.users.delete(id);
    return ok();
  }
}
