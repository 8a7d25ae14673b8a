import { OAuthClientEntity } from './oauth-client.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { SigningKeyEntity } from './signing-key.entity';

export { OAuthClientEntity, RefreshTokenEntity, SigningKeyEntity };

/** Tables owned by auth-api. */
export const AUTH_ENTITIES: Function[] = [OAuthClientEntity, SigningKeyEntity, RefreshTokenEntity];
