import { AuditEventEntity } from './audit-event.entity';
import { LocalUserEntity } from './local-user.entity';
import { OAuthClientEntity } from './oauth-client.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { SigningKeyEntity } from './signing-key.entity';

export { AuditEventEntity, LocalUserEntity, OAuthClientEntity, RefreshTokenEntity, SigningKeyEntity };
export { SIGNING_KEY_SEAL } from './signing-key.entity';

/** Tables owned by auth-api. */
export const AUTH_ENTITIES = [
  OAuthClientEntity,
  SigningKeyEntity,
  RefreshTokenEntity,
  LocalUserEntity,
  AuditEventEntity,
];
