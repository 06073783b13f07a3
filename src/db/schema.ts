import type { Generated } from "kysely";

/**
 * Table types shared by both dialects. Timestamps are ISO-8601 UTC text and dates
 * are YYYY-MM-DD text, so ordering and comparison behave the same on SQLite and
 * PostgreSQL; booleans are 0/1 integers; JSON columns are text.
 */
export interface UsersTable {
  id: string;
  login: string;
  password_hash: string;
  role: string;
  email: string | null;
  display_name: string | null;
  active_from: string;
  disabled: number;
  created_at: string;
  partner_id: string | null;
  organization_id: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  token_hash: string;
  name: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface ConfigurationsTable {
  code: string;
  name: string;
  kind: string;
  vendor: string;
  program_name: string | null;
  revision: number;
  created_at: string;
  /** `1c` or `file` (PACKAGE_FORMATS); the column's default is `1c`. */
  package_format: Generated<string>;
}

export interface ProductsTable {
  code: string;
  name: string;
  edition: string;
  free_support_months: number;
  created_at: string;
}

export interface ProductConfigurationsTable {
  product_code: string;
  configuration_code: string;
}

export interface ReleasesTable {
  id: string;
  configuration_code: string;
  version: string;
  version_key: string;
  released_on: string;
  its_issue: string | null;
  min_platform_version: string | null;
  channel: string;
  status: string;
  /** JSON array of versions. */
  update_from: string;
  /** JSON object of Markdown documents. */
  documents: string;
  created_at: string;
  published_at: string | null;
  withdrawn_at: string | null;
}

export interface DistributionsTable {
  id: string;
  release_id: string;
  kind: string;
  file_name: string;
  size: number;
  sha256: string;
  storage_key: string;
  created_at: string;
  /** A 1C update package's `hashSum`: Base64 of the MD5 of its extracted `1cv8.cfu`; null for any other file. */
  hash_sum: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_id: string | null;
  action: string;
  subject: string;
  /** JSON object. */
  details: string;
}

export interface PartnersTable {
  id: string;
  name: string;
  created_at: string;
}

export interface OrganizationsTable {
  id: string;
  name: string;
  /** JSON object: the registration form. */
  details: string;
  partner_id: string | null;
  created_at: string;
}

export interface RegistrationNumbersTable {
  number: string;
  product_code: string;
  /** HMAC-SHA256 of the PIN under the server's PIN key; null for deliveries without a PIN envelope. */
  pin_hash: string | null;
  vendor_registered_at: string | null;
  card: string | null;
  purchase_date: string | null;
  issued_at: string;
  issued_by: string | null;
}

/** Per registration number: the wrong PINs of the UTC day of last_failure_at, from every address. */
export interface PinAttemptsTable {
  registration_number: string;
  failures: number;
  locked_until: string | null;
  last_failure_at: string;
}

/** Per registration number and client address: the wrong PINs of the last hour. */
export interface PinAddressAttemptsTable {
  registration_number: string;
  address: string;
  failures: number;
  locked_until: string | null;
  last_failure_at: string;
}

export interface AuthorizationsTable {
  registration_number: string;
  user_id: string;
  method: string;
  partner_id: string | null;
  created_at: string;
}

export interface SubscriptionsTable {
  id: string;
  main_number: string;
  from_month: string;
  months: number;
  partner_id: string | null;
  created_by: string | null;
  created_at: string;
}

export interface SubscriptionNumbersTable {
  subscription_id: string;
  registration_number: string;
}

export interface DownloadLogTable {
  id: Generated<number>;
  at: string;
  user_id: string | null;
  distribution_id: string;
  range: string | null;
  status: number;
  bytes: number;
}

/** Signed TUF metadata; `body` is the exact JSON served for `<role>.json`. */
export interface TufMetadataTable {
  role: string;
  version: number;
  body: string;
  expires: string;
}

/** A signed-in browser; the cookie's secret is kept as its SHA-256 hash only. */
export interface WebSessionsTable {
  id: string;
  secret_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  /** The absolute end, fixed at sign-in; the idle limit is counted from last_seen_at. */
  expires_at: string;
  user_agent: string | null;
}

/** A patch staff published: a file for listed versions of a configuration (migration 008). */
export interface PatchesTable {
  ueid: string;
  configuration_code: string;
  name: string;
  description: string;
  modified_metadata: string;
  /** JSON array of versions. */
  apply_to: string;
  file_name: string;
  size: number;
  sha256: string;
  hash_sum: string;
  storage_key: string;
  built_at: string;
  created_at: string;
}

export interface Database {
  partners: PartnersTable;
  organizations: OrganizationsTable;
  registration_numbers: RegistrationNumbersTable;
  pin_attempts: PinAttemptsTable;
  pin_address_attempts: PinAddressAttemptsTable;
  authorizations: AuthorizationsTable;
  subscriptions: SubscriptionsTable;
  subscription_numbers: SubscriptionNumbersTable;
  download_log: DownloadLogTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  configurations: ConfigurationsTable;
  products: ProductsTable;
  product_configurations: ProductConfigurationsTable;
  releases: ReleasesTable;
  distributions: DistributionsTable;
  audit_log: AuditLogTable;
  tuf_metadata: TufMetadataTable;
  web_sessions: WebSessionsTable;
  patches: PatchesTable;
}
