import { Module } from '@nestjs/common';
import { ClientAuthModule } from '../client-auth/client-auth.module';
import { IntrospectionController } from './introspection.controller';

@Module({ imports: [ClientAuthModule], providers: [IntrospectionController] })
export class IntrospectionModule {}
