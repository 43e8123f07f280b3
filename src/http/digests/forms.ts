/** The digest forms' inputs, parsed once at the edge into a schedule and contents the store accepts. */
import { z } from "zod";
import { EMAIL_MAX_LENGTH } from "../../core/accounts.ts";
import {
  type DeliverySchedule,
  type DigestContents,
  isTimeZone,
  MAX_SECTION_ITEMS,
} from "../../core/digest.ts";
import { type ChannelField, DELIVERY_CHANNELS } from "../../mail/digest/channels/index.ts";

const SIMPLE_EMAIL = /^[^\s<>,;:"()\\@]+@[^\s<>,;:"()\\@]+\.[^\s<>,;:"()\\@]+$/;
const MAX_LIST = 20;

const list = (label: string, split: RegExp, max: number) =>
  z
    .string()
    .max(4000, `${label} is too long.`)
    .optional()
    .transform((v) => [
      ...new Set(
        (v ?? "")
          .split(split)
          .map((s) => s.trim().replace(/\s+/g, " "))
          .filter(Boolean),
      ),
    ])
    .refine((items) => items.length <= MAX_LIST, `At most ${MAX_LIST} ${label.toLowerCase()}.`)
    .refine((items) => items.every((s) => s.length <= max), `${label}: each at most ${max} characters.`);

/** A channel input's shape only; what it names is checked afterwards (`checkTargets`). */
const channelInput = (field: ChannelField) =>
  z
    .string()
    .trim()
    .max(field.maxLength, `${field.label} is too long.`)
    .optional()
    .transform((v) => (v ? v : null));

/** Every channel's inputs (src/mail/digest/channels), by input name; empty ones are null. */
const channelInputs = z.object(
  Object.fromEntries(DELIVERY_CHANNELS.flatMap((c) => c.fields.map((f) => [f.name, channelInput(f)]))),
);

export const scheduleFields = {
  frequency: z.enum(["daily", "weekly"], { message: "Choose daily or weekly." }),
  hour: z.coerce.number().int().min(0, "Hour is 0 to 23.").max(23, "Hour is 0 to 23."),
  weekday: z.coerce.number().int().min(1, "Pick a weekday.").max(7, "Pick a weekday.").default(1),
  timeZone: z
    .string()
    .trim()
    .max(64, "Unknown time zone.")
    .refine(isTimeZone, "Unknown time zone (use a name such as Europe/Paris)."),
  trending: z.coerce
    .number()
    .int()
    .min(0, "Trending is 0 to 25.")
    .max(MAX_SECTION_ITEMS, "Trending is 0 to 25.")
    .default(10),
  categories: list("Categories", /[,\s]+/, 20).refine(
    (items) => items.every((c) => /^[a-z-]+(\.[A-Za-z-]+)?$/.test(c)),
    "Categories look like cs.CL or math.",
  ),
};

export const subscribeForm = z.object({
  email: z
    .string()
    .trim()
    .min(1, "Email address is required.")
    .max(EMAIL_MAX_LENGTH, "Email address is too long.")
    .refine((v) => SIMPLE_EMAIL.test(v), "That is not an email address."),
  ...scheduleFields,
});

/** The member's form; the channels' inputs, whatever the channels are, come out together as `channels`. */
export const memberForm = z.preprocess(
  (form) => ({ ...(form as object), channels: form }),
  z.object({
    ...scheduleFields,
    searches: list("Saved searches", /\r?\n/, 200),
    authors: list("Authors", /\r?\n|,/, 100),
    recommendations: z
      .string()
      .optional()
      .transform((v) => v === "on"),
    emailEnabled: z
      .string()
      .optional()
      .transform((v) => v === "on"),
    channels: channelInputs,
  }),
);

export type SubscribeForm = z.infer<typeof subscribeForm>;
export type MemberForm = z.infer<typeof memberForm>;

export function scheduleOf(f: {
  frequency: "daily" | "weekly";
  hour: number;
  weekday: number;
  timeZone: string;
}): DeliverySchedule {
  return { frequency: f.frequency, hour: f.hour, weekday: f.weekday, timeZone: f.timeZone };
}

export function contentsOf(
  f: Partial<MemberForm> & { trending: number; categories: string[] },
): DigestContents {
  return {
    trending: f.trending,
    categories: f.categories,
    searches: (f.searches ?? []).map((q) => ({ q })),
    authors: f.authors ?? [],
    recommendations: f.recommendations ?? false,
  };
}

export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
