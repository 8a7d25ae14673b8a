import type { QueryRunner } from 'typeorm';

export interface PurgeLimits {
  /** Rows deleted per statement (one short transaction each). */
  batchSize: number;
  /** Statements per run at most, so one run is bounded; the next run continues. */
  maxBatches: number;
}

/**
 * Deletes in batches of `batchSize` rows picked by `select` (a query returning `id`s, parameter $1 the
 * batch size), each batch its own statement, until a batch comes back short or `maxBatches` ran.
 * SKIP LOCKED in the selects leaves rows that a request holds (a refresh in flight) for a later run.
 */
async function deleteInBatches(
  connection: QueryRunner,
  table: string,
  key: string,
  select: string,
  parameters: unknown[],
  limits: PurgeLimits,
): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < limits.maxBatches; batch += 1) {
    const [, affected] = (await connection.query(`DELETE FROM ${table} WHERE ${key} IN (${select})`, [
      limits.batchSize,
      ...parameters,
    ])) as [unknown, number];
    total += affected;
    if (affected < limits.batchSize) break;
  }
  return total;
}

/**
 * Refresh tokens that can never be used again: expired ones (rotated ones are kept until they expire,
 * so presenting one still revokes its family), and revoked ones once `revokedRetentionSeconds` passed.
 */
export async function purgeRefreshTokens(
  connection: QueryRunner,
  limits: PurgeLimits,
  revokedRetentionSeconds: number,
): Promise<number> {
  const expired = await deleteInBatches(
    connection,
    'refresh_token',
    'id',
    'SELECT id FROM refresh_token WHERE expires_at < now() LIMIT $1 FOR UPDATE SKIP LOCKED',
    [],
    limits,
  );
  const revoked = await deleteInBatches(
    connection,
    'refresh_token',
    'id',
    'SELECT id FROM refresh_token WHERE revoked_at < now() - make_interval(secs => $2) LIMIT $1 FOR UPDATE SKIP LOCKED',
    [revokedRetentionSeconds],
    limits,
  );
  return expired + revoked;
}

/** Signing keys past their overlap (`retired_at`): no longer published, verifying nothing. */
export async function purgeSigningKeys(connection: QueryRunner, limits: PurgeLimits): Promise<number> {
  return deleteInBatches(
    connection,
    'signing_key',
    'kid',
    'SELECT kid FROM signing_key WHERE retired_at < now() LIMIT $1 FOR UPDATE SKIP LOCKED',
    [],
    limits,
  );
}
