import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { USER_DIRECTORIES, type UserDirectory } from '@cxauth/domain';
import { LocalUserEntity } from '@cxauth/persistence';
import { OpsSecurityModule } from '@cxauth/platform';
import { ChangePasswordController } from './change-password.controller';
import { ChangePasswordService } from './change-password.service';
import { ContactCenterResolver } from './contact-center-resolver';
import { ContactCenterDirectories } from './directories/contact-center-directories.service';
import { ExternalUserDirectory } from './directories/external-user.directory';
import { LocalUserDirectory } from './directories/local-user.directory';
import { OpsUserDirectory } from './directories/ops-user.directory';
import { LocalUsersService } from './local-users.service';
import { OpsUsersController } from './ops-users.controller';
import { CryptoModule } from '../crypto/crypto.module';
import { SessionModule } from '../session/session.module';
import { PasswordHasher } from './password-hasher';
import { UserAuthenticationService } from './user-authentication.service';

/**
 * Users: the directories (ops user, local PostgreSQL directory, each contact center's Configuration
 * Server or LDAP directory) behind USER_DIRECTORIES, password
 * authentication for the grants and sign-in, the ops users API and change-password (Bearer; needs the
 * global TokensModule for BearerTokenGuard and TokenService).
 */
@Module({
  imports: [TypeOrmModule.forFeature([LocalUserEntity]), OpsSecurityModule, CryptoModule, SessionModule],
  controllers: [OpsUsersController, ChangePasswordController],
  providers: [
    PasswordHasher,
    ContactCenterResolver,
    OpsUserDirectory,
    LocalUserDirectory,
    ContactCenterDirectories,
    ExternalUserDirectory,
    {
      provide: USER_DIRECTORIES,
      useFactory: (
        ops: OpsUserDirectory,
        local: LocalUserDirectory,
        external: ExternalUserDirectory,
      ): UserDirectory[] => [ops, local, external],
      inject: [OpsUserDirectory, LocalUserDirectory, ExternalUserDirectory],
    },
    UserAuthenticationService,
    LocalUsersService,
    ChangePasswordService,
  ],
  exports: [
    UserAuthenticationService,
    USER_DIRECTORIES,
    LocalUserDirectory,
    ExternalUserDirectory,
    PasswordHasher,
    ContactCenterResolver,
  ],
})
export class UsersModule {}
