import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AccountError, type User } from "../../src/core/accounts.ts";
import { SESSION_TTL_MS } from "../../src/store/accounts/index.ts";
import type { Store } from "../../src/store/store.ts";
import { rawRows } from "../helpers/raw-db.ts";
import { type StoreKind, type TestDatabase, useFreshStore } from "../helpers/stores.ts";

const T0 = new Date("2026-03-01T10:00:00Z");
const DAY = 24 * 3600_000;
const at = (ms: number) => new Date(T0.getTime() + ms);
const PASSWORD = "correct horse battery";

function rejectsWith(code: string) {
  return (error: unknown) => {
    assert.ok(error instanceof AccountError, `expected an AccountError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  };
}

/** The accounts module's behaviour, the same on every store. */
export function accountsContract(kind: StoreKind): void {
  describe(`Accounts: ${kind}`, () => {
    let store: Store;
    let db: TestDatabase;
    const fresh = useFreshStore(kind, (s, d) => {
      store = s;
      db = d;
    });
    let n = 0;
    const newUser = (over: Partial<Parameters<Store["accounts"]["createUser"]>[0]> = {}): Promise<User> =>
      store.accounts.createUser(
        { email: `user${++n}@example.org`, name: `User ${n}`, password: PASSWORD, ...over },
        T0,
      );

    test("a new user is a normalised, unverified member; the password is stored only as a scrypt hash", async () => {
      const user = await newUser({ email: "  Ada.Lovelace@Example.ORG ", name: "  Ada   Lovelace " });
      assert.equal(user.email, "ada.lovelace@example.org");
      assert.equal(user.name, "Ada Lovelace");
      assert.equal(user.role, "member");
      assert.equal(user.verifiedAt, null);
      assert.equal(user.suspendedAt, null);
      assert.equal(user.createdAt, T0.toISOString());
      assert.deepEqual(await store.accounts.getUser(user.id), user);
      assert.deepEqual(await store.accounts.getUserByEmail("ADA.lovelace@example.org"), user);
      const [row] = await rawRows(db, `select password_hash from users where id = '${user.id}'`);
      const hash = String(row?.password_hash);
      assert.match(hash, /^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
      assert.ok(!hash.includes(PASSWORD));
    });

    test("an email taken in any case is refused; bad fields are refused with their rule", async () => {
      await newUser({ email: "taken@example.org" });
      await assert.rejects(newUser({ email: "TAKEN@example.org" }), rejectsWith("email_taken"));
      await assert.rejects(newUser({ email: "not-an-email" }), rejectsWith("invalid_email"));
      await assert.rejects(
        newUser({ email: "a@b.org\r\nBcc: victim@example.org" }),
        rejectsWith("invalid_email"),
      );
      await assert.rejects(
        newUser({ email: `${"x".repeat(250)}@example.org` }),
        rejectsWith("invalid_email"),
      );
      await assert.rejects(newUser({ password: "short" }), rejectsWith("invalid_password"));
      await assert.rejects(newUser({ password: "p".repeat(201) }), rejectsWith("invalid_password"));
      await assert.rejects(newUser({ name: "   " }), rejectsWith("invalid_name"));
      await assert.rejects(newUser({ name: "n".repeat(61) }), rejectsWith("invalid_name"));
      await assert.rejects(newUser({ name: "evil\u202Egnp.exe" }), rejectsWith("invalid_name"));
      await assert.rejects(newUser({ name: "tab\u0007bell" }), rejectsWith("invalid_name"));
    });

    test("authenticate: the right password gives the user; wrong, unknown or malformed gives null", async () => {
      const user = await newUser();
      assert.equal((await store.accounts.authenticate(user.email.toUpperCase(), PASSWORD))?.id, user.id);
      assert.equal(await store.accounts.authenticate(user.email, `${PASSWORD}!`), null);
      assert.equal(await store.accounts.authenticate("nobody@example.org", PASSWORD), null);
      assert.equal(await store.accounts.authenticate("not an email", PASSWORD), null);
    });

    test("sessions: only a hash is stored; they slide forward when used and end after 30 idle days", async () => {
      const user = await newUser();
      const { token, session } = await store.accounts.createSession(user.id, T0);
      assert.match(token, /^[\w-]{43}$/);
      assert.equal(session.expiresAt, at(SESSION_TTL_MS).toISOString());
      const rows = await rawRows(db, "select token_hash from sessions");
      assert.equal(rows.length, 1);
      assert.notEqual(rows[0]?.token_hash, token);

      const found = await store.accounts.resolveSession(token, at(20 * DAY));
      assert.equal(found?.user.id, user.id);
      assert.equal(found?.session.csrfToken, session.csrfToken);
      assert.equal(found?.session.expiresAt, at(50 * DAY).toISOString(), "renewed on use");
      // Past the first expiry, alive thanks to the renewal; then idle past the second one.
      assert.ok(await store.accounts.resolveSession(token, at(45 * DAY)));
      assert.equal(await store.accounts.resolveSession(token, at(76 * DAY)), null);
      assert.equal((await rawRows(db, "select token_hash from sessions")).length, 0, "expired row deleted");
    });

    test("sessions end on sign-out, on password change and on suspension; unknown tokens resolve to null", async () => {
      const user = await newUser();
      const a = await store.accounts.createSession(user.id, T0);
      const b = await store.accounts.createSession(user.id, T0);
      const c = await store.accounts.createSession(user.id, T0);
      await store.accounts.endSession(a.token);
      assert.equal(await store.accounts.resolveSession(a.token, T0), null);
      assert.ok(await store.accounts.resolveSession(b.token, T0));
      await store.accounts.changePassword(user.id, "a brand new password", T0);
      assert.equal(await store.accounts.resolveSession(b.token, T0), null);
      assert.equal(await store.accounts.resolveSession(c.token, T0), null);
      assert.equal((await store.accounts.authenticate(user.email, "a brand new password"))?.id, user.id);
      assert.equal(await store.accounts.authenticate(user.email, PASSWORD), null);

      const d = await store.accounts.createSession(user.id, T0);
      const suspended = await store.accounts.setSuspended(user.id, true, at(1000));
      assert.equal(suspended.suspendedAt, at(1000).toISOString());
      assert.equal(await store.accounts.resolveSession(d.token, T0), null);
      assert.equal(await store.accounts.resolveSession("x".repeat(43), T0), null);
      assert.equal(await store.accounts.resolveSession("'; drop table users; --", T0), null);
      assert.equal((await store.accounts.setSuspended(user.id, false)).suspendedAt, null);
    });

    test("mailed tokens work once, for their purpose, until they expire; peeking does not use them", async () => {
      const user = await newUser();
      const verify = await store.accounts.issueToken(user.id, "verify", T0);
      assert.equal(await store.accounts.consumeToken(verify, "reset", T0), null, "wrong purpose");
      assert.equal((await store.accounts.peekToken(verify, "verify", T0))?.id, user.id);
      assert.equal((await store.accounts.consumeToken(verify, "verify", at(DAY)))?.id, user.id);
      assert.equal(await store.accounts.consumeToken(verify, "verify", at(DAY)), null, "used once");

      const late = await store.accounts.issueToken(user.id, "reset", T0);
      assert.equal(await store.accounts.peekToken(late, "reset", at(2 * 3600_000)), null);
      assert.equal(await store.accounts.consumeToken(late, "reset", at(2 * 3600_000)), null, "expired");
      assert.equal(await store.accounts.consumeToken("bogus", "reset", T0), null);
      const stored = await rawRows(db, "select token_hash from one_time_tokens");
      assert.ok(stored.every((r) => r.token_hash !== verify && r.token_hash !== late));
    });

    test("two racing uses of one mailed token: exactly one wins", async () => {
      const user = await newUser();
      const token = await store.accounts.issueToken(user.id, "reset", T0);
      const results = await Promise.all(
        Array.from({ length: 8 }, () => store.accounts.consumeToken(token, "reset", at(1000))),
      );
      assert.equal(results.filter((r) => r !== null).length, 1);
    });

    test("a password change voids outstanding reset links", async () => {
      const user = await newUser();
      const token = await store.accounts.issueToken(user.id, "reset", T0);
      await store.accounts.changePassword(user.id, "another good password", at(1000));
      assert.equal(await store.accounts.consumeToken(token, "reset", at(2000)), null);
    });

    test("API tokens: shown once, stored hashed, listed without the secret, revocable by their owner only", async () => {
      const user = await newUser();
      const other = await newUser();
      const { token, info } = await store.accounts.createApiToken(user.id, "  laptop   script ", T0);
      assert.match(token, /^pb_[\w-]{43}$/);
      assert.equal(info.name, "laptop script");
      assert.equal(info.prefix, token.slice(0, 10));
      const grant = await store.accounts.resolveApiToken(token, at(1000));
      assert.equal(grant?.user.id, user.id);
      assert.equal(grant?.scope, "read", "least privilege unless asked");
      assert.equal(info.scope, "read");
      const [listed] = await store.accounts.listApiTokens(user.id);
      assert.equal(listed?.lastUsedAt, at(1000).toISOString());
      assert.ok(!JSON.stringify(listed).includes(token));
      const rows = await rawRows(db, "select token_hash from api_tokens");
      assert.notEqual(rows[0]?.token_hash, token);

      assert.equal(await store.accounts.revokeApiToken(other.id, info.id), false, "not the owner");
      assert.equal(await store.accounts.revokeApiToken(user.id, info.id), true);
      assert.equal(await store.accounts.revokeApiToken(user.id, info.id), false, "already revoked");
      assert.equal(await store.accounts.resolveApiToken(token), null);
      assert.deepEqual(await store.accounts.listApiTokens(user.id), []);
      await assert.rejects(store.accounts.createApiToken(user.id, "", T0), rejectsWith("invalid_name"));
      await assert.rejects(
        store.accounts.createApiToken(user.id, "x".repeat(61), T0),
        rejectsWith("invalid_name"),
      );
    });

    test("a write token says so; a password change revokes every API token and mailed sign-in link", async () => {
      const user = await newUser();
      const { token } = await store.accounts.createApiToken(user.id, "bot", T0, "write");
      assert.equal((await store.accounts.resolveApiToken(token, T0))?.scope, "write");
      const link = await store.accounts.issueToken(user.id, "signin", T0);
      await store.accounts.changePassword(user.id, "a fresh good password", at(1000));
      assert.equal(await store.accounts.resolveApiToken(token, at(2000)), null);
      assert.deepEqual(await store.accounts.listApiTokens(user.id), []);
      assert.equal(await store.accounts.consumeToken(link, "signin", at(2000)), null);
    });

    test("a rate-limit hit can be taken back, never below zero", async () => {
      const now = at(0);
      await store.accounts.hitRateLimit("release|a", 60_000, now);
      await store.accounts.hitRateLimit("release|a", 60_000, now);
      await store.accounts.releaseRateLimit("release|a", 60_000, now);
      assert.equal((await store.accounts.hitRateLimit("release|a", 60_000, now)).count, 2);
      await store.accounts.releaseRateLimit("release|b", 60_000, now);
      for (let i = 0; i < 3; i++) await store.accounts.releaseRateLimit("release|a", 60_000, now);
      assert.equal((await store.accounts.hitRateLimit("release|a", 60_000, now)).count, 1);
    });

    test("a suspended user's API tokens stop working", async () => {
      const user = await newUser();
      const { token } = await store.accounts.createApiToken(user.id, "cron", T0);
      await store.accounts.setSuspended(user.id, true, T0);
      assert.equal(await store.accounts.resolveApiToken(token, T0), null);
    });

    test("roles, verification, names; listing searches email and name with wildcards taken literally", async () => {
      await fresh();
      const a = await newUser({ email: "first@example.org", name: "Grace 100%" });
      const b = await newUser({ email: "second_one@example.org", name: "Alan" });
      assert.equal((await store.accounts.setRole(a.id, "admin")).role, "admin");
      assert.ok((await store.accounts.markVerified(b.id, at(5))).verifiedAt);
      assert.equal((await store.accounts.updateName(b.id, " Alan  Turing ")).name, "Alan Turing");
      assert.deepEqual(await store.accounts.countUsers(), { total: 2, admins: 1 });
      assert.deepEqual(
        (await store.accounts.listUsers({ query: "100%" })).map((u) => u.id),
        [a.id],
      );
      assert.deepEqual(
        (await store.accounts.listUsers({ query: "_one" })).map((u) => u.id),
        [b.id],
      );
      assert.deepEqual(
        (await store.accounts.listUsers({ query: "TURING" })).map((u) => u.id),
        [b.id],
      );
      assert.equal((await store.accounts.listUsers({ query: "e%" })).length, 0, "% is not a wildcard");
      assert.equal((await store.accounts.listUsers({ limit: 1 })).length, 1);
      await assert.rejects(store.accounts.setRole("no-such-id", "admin"), rejectsWith("unknown_user"));
    });

    test("rate limits count per key in fixed windows, atomically under concurrency", async () => {
      const window = 60_000;
      const base = new Date(Math.floor(T0.getTime() / window) * window);
      const hits = await Promise.all(
        Array.from({ length: 12 }, () => store.accounts.hitRateLimit("signin|1.2.3.4", window, base)),
      );
      assert.deepEqual(
        hits.map((h) => h.count).sort((x, y) => x - y),
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
      assert.equal(hits[0]?.resetAt.getTime(), base.getTime() + window);
      assert.equal((await store.accounts.hitRateLimit("signin|5.6.7.8", window, base)).count, 1, "other key");
      const next = await store.accounts.hitRateLimit(
        "signin|1.2.3.4",
        window,
        new Date(base.getTime() + window),
      );
      assert.equal(next.count, 1, "a new window starts from zero");
      const left = await rawRows(db, "select key from rate_limits");
      assert.ok(
        left.every((r) => !String(r.key).endsWith(`|${base.getTime()}`)),
        "finished windows are swept",
      );
    });
  });
}
