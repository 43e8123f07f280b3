import { type FillStatus, queuedSummary, type SourceFailure } from "../../jobs/fill-status.ts";

/** `12:30 UTC` today, or `4 Dec 12:30 UTC` another day. */
function when(iso: string, now: Date): string {
  const d = new Date(iso);
  const time = `${d.toISOString().slice(11, 16)} UTC`;
  if (d.toISOString().slice(0, 10) === now.toISOString().slice(0, 10)) return time;
  return `${d.toISOString().slice(0, 10)} ${time}`;
}

function retryText(failure: SourceFailure, now: Date): string {
  if (failure.retry === "now") return "Retrying now.";
  if (failure.retry === null) return "No retry is planned; an operator can run `paperboy sync`.";
  const inMs = Date.parse(failure.retry) - now.getTime();
  if (inMs <= 0) return "Retrying shortly.";
  const minutes = Math.ceil(inMs / 60_000);
  const span = minutes < 60 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
  return `Next try at ${when(failure.retry, now)} (in ${span}).`;
}

/**
 * What the worker is fetching and how far it got, and which sources fail, why and when they are tried again:
 * shown on the home page while the store fills, and whenever a source fails.
 */
export function FillNotice(props: { status: FillStatus; now: Date }) {
  const { activities, failures } = props.status;
  if (activities.length === 0 && failures.length === 0) return null;
  const running = activities.filter((a) => a.running);
  const waiting = activities.filter((a) => !a.running);
  return (
    <section class="notice fill-status" aria-live="polite">
      {activities.length > 0 && (
        <ul>
          {running.map((a) => (
            <li>
              {a.label}
              {a.progress ? `: ${a.progress.done} of ${a.progress.total} ${a.progress.unit}` : ""}…
            </li>
          ))}
          {waiting.length > 0 && <li class="muted">{queuedSummary(waiting, running.length > 0)}</li>}
        </ul>
      )}
      {failures.length > 0 && (
        <ul class="error">
          {failures.map((f) => (
            <li>
              <strong>{f.label} failed</strong>: {f.reason.summary}. {retryText(f, props.now)}{" "}
              <span class="muted small">({f.error})</span>
            </li>
          ))}
        </ul>
      )}
      {props.status.backfilling && (
        <p class="muted small">Papers appear here day by day; this page reloads itself every 10 seconds.</p>
      )}
    </section>
  );
}
