/** Form pieces shared by the public subscribe form and the members' settings. */
import type { DeliverySchedule, DigestContents } from "../../core/digest.ts";
import type { CategoryCount } from "../../store/digests/index.ts";
import { WEEKDAYS } from "./forms.ts";

const DEFAULT_SCHEDULE: DeliverySchedule = { frequency: "daily", hour: 8, weekday: 1, timeZone: "UTC" };

/** The runtime's time zones (IANA names), UTC first; read once. */
const TIME_ZONES: readonly string[] = (() => {
  const zones = Intl.supportedValuesOf("timeZone");
  return ["UTC", ...zones.filter((z) => z !== "UTC")];
})();

function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, "0")}:00`;
}

/** How often: the one schedule choice the public form asks for. */
function FrequencySelect(props: { schedule: DeliverySchedule; id: string }) {
  return (
    <span class="field">
      <label for={props.id}>How often</label>
      <select id={props.id} name="frequency" data-frequency>
        <option value="daily" selected={props.schedule.frequency === "daily"}>
          Daily
        </option>
        <option value="weekly" selected={props.schedule.frequency === "weekly"}>
          Weekly
        </option>
      </select>
    </span>
  );
}

/**
 * The anonymous form's schedule: how often, nothing else. The hour and weekday take their defaults; the time
 * zone is the browser's, set by the page's script (UTC without it).
 */
export function PublicScheduleFields() {
  const s = DEFAULT_SCHEDULE;
  return (
    <>
      <p>
        <FrequencySelect schedule={s} id="subscribe-frequency" />
      </p>
      <input type="hidden" name="hour" value={String(s.hour)} />
      <input type="hidden" name="weekday" value={String(s.weekday)} />
      <input type="hidden" name="timeZone" value={s.timeZone} data-tz-guess />
    </>
  );
}

/**
 * A member's schedule and categories: selects for the time zone (the runtime's list; a new form takes the
 * browser's zone through the page's script), the hour and the weekday (shown for weekly digests only), and
 * the library's categories as checkboxes with their paper counts.
 */
export function ScheduleFields(props: {
  schedule?: DeliverySchedule;
  contents?: DigestContents;
  categories?: readonly CategoryCount[];
  /** Distinguishes the ids of several forms on one page. */
  idPrefix?: string;
}) {
  const s = props.schedule ?? DEFAULT_SCHEDULE;
  const trending = props.contents?.trending ?? 10;
  const chosen = new Set(props.contents?.categories ?? []);
  const counts = props.categories ?? [];
  // Followed categories the library has no paper in (yet) stay listed, so saving keeps them.
  const listed = [
    ...counts,
    ...[...chosen]
      .filter((c) => !counts.some((k) => k.category === c))
      .map((category) => ({ category, papers: 0 })),
  ];
  const zones = TIME_ZONES.includes(s.timeZone) ? TIME_ZONES : [s.timeZone, ...TIME_ZONES];
  const id = (name: string) => `${props.idPrefix ?? "new"}-${name}`;
  return (
    <>
      <p class="fields">
        <FrequencySelect schedule={s} id={id("frequency")} />{" "}
        <span class="field" data-weekly hidden={s.frequency !== "weekly"}>
          <label for={id("weekday")}>On</label>
          <select id={id("weekday")} name="weekday">
            {WEEKDAYS.map((name, i) => (
              <option value={String(i + 1)} selected={s.weekday === i + 1}>
                {name}
              </option>
            ))}
          </select>
        </span>{" "}
        <span class="field">
          <label for={id("hour")}>At</label>
          <select id={id("hour")} name="hour">
            {Array.from({ length: 24 }, (_, h) => (
              <option value={String(h)} selected={s.hour === h}>
                {hourLabel(h)}
              </option>
            ))}
          </select>
        </span>{" "}
        <span class="field">
          <label for={id("zone")}>Time zone</label>
          <select id={id("zone")} name="timeZone" {...(props.schedule ? {} : { "data-tz-guess": "" })}>
            {zones.map((zone) => (
              <option value={zone} selected={zone === s.timeZone}>
                {zone.replace(/_/g, " ")}
              </option>
            ))}
          </select>
        </span>
      </p>
      <p>
        <label>
          Trending papers (0 for none)
          <br />
          <input type="number" name="trending" min={0} max={25} value={String(trending)} />
        </label>
      </p>
      {listed.length > 0 ? (
        <fieldset class="categories">
          <legend>Categories to follow</legend>
          {listed.map((c) => (
            <label class="check" for={id(`cat-${c.category}`)}>
              <input
                type="checkbox"
                id={id(`cat-${c.category}`)}
                name="categories"
                value={c.category}
                checked={chosen.has(c.category)}
              />{" "}
              {c.category} <span class="muted">({c.papers > 0 ? c.papers : "no papers yet"})</span>
            </label>
          ))}
        </fieldset>
      ) : (
        <p>
          <label>
            Categories to follow (comma separated, e.g. cs.CL, cs.LG)
            <br />
            <input type="text" name="categories" value={[...chosen].join(", ")} maxlength={4000} />
          </label>
        </p>
      )}
    </>
  );
}
