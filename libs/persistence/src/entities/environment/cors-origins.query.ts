import type { DataSource, EntityManager } from 'typeorm';
import { CORS_ORIGINS_SETTING } from './contact-center-setting.entity';

/**
 * Every origin a service at `location` should allow: the values of the `cors-origins` settings for
 * that location or for `/` (all locations), plus the rows of the newer `/cors` API. Raw values; the
 * CORS policy normalises them. Used by environment-api and auth-api (same database).
 */
export async function loadCorsOriginValues(db: DataSource | EntityManager, location: string): Promise<string[]> {
  const settings: { value: string }[] = await db.query(
    `SELECT value FROM contact_center_setting WHERE name = $1 AND (location = '/' OR lower(location) = lower($2))`,
    [CORS_ORIGINS_SETTING, location],
  );
  const rows: { origin: string }[] = await db.query('SELECT DISTINCT origin FROM cors_origin');
  const values = settings.flatMap((setting) => setting.value.split(','));
  return [...values.map((value) => value.trim()).filter(Boolean), ...rows.map((row) => row.origin)];
}
