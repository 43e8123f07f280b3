/**
 * What the URL channels share. Members type these URLs, so every request goes through the guarded client
 * (`src/net`): public addresses only unless the operator allow-listed the host, checked when the URL is saved
 * and again when a digest is sent. A send's outcome is classified for the ledger: a refused URL, a redirect
 * or a refusal (4xx other than 408 and 429) is hard, anything else (5xx, timeouts, refused connections) is
 * worth a retry.
 */
import { checkOutboundUrl, guardedPost, OutboundError } from "../../../net/guarded-fetch.ts";
import { ChannelError, type CheckContext, type SendContext } from "./channel.ts";

/** Why Paperboy would not call `url` (see `checkOutboundUrl`), or null when it would. */
export async function unreachable(url: string, ctx: CheckContext): Promise<string | null> {
  try {
    await checkOutboundUrl(url, ctx.policy, ctx.resolve ? { resolve: ctx.resolve } : {});
    return null;
  } catch (error) {
    if (error instanceof OutboundError) return error.message;
    throw error;
  }
}

/** POSTs JSON through the guarded client; resolves on 2xx, throws ChannelError (hard or soft) otherwise. */
export async function postJson(
  url: string,
  body: string,
  ctx: SendContext,
  headers: Record<string, string> = {},
): Promise<void> {
  let status: number;
  try {
    const response = await guardedPost(
      url,
      { body, headers: { "content-type": "application/json", "user-agent": "Paperboy digest", ...headers } },
      ctx.policy,
    );
    status = response.status;
  } catch (error) {
    throw error instanceof OutboundError ? new ChannelError(error.message, error.hard) : error;
  }
  if (status >= 200 && status < 300) return;
  const hard = status >= 400 && status < 500 && status !== 408 && status !== 429;
  throw new ChannelError(`the webhook answered ${status}`, hard);
}

/** A URL's host, for describing a target without its path (which may carry a token). */
export function hostOf(url: string | undefined): string {
  try {
    return new URL(url ?? "").host || "?";
  } catch {
    return "?";
  }
}
