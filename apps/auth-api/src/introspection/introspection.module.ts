import { Module } from '@nestjs/common';
import { ClientAuthModule } from '../client-auth/client-auth.module';
import { IntrospectionEndpoint } from './introspection.endpoint';

@Module({ imports: [ClientAuthModule], providers: [IntrospectionEndpoint] })
export class IntrospectionModule {}
