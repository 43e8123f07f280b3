import type { Context, Hono } from "hono";
import { requireVerified } from "../accounts/session.ts";
import type { AppDeps, AppEnv } from "../env.ts";
import { periodPath } from "../pages/listing.tsx";
import { formatDay } from "../views/format.ts";
import { renderPage } from "../views/page.tsx";
import { paperPath } from "../views/paper-card.tsx";
import { Tex } from "../views/tex.tsx";
import { COMMUNITY_RATE_RULES, formField, member, rateLimited } from "./shared.ts";
import { type SubmitOutcome, submitPaper } from "./submission.ts";

/** Longest text accepted in the field (a URL with tracking parameters fits). */
const MAX_INPUT = 500;

function SubmitForm(props: { csrf: string; value: string }) {
  return (
    <form class="submit-form" method="post" action="/submit">
      <input type="hidden" name="_csrf" value={props.csrf} />
      <label>
        arXiv id or URL{" "}
        <input
          name="paper"
          value={props.value}
          required
          maxlength={MAX_INPUT}
          placeholder="2405.15738 or https://arxiv.org/abs/2405.15738"
          autocomplete="off"
        />
      </label>{" "}
      <button type="submit">Submit</button>
    </form>
  );
}

/** What a visitor or an unverified member sees instead of the form. */
function Gate(props: { c: Context<AppEnv> }) {
  const user = props.c.get("user");
  if (!user) {
    return (
      <p>
        <a href="/signin?next=%2Fsubmit">Sign in</a> (or <a href="/signup">sign up</a>) to submit a paper.
      </p>
    );
  }
  return (
    <p>
      Verify your email address to submit papers: follow the link we mailed you, or send a new one from{" "}
      <a href="/settings">your settings</a>.
    </p>
  );
}

function Outcome(props: { outcome: SubmitOutcome }) {
  const { outcome } = props;
  switch (outcome.kind) {
    case "added":
      return (
        <p class="notice" role="status">
          Added{" "}
          <a href={paperPath(outcome.paper.id)}>
            <Tex text={outcome.paper.title} />
          </a>{" "}
          to the list of <a href={periodPath("day", outcome.day)}>{formatDay(outcome.day)}</a>. Thank you!
        </p>
      );
    case "duplicate":
      return (
        <p class="problem" role="alert">
          arXiv:{outcome.paperId} is already here
          {outcome.featuredOn ? ` (on the list of ${formatDay(outcome.featuredOn)})` : ""}
          {outcome.submission?.state === "pending" ? " (someone is submitting it right now)" : ""}:{" "}
          <a href={paperPath(outcome.paperId)}>see the paper</a>.
        </p>
      );
    default:
      return (
        <p class="problem" role="alert">
          {outcome.message}
        </p>
      );
  }
}

const STATUS: Record<SubmitOutcome["kind"], 200 | 400 | 404 | 409 | 503> = {
  added: 200,
  invalid: 400,
  unknown: 404,
  duplicate: 409,
  unavailable: 503,
};

/** The outcome for scripts; who else submitted a paper is not shown (only that it is here). */
function outcomeJson(outcome: SubmitOutcome) {
  switch (outcome.kind) {
    case "added":
      return { kind: outcome.kind, paperId: outcome.paper.id, day: outcome.day };
    case "duplicate":
      return { kind: outcome.kind, paperId: outcome.paperId, featuredOn: outcome.featuredOn };
    default:
      return outcome;
  }
}

function submitPage(
  c: Context<AppEnv>,
  deps: AppDeps,
  state: { value: string; outcome: SubmitOutcome | null },
) {
  const user = c.get("user");
  const status = state.outcome ? STATUS[state.outcome.kind] : 200;
  // After a success the form is emptied for the next paper; after a refusal it keeps what was typed.
  const value = state.outcome?.kind === "added" ? "" : state.value;
  return renderPage(
    c,
    deps.config.web.baseUrl,
    {
      title: "Submit a paper",
      current: "submit",
      canonicalPath: "/submit",
      children: (
        <section class="submit">
          <h1>Submit a paper</h1>
          <p>
            Found a paper worth reading? Enter its arXiv id or link: it is fetched from arXiv and joins
            today's list, with you as its submitter.
          </p>
          {state.outcome ? <Outcome outcome={state.outcome} /> : null}
          {user?.verified ? <SubmitForm csrf={c.get("csrf")} value={value} /> : <Gate c={c} />}
        </section>
      ),
    },
    status,
  );
}

/** GET /submit (the form) and POST /submit (verified members). */
export function mountSubmit(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get("/submit", (c) => submitPage(c, deps, { value: "", outcome: null }));

  app.post("/submit", requireVerified, async (c) => {
    const user = member(c);
    const value = (await formField(c, "paper")).trim().slice(0, MAX_INPUT);
    const limited = await rateLimited(c, deps, COMMUNITY_RATE_RULES.submissions, user);
    if (limited) return limited;
    const outcome =
      value === ""
        ? { kind: "invalid" as const, message: "Enter an arXiv id or URL." }
        : await submitPaper(deps, user, value);
    if (/application\/json/i.test(c.req.header("accept") ?? ""))
      return c.json(outcomeJson(outcome), STATUS[outcome.kind]);
    return submitPage(c, deps, { value, outcome });
  });
}
