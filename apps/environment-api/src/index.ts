// What tools and cross-service tests may use of environment-api (apps never import apps).
export { environmentApiConfigSchema, type EnvironmentApiConfig } from './environment-api.config';
export { environmentApiService, ENVIRONMENT_API_PREFIX } from './environment-api.service';
export { AppModule as EnvironmentApiModule } from './app.module';
export { parseIdentityProvidersFile } from './identity-providers/file/identity-providers-file.parser';
