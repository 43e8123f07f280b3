import type { User } from "../../core/accounts.ts";
import { describeError } from "../../core/errors.ts";
import type { RenderedMail } from "../../mail/message.ts";
import {
  renderAccountExistsMail,
  renderResetMail,
  renderSigninLinkMail,
  renderVerificationMail,
} from "../../mail/templates/accounts.ts";
import type { OneTimePurpose } from "../../store/accounts/index.ts";
import type { AppDeps } from "../env.ts";

const LINK_MAILS: Record<OneTimePurpose, { path: string; validFor: string; render: typeof renderResetMail }> =
  {
    verify: { path: "/verify", validFor: "48 hours", render: renderVerificationMail },
    reset: { path: "/reset", validFor: "1 hour", render: renderResetMail },
    signin: { path: "/signin/link", validFor: "15 minutes", render: renderSigninLinkMail },
  };

/** Sends an account mail; a failed delivery is logged and reported as false, never thrown at the reader. */
async function deliver(deps: AppDeps, user: User, purpose: string, mail: RenderedMail): Promise<boolean> {
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

/** Issues a one-time token and mails its link (the account change stands if the mail fails; ask again). */
async function mailLink(deps: AppDeps, user: User, purpose: OneTimePurpose): Promise<boolean> {
  const baseUrl = deps.config.web.baseUrl;
  const { path, validFor, render } = LINK_MAILS[purpose];
  const token = await deps.store.accounts.issueToken(user.id, purpose, deps.now());
  const link = `${baseUrl}${path}?token=${encodeURIComponent(token)}`;
  return deliver(deps, user, purpose, render({ name: user.name, link, siteUrl: baseUrl, validFor }));
}

export const sendVerificationMail = (deps: AppDeps, user: User) => mailLink(deps, user, "verify");
export const sendResetMail = (deps: AppDeps, user: User) => mailLink(deps, user, "reset");
export const sendSigninLinkMail = (deps: AppDeps, user: User) => mailLink(deps, user, "signin");

/** Tells the owner of an address that someone tried to sign up with it (no link that signs anyone in). */
export function sendAccountExistsMail(deps: AppDeps, user: User): Promise<boolean> {
  const baseUrl = deps.config.web.baseUrl;
  const mail = renderAccountExistsMail({
    name: user.name,
    link: `${baseUrl}/signin`,
    siteUrl: baseUrl,
    validFor: "",
  });
  return deliver(deps, user, "account-exists", mail);
}
