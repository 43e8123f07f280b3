import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppDeps, AppEnv } from "../env.ts";
import { type PageSpec, renderPage } from "../views/page.tsx";

/** What every page handler needs: the dependencies and a way to render inside the layout. */
export interface Site {
  deps: AppDeps;
  render(c: Context<AppEnv>, spec: PageSpec, status?: ContentfulStatusCode): Promise<Response>;
  /** A page explaining what went wrong and what to try, with the right status. */
  problem(c: Context<AppEnv>, problem: Problem): Promise<Response>;
}

export interface Problem {
  status: 400 | 404 | 405 | 500;
  title: string;
  message: string;
  /** Suggestions shown under the message. */
  hint?: Child;
}

export function createSite(deps: AppDeps): Site {
  const baseUrl = deps.config.web.baseUrl;
  const render: Site["render"] = (c, spec, status) => renderPage(c, baseUrl, spec, status);
  return {
    deps,
    render,
    problem(c, problem) {
      return render(
        c,
        {
          title: problem.title,
          description: problem.message,
          noindex: true,
          children: (
            <section class="notice">
              <h1>{problem.title}</h1>
              <p>{problem.message}</p>
              {problem.hint ?? (
                <p>
                  Try the <a href="/">latest papers</a>, <a href="/trending">trending</a> or a{" "}
                  <a href="/search">search</a>.
                </p>
              )}
            </section>
          ),
        },
        problem.status,
      );
    },
  };
}
