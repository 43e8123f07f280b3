/** Form pieces shared by the public subscribe form and the members' settings. */
import type { DeliverySchedule, DigestContents } from "../../core/digest.ts";
import { WEEKDAYS } from "./forms.ts";

export function ScheduleFields(props: { schedule?: DeliverySchedule; contents?: DigestContents }) {
  const s = props.schedule ?? { frequency: "daily", hour: 8, weekday: 1, timeZone: "UTC" };
  const trending = props.contents?.trending ?? 10;
  return (
    <>
      <p>
        <label>
          How often
          <br />
          <select name="frequency">
            <option value="daily" selected={s.frequency === "daily"}>
              Daily
            </option>
            <option value="weekly" selected={s.frequency === "weekly"}>
              Weekly
            </option>
          </select>
        </label>{" "}
        <label>
          on (weekly)
          <br />
          <select name="weekday">
            {WEEKDAYS.map((name, i) => (
              <option value={String(i + 1)} selected={s.weekday === i + 1}>
                {name}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          at hour
          <br />
          <input type="number" name="hour" min={0} max={23} value={String(s.hour)} required />
        </label>
      </p>
      <p>
        <label>
          Time zone
          <br />
          <input type="text" name="timeZone" value={s.timeZone} maxlength={64} required />
        </label>
        <br />
        <small class="muted">A name such as Europe/Paris or America/New_York.</small>
      </p>
      <p>
        <label>
          Trending papers (0 for none)
          <br />
          <input type="number" name="trending" min={0} max={25} value={String(trending)} />
        </label>
      </p>
      <p>
        <label>
          Categories to follow (comma separated, e.g. cs.CL, cs.LG)
          <br />
          <input
            type="text"
            name="categories"
            value={(props.contents?.categories ?? []).join(", ")}
            maxlength={4000}
          />
        </label>
      </p>
    </>
  );
}
