import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Envelope, ok } from '@cxauth/domain';
import { ReadOnlyRegionGuard } from '@cxauth/persistence';
import { ZodValidationPipe, ApiZodBody } from '@cxauth/platform';
import { BearerRequest, BearerTokenGuard } from '../tokens/bearer-token.guard';
import { ChangePasswordService } from './change-password.service';
import { ChangePasswordRequest, changePasswordSchema } from './dto/user.dto';
import { ApiChangePasswordOperation } from './openapi';

/**
 * `POST /auth/v3/change-password` (Bearer): `{"data":{"oldPassword","newPassword","userName"?}}`.
 * Refused in a read-only region (403, code 10 READ_ONLY_REGION; FORCE_WRITABLE overrides).
 */
@ApiTags('Users')
@Controller()
export class ChangePasswordController {
  constructor(private readonly service: ChangePasswordService) {}

  @Post('change-password')
  @HttpCode(200)
  @UseGuards(BearerTokenGuard, ReadOnlyRegionGuard)
  @ApiChangePasswordOperation()
  @ApiZodBody(changePasswordSchema)
  async changePassword(
    @Req() request: BearerRequest,
    @Body(new ZodValidationPipe(changePasswordSchema)) body: { data: ChangePasswordRequest },
  ): Promise<Envelope> {
    await this.service.changePassword(request.principal, body.data, request);
    return ok();
  }
}
