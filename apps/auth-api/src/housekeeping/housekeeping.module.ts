import { Module } from '@nestjs/common';
import { Housekeeping } from './housekeeping.service';

/** Background jobs (purges, scheduled signing-key rotation); KeyRing comes from the global TokensModule. */
@Module({ providers: [Housekeeping], exports: [Housekeeping] })
export class HousekeepingModule {}
