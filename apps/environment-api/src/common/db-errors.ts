/** PostgreSQL SQLSTATEs the services turn into 409s (driver errors carry `code`, TypeORM wraps them). */
function sqlState(error: unknown): string | undefined {
  const direct = (error as { code?: unknown } | null)?.code;
  if (typeof direct === 'string') return direct;
  const driver = (error as { driverError?: { code?: unknown } } | null)?.driverError?.code;
  return typeof driver === 'string' ? driver : undefined;
}

export function constraintOf(error: unknown): string | undefined {
  const value =
    (error as { constraint?: unknown } | null)?.constraint ??
    (error as { driverError?: { constraint?: unknown } } | null)?.driverError?.constraint;
  return typeof value === 'string' ? value : undefined;
}

export const isUniqueViolation = (error: unknown) => sqlState(error) === '23505';
export const isForeignKeyViolation = (error: unknown) => sqlState(error) === '23503';
