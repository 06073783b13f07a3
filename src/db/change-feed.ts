import { EventEmitter } from "node:events";
import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "./schema.ts";

/** What a change invalidates: a token (by its hash) or a user's entitlement holdings (by user id). */
export type ChangeTopic = "token" | "holdings";
const TOPICS: readonly string[] = ["token", "holdings"] satisfies ChangeTopic[];

/** Names, inside a transaction, what it changes. */
export type Changed = (topic: ChangeTopic, key: string) => void;

/**
 * Tells every node of the service that cached state changed, so caches may keep entries long and
 * still drop a revoked token or a changed entitlement at once. The embedded database serves one
 * process, which hears its own changes; on PostgreSQL every node listens on one channel
 * (LISTEN/NOTIFY).
 */
export interface ChangeFeed {
  /**
   * Runs `work` in one transaction. The changes it names reach the other nodes with the commit
   * (PostgreSQL delivers a NOTIFY only then, and never for a rolled-back transaction) and are
   * dropped on this node right after it.
   */
  transaction<T>(work: (trx: Transaction<Database>, changed: Changed) => Promise<T>): Promise<T>;
  subscribe(topic: ChangeTopic, handler: (key: string) => void): void;
  /** Changes may have been missed (the listening connection was lost): drop whatever is cached. */
  onMissedChanges(handler: () => void): void;
  close(): Promise<void>;
}

const CHANNEL = "upkeep_changes";
const RECONNECT_MS = 1_000;

class LocalChangeFeed implements ChangeFeed {
  protected readonly events = new EventEmitter().setMaxListeners(0);

  constructor(protected readonly db: Kysely<Database>) {}

  async transaction<T>(work: (trx: Transaction<Database>, changed: Changed) => Promise<T>): Promise<T> {
    const changes: [ChangeTopic, string][] = [];
    const result = await this.db.transaction().execute(async (trx) => {
      const value = await work(trx, (topic, key) => void changes.push([topic, key]));
      await this.announce(trx, changes);
      return value;
    });
    for (const [topic, key] of changes) this.deliver(topic, key);
    return result;
  }

  /** Tells the other nodes, from inside the transaction; one process has no others. */
  protected async announce(_trx: Transaction<Database>, _changes: [ChangeTopic, string][]): Promise<void> {}

  protected deliver(topic: ChangeTopic, key: string): void {
    this.events.emit(topic, key);
  }

  subscribe(topic: ChangeTopic, handler: (key: string) => void): void {
    this.events.on(topic, handler);
  }

  onMissedChanges(handler: () => void): void {
    this.events.on("missed", handler);
  }

  async close(): Promise<void> {
    this.events.removeAllListeners();
  }
}

/** One process owns the embedded database: changes are delivered in-process. */
export function localChangeFeed(db: Kysely<Database>): ChangeFeed {
  return new LocalChangeFeed(db);
}

export interface ListeningClient {
  connect(): Promise<unknown>;
  query(text: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: "notification", listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: "error" | "end", listener: (error?: Error) => void): unknown;
}

class PostgresChangeFeed extends LocalChangeFeed {
  private client: ListeningClient | null = null;
  private connecting: ListeningClient | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    db: Kysely<Database>,
    private readonly newClient: () => ListeningClient,
  ) {
    super(db);
  }

  async listen(): Promise<void> {
    const client = this.newClient();
    this.connecting = client;
    client.on("notification", (message) => this.heard(message));
    client.on("error", () => this.lost(client));
    client.on("end", () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      if (this.closed) throw new Error("closed");
      this.client = client;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    } finally {
      this.connecting = null;
    }
  }

  /** Anyone may NOTIFY this channel: only well-formed changes are acted on, and never with a throw. */
  private heard(message: { channel: string; payload?: string }): void {
    const separator = message.payload?.indexOf(":") ?? -1;
    if (message.channel !== CHANNEL || separator < 0) return;
    const topic = message.payload!.slice(0, separator);
    if (!TOPICS.includes(topic)) return;
    try {
      this.deliver(topic as ChangeTopic, message.payload!.slice(separator + 1));
    } catch (error) {
      process.emitWarning(`A change notification could not be applied: ${error}`);
    }
  }

  private lost(client: ListeningClient): void {
    if (this.closed || this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    // Whatever changed while nobody listened is unknown: start from the database again, and once
    // more after reconnecting, for what was cached during the outage.
    this.events.emit("missed");
    const reconnect = () => {
      this.retry = null;
      if (this.closed) return;
      this.listen().then(
        () => this.events.emit("missed"),
        () => {
          if (!this.closed) this.retry = setTimeout(reconnect, RECONNECT_MS);
        },
      );
    };
    this.retry = setTimeout(reconnect, RECONNECT_MS);
  }

  protected override async announce(trx: Transaction<Database>, changes: [ChangeTopic, string][]) {
    if (changes.length === 0) return;
    // One statement for all (a subscription may name a thousand holders), duplicates once.
    const payloads = [...new Set(changes.map(([topic, key]) => `${topic}:${key}`))];
    await sql`select pg_notify(${CHANNEL}, payload) from unnest(${payloads}::text[]) as payload`.execute(trx);
  }

  override async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await Promise.all([this.client, this.connecting].map((client) => client?.end().catch(() => undefined)));
    await super.close();
  }
}

/** Every node listens on one PostgreSQL channel; a lost connection is re-established. */
export async function postgresChangeFeed(
  db: Kysely<Database>,
  newClient: () => ListeningClient,
): Promise<ChangeFeed> {
  const feed = new PostgresChangeFeed(db, newClient);
  await feed.listen();
  return feed;
}
