import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { BrowserSignOut } from './browser-sign-out.service';
import { PingController } from './ping.controller';
import { SessionService } from './session.service';

/**
 * Browser sessions. SessionService is exported for sign-in; BrowserSignOut for the sign-out route
 * (owned by the sign-out feature), which ends the cookie session through it.
 */
@Module({
  imports: [ClientsModule],
  controllers: [PingController],
  providers: [SessionService, BrowserSignOut],
  exports: [SessionService, BrowserSignOut],
})
export class SessionModule {}
