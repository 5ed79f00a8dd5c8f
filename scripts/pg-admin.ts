// Throw-away PostgreSQL databases for the tests and benchmarks, through a role that may CREATE DATABASE.
import pg from "pg";

/** Creates database `name` on the server of `adminUrl` and returns its URL. */
export async function createPgDatabase(adminUrl: string, name: string, options = ""): Promise<string> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE "${name}" ${options}`);
  } finally {
    await c.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Drops database `name`, closing its connections. A connection this role may not terminate (an autovacuum worker
 * still on the database, say) makes DROP … WITH (FORCE) fail with 42501 or 55006 for a moment: retried for ~10 s.
 */
export async function dropPgDatabase(adminUrl: string, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      return;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt >= 20 || (code !== "42501" && code !== "55006")) throw err;
    } finally {
      await c.end();
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
