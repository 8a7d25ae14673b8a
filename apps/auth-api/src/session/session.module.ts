import { Module } from '@nestjs/common';
import { PingController } from './ping.controller';
import { SessionService } from './session.service';

/** Browser sessions; SessionService is exported for sign-in and for the sign-out route. */
@Module({
  controllers: [PingController],
  providers: [SessionService],
  exports: [SessionService],
})
export class SessionModule {}
