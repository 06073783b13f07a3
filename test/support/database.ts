import { type DatabaseHandle, migrateToLatest, openDatabase } from "../../src/db/connection.ts";
import { createEnvironment, type DialectName } from "./harness.ts";

export interface TestDatabase extends DatabaseHandle {
  /** The SQL of every statement run, in order; tests empty it to count what one call runs. */
  readonly queries: string[];
}

/**
 * A migrated, empty database of the dialect of its own, without the services around it, opened
 * with a log of every statement run on it; `close` removes it.
 */
export async function openTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const environment = await createEnvironment(dialect);
  const queries: string[] = [];
  const database = await openDatabase({
    databaseUrl: environment.env.DATABASE_URL ?? null,
    dataDir: environment.dataDir,
    log: (event) => void queries.push(event.query.sql),
  });
  try {
    await migrateToLatest(database);
  } catch (error) {
    await database.close();
    await environment.dispose();
    throw error;
  }
  return {
    ...database,
    queries,
    async close() {
      await database.close();
      await environment.dispose();
    },
  };
}
