/** Tables owned by auth-api. */
export const AUTH_ENTITIES: Function[] = [];
