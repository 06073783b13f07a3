import { randomBytes } from "node:crypto";
import pg from "pg";

/** A fresh database on the server at `adminUrl`, for one test run or benchmark, and how to drop it. */
export async function createPostgresDatabase(
  adminUrl: string,
  prefix = "upkeep_test",
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = async (query: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(query);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}
