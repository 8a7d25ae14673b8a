import { createTestApp, TestApp } from '@cxauth/testing';
import { authUiConfigSchema } from '../../auth-ui.config';
import { authUiService } from '../../auth-ui.service';

// auth-ui on its own, with auth-api unreachable (port 9 is closed): pages that need no pending
// sign-in still work; those that need one answer 503 with a localized message, never a 500.
describe('auth-ui without auth-api', () => {
  let ui: TestApp;

  beforeAll(async () => {
    ui = await createTestApp(authUiConfigSchema, authUiService, {
      AUTH_API_URL: 'http://127.0.0.1:9',
      AUTH_API_TIMEOUT_MS: '500',
    });
  });

  afterAll(async () => {
    await ui?.close();
  });

  it('a pending sign-in page answers 503 with a localized message', async () => {
    const response = await ui
      .http()
      .get(`/ui/auth/sign-in.html?request=${'a'.repeat(43)}`)
      .set('accept-language', 'es');
    expect(response.status).toBe(503);
    expect(response.text).toContain('El servicio de inicio de sesión no está disponible.');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('signed-out, error and the asset routes work; unknown assets are 404', async () => {
    expect((await ui.http().get('/ui/auth/signed-out.html')).status).toBe(200);
    expect((await ui.http().get('/ui/auth/error.html')).status).toBe(200);
    expect((await ui.http().get('/ui/auth/assets/nope.js')).status).toBe(404);
  });

  it('a page without a reference starts the flow at auth-api; hideTenant and a valid locale are kept', async () => {
    const response = await ui.http().get('/ui/auth/change-password.html?locale=de-DE&hideTenant=true');
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('/auth/v3/sign-in?next=change-password&locale=de-DE&hideTenant=true');
    const bad = await ui.http().get('/ui/auth/sign-in.html?locale=%22%3E');
    expect(bad.headers.location).toBe('/auth/v3/sign-in?next=sign-in');
  });

  it('/ui/auth redirects to the sign-in page', async () => {
    const response = await ui.http().get('/ui/auth');
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('/ui/auth/sign-in.html');
  });

  it('refuses to boot without AUTH_API_URL or PUBLIC_BASE_URL', () => {
    expect(authUiConfigSchema.safeParse({}).success).toBe(false);
    expect(authUiConfigSchema.safeParse({ PUBLIC_BASE_URL: 'https://gauth.example.com' }).success).toBe(true);
  });
});
