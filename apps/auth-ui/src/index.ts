// What tools and cross-service tests may use of auth-ui (apps never import apps).
export { authUiConfigSchema, type AuthUiConfig } from './auth-ui.config';
export { authUiService, AUTH_UI_PREFIX, AUTH_UI_PREFIX_OPTIONS } from './auth-ui.service';
export { AppModule as AuthUiModule } from './app.module';
export { ASSETS, ASSET_PATH } from './assets/assets';
