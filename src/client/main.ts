console.log(`upkeep-client: the installed program's side of Upkeep.

Usage: upkeep-client <command> [options]

Commands arrive with the client: connect, status, disconnect, check, download,
templates, update, mirror.`);
