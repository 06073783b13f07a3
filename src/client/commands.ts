/** The client's commands, one module per command (or close pair) under commands/; main.ts wires them to the command line. */
export { check } from "./commands/check.ts";
export { connect, disconnect, status } from "./commands/connect.ts";
export { download } from "./commands/download.ts";
export { mirror } from "./commands/mirror.ts";
export { templates } from "./commands/templates.ts";
export { update } from "./commands/update.ts";
