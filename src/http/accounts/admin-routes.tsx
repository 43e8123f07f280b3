/** Admin pages for people: list and search users, suspend and unsuspend them. */
import { type Context, Hono } from "hono";
import type { User } from "../../core/accounts.ts";
import type { AppDeps, AppEnv } from "../env.ts";
import { renderPage } from "../views/page.tsx";
import { messagePage } from "./message.tsx";
import { requireAdmin } from "./session.ts";
import { Notice, PostForm } from "./views.tsx";

const PAGE_SIZE = 50;
const MAX_QUERY = 200;

const DONE_NOTICES: Record<string, string> = {
  suspended: "The user is suspended and signed out everywhere.",
  unsuspended: "The user can sign in again.",
};

function UserRow(props: { user: User; csrf: string; self: boolean }) {
  const { user, csrf } = props;
  const action = user.suspendedAt ? "unsuspend" : "suspend";
  return (
    <tr>
      <td>{user.email}</td>
      <td>{user.name}</td>
      <td>{user.role}</td>
      <td>{user.verifiedAt ? "yes" : "no"}</td>
      <td>{user.suspendedAt ? `suspended ${user.suspendedAt.slice(0, 10)}` : "active"}</td>
      <td>{user.createdAt.slice(0, 10)}</td>
      <td>
        {props.self ? (
          <span class="muted">you</span>
        ) : (
          <PostForm
            action={`/admin/users/${encodeURIComponent(user.id)}/${action}`}
            csrf={csrf}
            class="inline"
          >
            <button type="submit">{action === "suspend" ? "Suspend" : "Unsuspend"}</button>
          </PostForm>
        )}
      </td>
    </tr>
  );
}

export function adminRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const baseUrl = deps.config.web.baseUrl;
  app.use("/admin/users", requireAdmin);
  app.use("/admin/users/*", requireAdmin);

  app.get("/admin/users", async (c) => {
    const query = (c.req.query("q") ?? "").slice(0, MAX_QUERY);
    const pageNumber = Math.max(1, Math.min(10_000, Number.parseInt(c.req.query("page") ?? "1", 10) || 1));
    const [users, counts] = await Promise.all([
      deps.store.accounts.listUsers({ query, limit: PAGE_SIZE + 1, offset: (pageNumber - 1) * PAGE_SIZE }),
      deps.store.accounts.countUsers(),
    ]);
    const more = users.length > PAGE_SIZE;
    const me = c.get("user");
    const link = (p: number) =>
      `/admin/users?${new URLSearchParams({ ...(query ? { q: query } : {}), page: String(p) })}`;
    return renderPage(c, baseUrl, {
      title: "Users",
      noindex: true,
      children: (
        <section>
          <h1>Users</h1>
          <p class="muted">
            {counts.total} users, {counts.admins} administrators.
          </p>
          <Notice text={DONE_NOTICES[c.req.query("done") ?? ""]} kind="info" />
          <form method="get" action="/admin/users" class="filters">
            <input
              type="search"
              name="q"
              value={query}
              placeholder="Email or name"
              aria-label="Find users"
              maxlength={MAX_QUERY}
            />
            <button type="submit">Find</button>
          </form>
          <table class="params">
            <thead>
              <tr>
                <th>Email</th>
                <th>Name</th>
                <th>Role</th>
                <th>Verified</th>
                <th>State</th>
                <th>Joined</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {users.slice(0, PAGE_SIZE).map((user) => (
                <UserRow user={user} csrf={c.get("csrf")} self={user.id === me?.id} />
              ))}
            </tbody>
          </table>
          <nav class="pager">
            {pageNumber > 1 ? <a href={link(pageNumber - 1)}>← Previous</a> : <span />}
            {more ? <a href={link(pageNumber + 1)}>Next →</a> : <span />}
          </nav>
        </section>
      ),
    });
  });

  const setSuspended = (suspended: boolean) => async (c: Context<AppEnv>) => {
    const id = (c.req.param("id") ?? "").slice(0, 100);
    const target = await deps.store.accounts.getUser(id);
    if (!target) {
      return messagePage(c, baseUrl, 404, {
        code: "not_found",
        title: "No such user",
        text: "That user does not exist.",
      });
    }
    if (target.id === c.get("user")?.id) {
      return messagePage(c, baseUrl, 400, {
        code: "self_suspend",
        title: "Not yourself",
        text: "You cannot suspend your own account.",
        link: { href: "/admin/users", label: "Back to users" },
      });
    }
    await deps.store.accounts.setSuspended(target.id, suspended, deps.now());
    deps.logger.info(suspended ? "user suspended" : "user unsuspended", {
      userId: target.id,
      by: c.get("user")?.id,
    });
    return c.redirect(`/admin/users?done=${suspended ? "suspended" : "unsuspended"}`, 303);
  };
  app.post("/admin/users/:id/suspend", setSuspended(true));
  app.post("/admin/users/:id/unsuspend", setSuspended(false));

  return app;
}
