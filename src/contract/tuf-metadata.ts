import { Type } from "@sinclair/typebox";

/** GET /tuf/:name: timestamp.json, snapshot.json, targets.json, root.json or <N>.root.json. */
export const TufMetadataParams = Type.Object({ name: Type.String({ maxLength: 64 }) });
