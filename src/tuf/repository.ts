import { sign } from "node:crypto";
import { canonicalize } from "@tufjs/canonical-json";
import {
  Metadata,
  MetadataKind,
  MetaFile,
  Root,
  Signature,
  Snapshot,
  TargetFile,
  Targets,
  Timestamp,
} from "@tufjs/models";
import type { Kysely } from "kysely";
import { isUniqueViolation } from "../db/errors.ts";
import { type TufMetadataRow, tufMetadataRepository } from "../db/repositories/tuf-metadata.ts";
import type { Database } from "../db/schema.ts";
import type { Clock } from "../domain/clock.ts";
import { TUF_ROLES, type TufKey, type TufKeys, type TufRole } from "../secrets/tuf-keys.ts";
import type { TufTarget } from "./targets.ts";

const DAY = 24 * 60 * 60 * 1000;

/** How long each role's metadata stays valid; it is re-signed once half of that has passed. */
const TUF_LIFETIMES: Readonly<Record<TufRole, number>> = {
  root: 365 * DAY,
  targets: 90 * DAY,
  snapshot: 7 * DAY,
  timestamp: 1 * DAY,
};

/** How often a node looks in the database for metadata another node signed. */
const RECHECK_MS = 1000;
const WRITE_ATTEMPTS = 5;
/** Superseded timestamp, snapshot and targets versions kept (clients only ever read the latest); every root is kept. */
const KEPT_VERSIONS = 10;
const SPEC_VERSION = "1.0.31";

/** The keys on this node do not match the root metadata in the database; signing would break clients. */
export class TufKeyMismatchError extends Error {
  constructor(roles: TufRole[]) {
    super(
      `The TUF keys of this node (${roles.join(", ")}) are not the ones the root metadata in the database ` +
        "trusts. Every node must hold the same <dataDir>/tuf/keys files as the node that created the repository.",
    );
    this.name = "TufKeyMismatchError";
  }
}

type Signed = Root | Targets | Snapshot | Timestamp;

interface Stored<T extends Signed> {
  readonly version: number;
  readonly body: string;
  readonly expires: string;
  readonly metadata: Metadata<T>;
}

interface State {
  readonly root: Stored<Root>;
  readonly targets: Stored<Targets>;
  readonly snapshot: Stored<Snapshot>;
  readonly timestamp: Stored<Timestamp>;
}

const KINDS = {
  root: MetadataKind.Root,
  targets: MetadataKind.Targets,
  snapshot: MetadataKind.Snapshot,
  timestamp: MetadataKind.Timestamp,
} as const;

/** TUF wants whole seconds: 2027-01-01T00:00:00Z. */
function expiry(now: Date, role: TufRole): string {
  return new Date(now.getTime() + TUF_LIFETIMES[role]).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function dueForRenewal(role: TufRole, expires: string, now: Date): boolean {
  return Date.parse(expires) - now.getTime() < TUF_LIFETIMES[role] / 2;
}

function signer(key: TufKey) {
  return (bytes: Buffer) =>
    new Signature({ keyID: key.keyId, sig: sign(null, bytes, key.privateKey).toString("hex") });
}

function signedBody<T extends Signed>(signed: T, key: TufKey): Stored<T> {
  const metadata = new Metadata<T>(signed);
  metadata.sign(signer(key), false);
  return {
    version: signed.version,
    body: JSON.stringify(metadata.toJSON()),
    expires: signed.expires,
    metadata,
  };
}

function parse(role: TufRole, row: TufMetadataRow): Stored<Signed> {
  const metadata = Metadata.fromJSON(
    KINDS[role] as MetadataKind.Root,
    JSON.parse(row.body),
  ) as Metadata<Signed>;
  return { version: Number(row.version), body: row.body, expires: row.expires, metadata };
}

function targetFile(target: TufTarget): TargetFile {
  return new TargetFile({
    path: target.path,
    length: target.length,
    hashes: { sha256: target.sha256 },
    unrecognizedFields: { custom: { ...target.custom } },
  });
}

function canonicalTargets(targets: Record<string, TargetFile>): string {
  return canonicalize(
    Object.fromEntries(Object.entries(targets).map(([path, file]) => [path, file.toJSON()])),
  );
}

/** Another node signed the same version first (a unique key), or the databases serialised us out. */
function isWriteConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    isUniqueViolation(error) ||
    code === "40001" || // PostgreSQL serialization_failure
    (typeof code === "string" && code.startsWith("SQLITE_BUSY"))
  );
}

/**
 * The published catalogue as a TUF repository (top-level roles only, consistent snapshots off): signed
 * metadata lives in `tuf_metadata`, so every node serves the same bytes. The PRIMARY KEY (role, version)
 * is the lock between nodes: a node that lost a race re-reads and tries again.
 */
export function createTufRepository(deps: {
  db: Kysely<Database>;
  clock: Clock;
  keys: TufKeys;
  /** What the targets metadata must list now: every distribution of every published release. */
  listTargets: () => Promise<TufTarget[]>;
}) {
  const { clock, keys, listTargets } = deps;
  const metadataStore = tufMetadataRepository(deps.db);

  let state: State | null = null;
  /** The latest version of each role in the database at the last look, even when some role is missing. */
  let versions = new Map<string, number>();
  let checkedAt = Number.NEGATIVE_INFINITY;
  let checking: Promise<State | null> | null = null;
  /** Immutable once written; the latest is also in `state`. */
  const roots = new Map<number, string>();
  /** Serialises the signing work of this node. */
  let chain: Promise<unknown> = Promise.resolve();

  function serially<T>(work: () => Promise<T>): Promise<T> {
    const run = chain.then(work, work);
    chain = run.catch(() => undefined);
    return run;
  }

  /** Re-reads the roles whose latest version in the database differs from the one in memory. */
  async function load(): Promise<State | null> {
    versions = await metadataStore.latestVersions();
    const next: Partial<Record<TufRole, Stored<Signed>>> = {};
    for (const role of TUF_ROLES) {
      const version = versions.get(role);
      if (version === undefined) {
        state = null;
        return null;
      }
      const held = state?.[role];
      // Versions only grow; a look that started before this node's own write must not undo it.
      if (held && held.version >= version) {
        next[role] = held;
        continue;
      }
      next[role] = parse(role, await metadataStore.read(role, version));
    }
    state = next as State;
    roots.set(state.root.version, state.root.body);
    checkedAt = performance.now();
    return state;
  }

  /** The metadata in memory, re-read from the database at most once every RECHECK_MS. */
  async function current(): Promise<State | null> {
    if (state && performance.now() - checkedAt < RECHECK_MS) return state;
    checking ??= load().finally(() => {
      checking = null;
    });
    return checking;
  }

  function assertKeysTrusted(root: Root): void {
    const untrusted = TUF_ROLES.filter((role) => {
      const keyId = keys[role].keyId;
      return !(root.roles[role]?.keyIDs ?? []).includes(keyId) || !root.keys[keyId];
    });
    if (untrusted.length > 0) throw new TufKeyMismatchError(untrusted);
  }

  function nextVersion(before: State | null, role: TufRole): number {
    return (before?.[role].version ?? versions.get(role) ?? 0) + 1;
  }

  /**
   * Brings the stored metadata up to date in one transaction: the first call creates root 1; targets
   * are re-signed when `wanted` (the catalogue now; null: keep) differs from them; every role is re-signed
   * once half its lifetime has passed, and new targets or snapshot drag the roles above them along.
   * Resolves to whether new targets metadata was signed.
   */
  /** `loaded`: the state the caller has just read, used for the first attempt instead of reading it again. */
  async function sync(wanted: TufTarget[] | null, loaded?: State): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const before = attempt === 1 && loaded ? loaded : await load();
      const now = clock.now();
      if (before) assertKeysTrusted(before.root.metadata.signed);
      const written: Partial<Record<TufRole, Stored<Signed>>> = {};

      let root = before?.root;
      if (!root || dueForRenewal("root", root.expires, now)) {
        const signed = new Root({
          version: nextVersion(before, "root"),
          specVersion: SPEC_VERSION,
          expires: expiry(now, "root"),
          consistentSnapshot: false,
        });
        for (const role of TUF_ROLES) signed.addKey(keys[role].publicKey, role);
        root = written.root = signedBody(signed, keys.root);
      }

      let targets = before?.targets;
      const files = wanted
        ? Object.fromEntries(wanted.map((target) => [target.path, targetFile(target)]))
        : (targets?.metadata.signed.targets ?? {});
      if (
        !targets ||
        canonicalTargets(files) !== canonicalTargets(targets.metadata.signed.targets) ||
        dueForRenewal("targets", targets.expires, now)
      ) {
        const signed = new Targets({
          version: nextVersion(before, "targets"),
          specVersion: SPEC_VERSION,
          expires: expiry(now, "targets"),
          targets: files,
        });
        targets = written.targets = signedBody(signed, keys.targets);
      }

      let snapshot = before?.snapshot;
      if (written.targets || !snapshot || dueForRenewal("snapshot", snapshot.expires, now)) {
        const signed = new Snapshot({
          version: nextVersion(before, "snapshot"),
          specVersion: SPEC_VERSION,
          expires: expiry(now, "snapshot"),
          meta: {
            "targets.json": new MetaFile({
              version: targets.version,
              length: Buffer.byteLength(targets.body),
            }),
          },
        });
        snapshot = written.snapshot = signedBody(signed, keys.snapshot);
      }

      let timestamp = before?.timestamp;
      if (written.snapshot || !timestamp || dueForRenewal("timestamp", timestamp.expires, now)) {
        const signed = new Timestamp({
          version: nextVersion(before, "timestamp"),
          specVersion: SPEC_VERSION,
          expires: expiry(now, "timestamp"),
          snapshotMeta: new MetaFile({ version: snapshot.version, length: Buffer.byteLength(snapshot.body) }),
        });
        timestamp = written.timestamp = signedBody(signed, keys.timestamp);
      }

      const rows = TUF_ROLES.flatMap((role): TufMetadataRow[] => {
        const signed = written[role];
        return signed ? [{ role, version: signed.version, body: signed.body, expires: signed.expires }] : [];
      });
      if (rows.length === 0) return false;
      try {
        // All roles or none, in one statement (see insert).
        await metadataStore.insert(rows);
      } catch (error) {
        // Another node signed the same versions first: start again from what it wrote.
        if (attempt < WRITE_ATTEMPTS && isWriteConflict(error)) continue;
        throw error;
      }
      state = { root, targets, snapshot, timestamp };
      for (const row of rows) versions.set(row.role, row.version);
      await prune(rows);
      roots.set(root.version, root.body);
      checkedAt = performance.now();
      return written.targets !== undefined;
    }
  }

  /** Without consistent snapshots nobody asks for old timestamp, snapshot or targets versions. */
  async function prune(rows: TufMetadataRow[]): Promise<void> {
    for (const row of rows) {
      if (row.role === "root" || row.version <= KEPT_VERSIONS) continue;
      try {
        await metadataStore.deleteUpTo(row.role, row.version - KEPT_VERSIONS);
      } catch {
        // Housekeeping only: the next write tries again.
      }
    }
  }

  function needsRenewal(held: State | null, now: Date): boolean {
    return !held || TUF_ROLES.some((role) => dueForRenewal(role, held[role].expires, now));
  }

  async function findTarget(path: string): Promise<TufTarget | null> {
    const file = (await current())?.targets.metadata.signed.targets[path];
    const sha256 = file?.hashes.sha256;
    const custom = file?.custom;
    if (!file || !sha256 || typeof custom?.distributionId !== "string") return null;
    return {
      path: file.path,
      length: file.length,
      sha256,
      custom: {
        distributionId: custom.distributionId,
        configuration: String(custom.configuration),
        version: String(custom.version),
        kind: String(custom.kind),
      },
    };
  }

  return {
    /**
     * Re-signs targets, snapshot and timestamp when the published distributions differ from the signed
     * targets (and creates root 1 the first time). Resolves to whether new targets metadata was signed.
     */
    refresh(): Promise<boolean> {
      return serially(async () => sync(await listTargets()));
    },

    /**
     * Re-signs whatever is within half its lifetime of expiring (timestamp, snapshot, targets, root):
     * same content, version + 1. Costs a look at memory when nothing is due.
     */
    async ensureFresh(): Promise<void> {
      if (!needsRenewal(await current(), clock.now())) return;
      await serially(async () => {
        const held = await load();
        if (!held) await sync(await listTargets());
        else if (needsRenewal(held, clock.now())) await sync(null, held);
      });
    },

    /**
     * The exact bytes of a metadata file: `root.json` (the latest root), `<N>.root.json`,
     * `timestamp.json`, `snapshot.json` or `targets.json`; null for any other name or before the first refresh.
     */
    async metadata(name: string): Promise<string | null> {
      const latest = await current();
      if (!latest) return null;
      switch (name) {
        case "root.json":
          return latest.root.body;
        case "timestamp.json":
          return latest.timestamp.body;
        case "snapshot.json":
          return latest.snapshot.body;
        case "targets.json":
          return latest.targets.body;
      }
      const match = /^([1-9]\d{0,8})\.root\.json$/.exec(name);
      if (!match) return null;
      const version = Number(match[1]);
      if (version > latest.root.version) return null;
      const known = roots.get(version);
      if (known) return known;
      const body = await metadataStore.findBody("root", version);
      if (body === undefined) return null;
      roots.set(version, body);
      return body;
    },

    /** The target at `path` in the current targets metadata, or null. */
    findTarget,

    /** Forgets what is in memory: the next read comes from the database (after a restore; tests). */
    reload(): void {
      state = null;
      checkedAt = Number.NEGATIVE_INFINITY;
      roots.clear();
    },
  };
}
