import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OAuthClientEntity } from '@cxauth/persistence';
import { OpsSecurityModule } from '@cxauth/platform';
import { CryptoModule } from '../crypto/crypto.module';
import { ClientRegistry } from './client-registry.service';
import { ClientController } from './client.controller';
import { ClientSecretPolicy } from './client-secret.policy';
import { ClientService } from './client.service';

/** Global: the browser flow and the token endpoint inject ClientRegistry. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OAuthClientEntity]), OpsSecurityModule, CryptoModule],
  controllers: [ClientController],
  providers: [ClientRegistry, ClientService, ClientSecretPolicy],
  exports: [ClientRegistry],
})
export class ClientsModule {}
