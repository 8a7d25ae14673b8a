import { Module } from '@nestjs/common';
import { UserInfoController } from './userinfo.controller';

@Module({ controllers: [UserInfoController] })
export class UserInfoModule {}
