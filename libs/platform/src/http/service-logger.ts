/** The service's pino logger (JSON, redacting); inject it with `@Inject(SERVICE_LOGGER)`. */
export const SERVICE_LOGGER = Symbol('SERVICE_LOGGER');
