import { AuthApiTestContext, createClient, startAuthApi } from '../../testing/auth-api-test-app';
import { RefreshTokenService, type RotationAnswer } from '../refresh-token.service';

/**
 * A rotation whose answer could not be completed (its access token failed to reach Redis) is undone —
 * unless a retry of the same refresh token was handed that answer meanwhile: the retry's holder keeps a
 * working successor. The undo is driven through the service (the instant between a failed Redis write
 * and its undo cannot be hit over HTTP); everything else is HTTP on real PostgreSQL and Redis.
 */
describe('refresh_token grant: undoing a rotation whose answer another retry already got', () => {
  let ctx: AuthApiTestContext;
  let refreshTokens: RefreshTokenService;

  beforeAll(async () => {
    ctx = await startAuthApi({ REFRESH_TOKEN_REUSE_GRACE_SECONDS: '30' });
    refreshTokens = ctx.app.service.app.get(RefreshTokenService);
    await createClient(ctx.app, {
      client_id: 'app',
      client_secret: 'app-secret',
      authorizedGrantTypes: ['password', 'refresh_token'],
      refreshTokenExpirationTimeout: 3600,
    });
  });
  afterAll(() => ctx.close());

  const token = (form: Record<string, string>) =>
    ctx.app.http().post('/auth/v3/oauth/token').auth('app', 'app-secret').type('form').send(form);
  const login = async () =>
    (await token({ grant_type: 'password', username: 'ops', password: 'ops' })).body.refresh_token as string;
  const refresh = (refreshToken: string) => token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  /** What the failed request would undo: the rotation that produced `successor`. */
  const undo = (presented: string, successor: string) =>
    refreshTokens.undoRotation(presented, { response: { refresh_token: successor } } as RotationAnswer);

  it('a retry answered before the undo keeps its successor working', async () => {
    const presented = await login();
    const first = await refresh(presented);
    expect(first.status).toBe(200);
    const retry = await refresh(presented);
    expect(retry.status).toBe(200);
    expect(retry.body.refresh_token).toBe(first.body.refresh_token);

    await undo(presented, first.body.refresh_token);
    const next = await refresh(retry.body.refresh_token);
    expect(next.status).toBe(200);
  });

  it('an undo before any retry gives the token back: the retry rotates anew', async () => {
    const presented = await login();
    const first = await refresh(presented);
    expect(first.status).toBe(200);

    await undo(presented, first.body.refresh_token);
    const retry = await refresh(presented);
    expect(retry.status).toBe(200);
    expect(retry.body.refresh_token).not.toBe(first.body.refresh_token);
    expect((await refresh(first.body.refresh_token)).status).toBe(400);
    expect((await refresh(retry.body.refresh_token)).status).toBe(200);
  });
});
