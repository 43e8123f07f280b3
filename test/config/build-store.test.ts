import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../../src/config/config.ts";

test("PAPERBOY_BUILD_STORE defaults to postgres; s3 needs its endpoint, bucket and key, named in the error", () => {
  assert.deepEqual(loadConfig({}).search.buildStore, { kind: "postgres" });
  assert.throws(
    () => loadConfig({ PAPERBOY_BUILD_STORE: "s3", PAPERBOY_S3_SECRET_ACCESS_KEY: "shh-secret" }),
    (error: Error) =>
      /PAPERBOY_S3_ENDPOINT/.test(error.message) &&
      /PAPERBOY_S3_BUCKET/.test(error.message) &&
      /PAPERBOY_S3_ACCESS_KEY_ID/.test(error.message) &&
      !/shh-secret/.test(error.message),
  );
  const config = loadConfig({
    PAPERBOY_BUILD_STORE: "s3",
    PAPERBOY_S3_ENDPOINT: "http://127.0.0.1:9000",
    PAPERBOY_S3_BUCKET: "papers",
    PAPERBOY_S3_ACCESS_KEY_ID: "key",
    PAPERBOY_S3_SECRET_ACCESS_KEY: "secret",
  });
  assert.deepEqual(config.search.buildStore, {
    kind: "s3",
    endpoint: "http://127.0.0.1:9000",
    bucket: "papers",
    region: "us-east-1",
    accessKeyId: "key",
    secretAccessKey: "secret",
    prefix: "paperboy",
  });
});
