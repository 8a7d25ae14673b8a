import { Module } from '@nestjs/common';
import { SessionModule } from '../session/session.module';
import { SignOutController } from './sign-out.controller';

@Module({ imports: [SessionModule], controllers: [SignOutController] })
export class SignOutModule {}
