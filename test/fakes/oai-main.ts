/**
 * Runs the fake arXiv OAI-PMH service in its own process, for tests that kill a harvester mid-way:
 *
 *   node --import tsx test/fakes/oai-main.ts <port> [--page-size N] [--order identifier|datestamp] [--overlap N]
 *
 * Port 0 picks a free one. Prints one JSON line on stdout once listening:
 * `{"url":"http://127.0.0.1:PORT/oai","recordedUrl":"http://127.0.0.1:PORT/oai2","records":1130}`, then serves
 * until killed. `GET /_fake/ids` lists the ids it holds; `GET /_fake/expire` expires the tokens handed out.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createFakeOai, type FakeOaiOptions, type ListOrder } from "./oai.ts";

function parseArgs(argv: string[]): { port: number; options: FakeOaiOptions } {
  const [portText = "0", ...rest] = argv;
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`not a port: ${portText}`);
  const options: FakeOaiOptions = {};
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value = ""] = [rest[i], rest[i + 1]];
    const n = Number(value);
    if (flag === "--page-size" && Number.isInteger(n) && n > 0) options.pageSize = n;
    else if (flag === "--overlap" && Number.isInteger(n) && n >= 0) options.overlap = n;
    else if (flag === "--order" && (value === "identifier" || value === "datestamp"))
      options.order = value as ListOrder;
    else throw new Error(`unknown option or bad value: ${flag} ${value}`);
  }
  return { port, options };
}

const { port, options } = parseArgs(process.argv.slice(2));
let fake: ReturnType<typeof createFakeOai> | null = null;

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://fake.local");
  void (async () => {
    const reply = await fake?.handle(url, req);
    if (reply === undefined) {
      res
        .writeHead(501, { "content-type": "text/plain" })
        .end(`unplanned request: ${url.pathname}${url.search}`);
      return;
    }
    if ("hang" in reply) return;
    res.writeHead(reply.status ?? 200, {
      "content-type": "application/xml; charset=utf-8",
      ...reply.headers,
    });
    res.end(reply.body);
  })();
});

server.listen(port, "127.0.0.1", () => {
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake = createFakeOai(base, options);
  process.stdout.write(
    `${JSON.stringify({ url: fake.url, recordedUrl: fake.recordedUrl, records: fake.allRecordIds().length })}\n`,
  );
});
