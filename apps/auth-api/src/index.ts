// What tools and cross-service tests may use of auth-api (apps never import apps).
export { authApiConfigSchema, type AuthApiConfig } from './auth-api.config';
export { authApiService, AUTH_API_DIRECT_ROUTES, AUTH_API_PREFIX } from './auth-api.service';
export { AppModule as AuthApiModule } from './app.module';
export { bootstrapConfigSchema } from './bootstrap/bootstrap.config';
