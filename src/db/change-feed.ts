import { EventEmitter } from "node:events";
import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.ts";

/** What a change invalidates: a token (by its hash) or a user's entitlement holdings (by user id). */
export type ChangeTopic = "token" | "holdings";

/**
 * Tells every node of the service that cached state changed, so caches may keep entries long and
 * still never serve a revoked token or a lost entitlement. The embedded default is one process;
 * on PostgreSQL every node listens on one channel (LISTEN/NOTIFY).
 */
export interface ChangeFeed {
  /** Call after the change is committed: this node hears it at once, the others within moments. */
  publish(topic: ChangeTopic, key: string): Promise<void>;
  subscribe(topic: ChangeTopic, handler: (key: string) => void): void;
  /** Changes may have been missed (the listening connection was lost): drop whatever is cached. */
  onMissedChanges(handler: () => void): void;
  close(): Promise<void>;
}

const CHANNEL = "upkeep_changes";
const RECONNECT_MS = 1_000;

class LocalChangeFeed implements ChangeFeed {
  protected readonly events = new EventEmitter().setMaxListeners(0);

  async publish(topic: ChangeTopic, key: string): Promise<void> {
    this.deliver(topic, key);
  }

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
export function localChangeFeed(): ChangeFeed {
  return new LocalChangeFeed();
}

interface ListeningClient {
  connect(): Promise<unknown>;
  query(text: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: "notification", listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: "error" | "end", listener: (error?: Error) => void): unknown;
}

class PostgresChangeFeed extends LocalChangeFeed {
  private client: ListeningClient | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly newClient: () => ListeningClient,
  ) {
    super();
  }

  async listen(): Promise<void> {
    const client = this.newClient();
    client.on("notification", (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      const separator = message.payload.indexOf(":");
      this.deliver(message.payload.slice(0, separator) as ChangeTopic, message.payload.slice(separator + 1));
    });
    client.on("error", () => this.lost(client));
    client.on("end", () => this.lost(client));
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.client = client;
  }

  private lost(client: ListeningClient): void {
    if (this.closed || this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    // Whatever changed while nobody listened is unknown: start from the database again.
    this.events.emit("missed");
    const reconnect = () => {
      this.retry = null;
      if (this.closed) return;
      this.listen().then(
        () => this.events.emit("missed"),
        () => {
          this.retry = setTimeout(reconnect, RECONNECT_MS);
        },
      );
    };
    this.retry = setTimeout(reconnect, RECONNECT_MS);
  }

  override async publish(topic: ChangeTopic, key: string): Promise<void> {
    this.deliver(topic, key);
    await sql`select pg_notify(${CHANNEL}, ${`${topic}:${key}`})`.execute(this.db);
  }

  override async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
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
