import { Module } from '@nestjs/common';
import { UserInfoController } from './userinfo.controller';

@Module({ providers: [UserInfoController] })
export class UserInfoModule {}
