import type { User } from "../../core/accounts.ts";
import { describeError } from "../../core/errors.ts";
import { renderResetMail, renderVerificationMail } from "../../mail/templates/accounts.ts";
import type { AppDeps } from "../env.ts";

/**
 * Issues a one-time token and mails its link. A failed delivery is logged and reported as false (the account
 * change stands; the user can ask again), never thrown at the reader.
 */
async function mailLink(deps: AppDeps, user: User, purpose: "verify" | "reset"): Promise<boolean> {
  const baseUrl = deps.config.web.baseUrl;
  const token = await deps.store.accounts.issueToken(user.id, purpose, deps.now());
  const input = {
    name: user.name,
    link: `${baseUrl}/${purpose}?token=${encodeURIComponent(token)}`,
    siteUrl: baseUrl,
    validFor: purpose === "verify" ? "48 hours" : "1 hour",
  };
  const mail = purpose === "verify" ? renderVerificationMail(input) : renderResetMail(input);
  try {
    await deps.mailer.send({ to: user.email, ...mail });
    return true;
  } catch (error) {
    deps.logger.error("could not send account mail", {
      purpose,
      userId: user.id,
      error: describeError(error),
    });
    return false;
  }
}

export const sendVerificationMail = (deps: AppDeps, user: User) => mailLink(deps, user, "verify");
export const sendResetMail = (deps: AppDeps, user: User) => mailLink(deps, user, "reset");
