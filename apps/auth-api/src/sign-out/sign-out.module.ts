import { Module } from '@nestjs/common';
import { SessionModule } from '../session/session.module';
import { SsoModule } from '../sso/sso.module';
import { SignOutController } from './sign-out.controller';

@Module({ imports: [SessionModule, SsoModule], controllers: [SignOutController] })
export class SignOutModule {}
