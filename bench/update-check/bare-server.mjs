// The baseline of bench/update-check: a bare node:http server that reads the request body and
// answers every request with the same JSON body (a real plan response captured from the service).
// Usage: node bare-server.mjs <body-file>; prints "PORT <n>" once listening on 127.0.0.1.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const body = readFileSync(process.argv[2]);
const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(200, {
      "content-type": "application/json; charset=utf-8",
      "content-length": body.length,
    });
    response.end(body);
  });
});
server.keepAliveTimeout = 72_000;
server.listen(0, "127.0.0.1", () => console.log(`PORT ${server.address().port}`));
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => server.close(() => process.exit(0)));
