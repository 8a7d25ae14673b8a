import { CreateDataCenter1795440483874 } from './1795440483874-create-data-center';
import { CreateEnvironmentRegistry1795440826841 } from './1795440826841-create-environment-registry';
import { CreateTokenService1795440838129 } from './1795440838129-create-token-service';
import { CreateLocalUser1795440859340 } from './1795440859340-create-local-user';
import { AddContactCenterDirectory1795500000000 } from './1795500000000-add-contact-center-directory';
import { AddClientTokenExchange1795610000000 } from './1795610000000-add-client-token-exchange';
import { AddIdentityProvider1796198446250 } from './1796198446250-add-identity-provider';
import { CreateAuditEvent1796199667064 } from './1796199667064-create-audit-event';
import { AddRefreshTokenSuccessor1796300000000 } from './1796300000000-add-refresh-token-successor';
import { AddRefreshTokenPurgeIndexes1796300000001 } from './1796300000001-add-refresh-token-purge-indexes';
import { AddClientRequirePkce1796400000000 } from './1796400000000-add-client-require-pkce';
import { AddIdentityProviderManagedBy1796510000000 } from './1796510000000-add-identity-provider-managed-by';
import { AddRefreshTokenReplayedAt1796520000000 } from './1796520000000-add-refresh-token-replayed-at';
import { AddLocalUserProvisionedBy1796600000000 } from './1796600000000-add-local-user-provisioned-by';

/** Explicit, ordered list (no globs): what `migrate` runs and what bundles into the image. */
export const MIGRATIONS = [
  CreateDataCenter1795440483874,
  CreateEnvironmentRegistry1795440826841,
  CreateTokenService1795440838129,
  CreateLocalUser1795440859340,
  AddContactCenterDirectory1795500000000,
  AddClientTokenExchange1795610000000,
  AddIdentityProvider1796198446250,
  CreateAuditEvent1796199667064,
  AddRefreshTokenSuccessor1796300000000,
  AddRefreshTokenPurgeIndexes1796300000001,
  AddClientRequirePkce1796400000000,
  AddIdentityProviderManagedBy1796510000000,
  AddRefreshTokenReplayedAt1796520000000,
  AddLocalUserProvisionedBy1796600000000,
];
