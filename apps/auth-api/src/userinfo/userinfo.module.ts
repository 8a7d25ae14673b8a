import { Module } from '@nestjs/common';
import { UserInfoEndpoint } from './userinfo.endpoint';

@Module({ providers: [UserInfoEndpoint] })
export class UserInfoModule {}
