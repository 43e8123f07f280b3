/** `paperboy users ...` run as the real binary against both stores. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Store } from "../../src/store/store.ts";
import { type CliResult, runCli } from "../helpers/cli.ts";
import { createTestDatabase, type StoreKind, type TestDatabase } from "../helpers/stores.ts";

function paperboy(db: TestDatabase, args: string[], stdin = ""): Promise<CliResult> {
  return runCli(args, { PAPERBOY_DB: db.url, PAPERBOY_LOG_LEVEL: "warn" }, { stdin });
}

for (const kind of ["sqlite", "postgres"] as StoreKind[]) {
  describe(`paperboy users: ${kind}`, () => {
    let db: TestDatabase;
    let store: Store;
    before(async () => {
      db = await createTestDatabase(kind);
      store = await db.open();
    });
    after(async () => {
      await store.close();
      await db.drop();
    });

    test("create --admin on an empty install makes a verified administrator, password from stdin", async () => {
      const res = await paperboy(
        db,
        ["users", "create", "Root@Example.org", "--name", "Site Admin", "--admin", "--password-stdin"],
        "the operator's password\n",
      );
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, /Created admin root@example\.org/);
      const user = await store.accounts.authenticate("root@example.org", "the operator's password");
      assert.equal(user?.role, "admin");
      assert.ok(user?.verifiedAt);
    });

    test("without --password-stdin a random password is printed once and works", async () => {
      const res = await paperboy(db, ["users", "create", "member@example.org", "--name", "Member"]);
      assert.equal(res.code, 0, res.stderr);
      const password = /Password \(shown once; change it in Settings\): (\S+)/.exec(res.stdout)?.[1];
      assert.ok(password);
      assert.equal((await store.accounts.authenticate("member@example.org", password))?.role, "member");
    });

    test("list, suspend, unsuspend, promote, demote; errors are clear and exit non-zero", async () => {
      const list = await paperboy(db, ["users", "list", "--json"]);
      assert.equal(list.code, 0, list.stderr);
      const users = JSON.parse(list.stdout) as { email: string }[];
      assert.deepEqual(users.map((u) => u.email).sort(), ["member@example.org", "root@example.org"]);
      const member = await store.accounts.getUserByEmail("member@example.org");
      assert.ok(member);
      const { token } = await store.accounts.createSession(member.id);

      assert.equal((await paperboy(db, ["users", "suspend", "member@example.org"])).code, 0);
      assert.ok((await store.accounts.getUser(member.id))?.suspendedAt);
      assert.equal(await store.accounts.resolveSession(token), null, "suspension ends sessions");
      const text = await paperboy(db, ["users", "list", "--query", "member"]);
      assert.match(text.stdout, /member@example\.org\tMember\tmember\tsuspended/);
      assert.equal((await paperboy(db, ["users", "unsuspend", member.id])).code, 0);
      assert.equal((await paperboy(db, ["users", "promote", "member@example.org"])).code, 0);
      assert.equal((await store.accounts.getUser(member.id))?.role, "admin");
      assert.equal((await paperboy(db, ["users", "demote", "member@example.org"])).code, 0);
      assert.equal((await store.accounts.getUser(member.id))?.role, "member");

      const unknown = await paperboy(db, ["users", "suspend", "ghost@example.org"]);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /no user "ghost@example\.org"/);
      const taken = await paperboy(db, ["users", "create", "member@example.org", "--name", "Again"]);
      assert.equal(taken.code, 1);
      assert.match(taken.stderr, /already exists/);
      const bad = await paperboy(db, ["users", "create", "bad\r\naddress", "--name", "X"]);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /Email address is not valid/);
    });
  });
}
