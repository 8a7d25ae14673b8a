import { Module } from '@nestjs/common';
import { SignOutController } from './sign-out.controller';

@Module({ controllers: [SignOutController] })
export class SignOutModule {}
