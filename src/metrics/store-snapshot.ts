/** What the store-backed gauges show, read in one go. */
export interface StoreSnapshot {
  assets: number;
  fields: number;
  dueUnclaimed: number;
  webhookPending: number;
  webhookFailing: number;
  /** Count per `<type>/<status>`. */
  dataSources: Record<string, number>;
  tasksFailing: number;
  longestFailureStreak: number;
}

/**
 * Aggregate queries in SQL that SQLite, PostgreSQL and MariaDB all accept (lower-case aliases,
 * no parameters: the only value inlined is a millisecond timestamp this process computed).
 * Catalog size reads the assets table only: each asset keeps its field count.
 */
export const STORE_SNAPSHOT_QUERIES = {
  catalog: `SELECT COUNT(*) AS assets, COALESCE(SUM(field_count), 0) AS fields FROM catalog_assets WHERE removed_at IS NULL`,
  dueUnclaimed: (nowMs: number): string =>
    `SELECT COUNT(*) AS n FROM tasks WHERE status = 'active' AND scheduler_type = 'builtin'
       AND next_execute_at IS NOT NULL AND next_execute_at <= ${Math.trunc(nowMs)}`,
  webhookBacklog: `SELECT COUNT(*) AS pending, COALESCE(SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END), 0) AS failing
       FROM webhook_deliveries WHERE status = 'pending'`,
  dataSources: `SELECT type, status, COUNT(*) AS n FROM data_sources GROUP BY type, status`,
  // Per task: failed executions that ended after its last completed one (all of them if it never completed).
  failureStreaks: `SELECT COUNT(*) AS failing, COALESCE(MAX(streak), 0) AS longest FROM (
       SELECT f.task_id, COUNT(*) AS streak FROM task_executions f
        WHERE f.status = 'failed' AND f.task_id IN (SELECT id FROM tasks)
          AND f.end_time > COALESCE(
            (SELECT MAX(c.end_time) FROM task_executions c WHERE c.task_id = f.task_id AND c.status = 'completed'), -1)
        GROUP BY f.task_id) streaks`,
};
