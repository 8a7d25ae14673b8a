import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { BrowserSignOut } from './browser-sign-out.service';
import { PingController } from './ping.controller';
import { SessionService } from './session.service';
import { UserSignOut } from './user-sign-out.service';

/**
 * Browser sessions. SessionService is exported for sign-in; BrowserSignOut for the sign-out route
 * (owned by the sign-out feature), which ends the cookie session through it; UserSignOut for every
 * feature that must end all of a user's sessions and tokens.
 */
@Module({
  imports: [ClientsModule],
  controllers: [PingController],
  providers: [SessionService, BrowserSignOut, UserSignOut],
  exports: [SessionService, BrowserSignOut, UserSignOut],
})
export class SessionModule {}
