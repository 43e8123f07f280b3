import { describeError } from "../../core/index.ts";
import { digestLinks } from "../../mail/digest/links.ts";
import { renderConfirmation } from "../../mail/digest/render.ts";
import type { Subscription } from "../../store/digests/index.ts";
import type { AppDeps } from "../env.ts";

/**
 * Mails a pending subscription its signed double opt-in link. A failed delivery is logged and reported as
 * false (the subscription stays pending; the reader may ask again), never thrown at the reader.
 */
export async function sendConfirmation(deps: AppDeps, sub: Subscription): Promise<boolean> {
  const baseUrl = deps.config.web.baseUrl;
  const mail = renderConfirmation({
    confirm: digestLinks(baseUrl, deps.secret, sub.id).confirm,
    siteUrl: baseUrl,
    frequency: sub.schedule.frequency,
  });
  try {
    await deps.mailer.send({ to: sub.email, ...mail });
    return true;
  } catch (error) {
    deps.logger.warn("could not send a digest confirmation", { error: describeError(error) });
    return false;
  }
}
