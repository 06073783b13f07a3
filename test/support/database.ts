import { type DatabaseHandle, migrateToLatest, openDatabase } from "../../src/db/connection.ts";
import { createEnvironment, type DialectName } from "./harness.ts";

/** A migrated, empty database of the dialect, without the services around it; `close` removes it. */
export async function openTestDatabase(dialect: DialectName): Promise<DatabaseHandle> {
  const environment = await createEnvironment(dialect);
  const database = await openDatabase({
    databaseUrl: environment.env.DATABASE_URL ?? null,
    dataDir: environment.dataDir,
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
    async close() {
      await database.close();
      await environment.dispose();
    },
  };
}
