import { Module } from '@nestjs/common';
import { ClientAuthModule } from '../client-auth/client-auth.module';
import { IntrospectionController } from './introspection.controller';

@Module({ imports: [ClientAuthModule], controllers: [IntrospectionController] })
export class IntrospectionModule {}
