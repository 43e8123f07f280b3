/** The members' digest settings page: their subscriptions, each an editable form, and a form for a new one. */
import { type Follow, followsOf } from "../../core/digest.ts";
import { DELIVERY_CHANNELS } from "../../mail/digest/channels/index.ts";
import type { CategoryCount, Subscription } from "../../store/digests/index.ts";
import { Notice, PostForm } from "../accounts/views.tsx";
import { authorPath, categoryPath } from "../pages/browse.tsx";
import { type ChannelFieldErrors, typedConfig } from "./channel-targets.ts";
import { contentsOf, type MemberForm, scheduleOf } from "./forms.ts";
import { ScheduleFields } from "./views.tsx";

/** A channel's target as the form shows it: its settings (stored or typed), and its secret if it has one. */
export interface TargetDraft {
  kind: string;
  config: Readonly<Record<string, string>>;
  secret: string | null;
}

/** What a digest form shows: a saved subscription, or what the member just typed. */
export type MemberDraft = Pick<Subscription, "schedule" | "contents" | "emailEnabled"> & {
  targets: readonly TargetDraft[];
};

/** The form as typed; a target the subscription keeps still shows its secret. */
export function draftOf(f: MemberForm, sub?: Subscription): MemberDraft {
  return {
    schedule: scheduleOf(f),
    contents: contentsOf(f),
    emailEnabled: f.emailEnabled,
    targets: DELIVERY_CHANNELS.map((channel) => ({
      kind: channel.kind,
      config: typedConfig(channel, f.channels),
      secret: sub?.targets.find((t) => t.kind === channel.kind)?.secret ?? null,
    })),
  };
}

/** Marks a channel input that has a problem, and points to the sentence that says what it is. */
function invalidAttrs(field: string, errors: ChannelFieldErrors | undefined) {
  return errors?.[field] ? { "aria-invalid": "true", "aria-describedby": `${field}-error` } : {};
}

/** The problem with a channel input, shown right below it. */
function FieldError(props: { field: string; errors: ChannelFieldErrors | undefined }) {
  const text = props.errors?.[props.field];
  if (!text) return null;
  return (
    <>
      <br />
      <small class="field-error" id={`${props.field}-error`}>
        {text}
      </small>
    </>
  );
}

function MemberFields(props: {
  values?: MemberDraft;
  errors?: ChannelFieldErrors;
  categories: readonly CategoryCount[];
  idPrefix: string;
}) {
  const v = props.values;
  const c = v?.contents;
  return (
    <>
      <ScheduleFields
        {...(v ? { schedule: v.schedule, contents: v.contents } : {})}
        categories={props.categories}
        idPrefix={props.idPrefix}
      />
      <p>
        <label>
          Saved searches (one per line; filters such as cat:cs.CL work)
          <br />
          <textarea name="searches" rows={3} maxlength={4000}>
            {(c?.searches ?? []).map((s) => s.q).join("\n")}
          </textarea>
        </label>
      </p>
      <p>
        <label>
          Authors to follow (one per line)
          <br />
          <textarea name="authors" rows={2} maxlength={4000}>
            {(c?.authors ?? []).join("\n")}
          </textarea>
        </label>
      </p>
      <p>
        <label>
          <input type="checkbox" name="recommendations" checked={c?.recommendations ?? true} />{" "}
          Recommendations for me
        </label>{" "}
        <label>
          <input type="checkbox" name="emailEnabled" checked={v?.emailEnabled ?? true} /> Send by email
        </label>
      </p>
      {DELIVERY_CHANNELS.map((channel) => {
        const target = v?.targets.find((t) => t.kind === channel.kind);
        return (
          <p>
            {channel.fields.map((field) => (
              <>
                <label>
                  {field.prompt}
                  <br />
                  <input
                    type={field.type}
                    name={field.name}
                    value={target?.config[field.key] ?? ""}
                    maxlength={field.maxLength}
                    {...invalidAttrs(field.name, props.errors)}
                  />
                </label>
                <FieldError field={field.name} errors={props.errors} />
              </>
            ))}
            {target?.secret ? (
              <>
                <br />
                <small class="muted">
                  Signing secret: <code>{target.secret}</code>
                </small>
              </>
            ) : null}
          </p>
        );
      })}
    </>
  );
}

/** A form sent back to be corrected: which one ("new" or a subscription id), what was typed, what is wrong. */
export interface Rejected {
  form: string;
  values: MemberDraft;
  errors: ChannelFieldErrors;
}

const FOLLOW_KIND_LABELS = { author: "Author", category: "Category", search: "Search" } as const;

function followHref(follow: Follow): string {
  if (follow.kind === "author") return authorPath(follow.value);
  if (follow.kind === "category") return categoryPath(follow.value);
  return `/search?${new URLSearchParams({ q: follow.value })}`;
}

/** What a digest follows, each with a button that removes it. */
function FollowList(props: { sub: Subscription; csrf: string }) {
  const list = followsOf(props.sub.contents);
  if (list.length === 0) {
    return (
      <p class="muted">
        Nothing followed yet: use Follow on an author's or a category's page, or Alert me on a search.
      </p>
    );
  }
  return (
    <ul class="follows">
      {list.map((follow) => (
        <li>
          <span class="muted small">{FOLLOW_KIND_LABELS[follow.kind]}</span>{" "}
          <a href={followHref(follow)}>{follow.value}</a>{" "}
          <PostForm action="/unfollow" csrf={props.csrf} class="inline">
            <input type="hidden" name="kind" value={follow.kind} />
            <input type="hidden" name="value" value={follow.value} />
            <input type="hidden" name="subscription" value={props.sub.id} />
            <input type="hidden" name="next" value="/settings/digests" />
            <button type="submit" aria-label={`Remove ${follow.value}`}>
              Remove
            </button>
          </PostForm>
        </li>
      ))}
    </ul>
  );
}

interface SettingsProps {
  subs: Subscription[];
  categories: readonly CategoryCount[];
  csrf: string;
  error?: string | null;
  info?: string | null;
  rejected?: Rejected | undefined;
}

/** The form that starts a digest: what was typed when it was sent back, the defaults otherwise. */
function NewDigestForm(props: SettingsProps) {
  const { rejected } = props;
  return (
    <PostForm action="/settings/digests" csrf={props.csrf}>
      {rejected?.form === "new" ? (
        <MemberFields
          values={rejected.values}
          errors={rejected.errors}
          categories={props.categories}
          idPrefix="new"
        />
      ) : (
        <MemberFields categories={props.categories} idPrefix="new" />
      )}
      <button class="btn" type="submit">
        Subscribe
      </button>
    </PostForm>
  );
}

export function SettingsPage(props: SettingsProps) {
  const { rejected } = props;
  return (
    <section>
      <h1>Digests</h1>
      <Notice text={props.error} />
      <Notice text={props.info} kind="info" />
      {props.subs.map((sub) => (
        <article class="stack">
          <h2>
            {sub.schedule.frequency === "daily" ? "Daily" : "Weekly"} digest to {sub.email} ({sub.state})
          </h2>
          <p>
            <a href={`/settings/digests/${encodeURIComponent(sub.id)}/preview`}>Preview</a>
          </p>
          <h3>Following</h3>
          <FollowList sub={sub} csrf={props.csrf} />
          <h3>Schedule and contents</h3>
          <PostForm action={`/settings/digests/${encodeURIComponent(sub.id)}`} csrf={props.csrf}>
            {rejected?.form === sub.id ? (
              <MemberFields
                values={rejected.values}
                errors={rejected.errors}
                categories={props.categories}
                idPrefix={sub.id}
              />
            ) : (
              <MemberFields values={sub} categories={props.categories} idPrefix={sub.id} />
            )}
            <button class="btn" type="submit">
              Save
            </button>
          </PostForm>
          {sub.state === "active" || sub.state === "pending" ? (
            <PostForm
              action={`/settings/digests/${encodeURIComponent(sub.id)}/unsubscribe`}
              csrf={props.csrf}
              class="inline"
            >
              <button type="submit">Unsubscribe</button>
            </PostForm>
          ) : null}
        </article>
      ))}
      {props.subs.length === 0 || rejected?.form === "new" ? (
        <>
          <h2>{props.subs.length === 0 ? "Start your digest" : "New digest"}</h2>
          <NewDigestForm {...props} />
        </>
      ) : (
        <details>
          <summary>Start another digest</summary>
          <NewDigestForm {...props} />
        </details>
      )}
    </section>
  );
}
