/**
 * The passwords people pick most, from the common-password list that ships as data in
 * `@zxcvbn-ts/language-common` (about 30,000 entries, most used first). A password is common when, lower-cased,
 * it is on the list, or is a listed word of 6+ letters with only digits and symbols around it
 * ("Password2024!", "!!baseball99"), the way such lists are usually padded to pass a length rule.
 */
import { dictionary } from "@zxcvbn-ts/language-common";

let listed: Set<string> | null = null;

function commonSet(): Set<string> {
  listed ??= new Set(dictionary["passwords-common"].map((p) => p.toLowerCase()));
  return listed;
}

export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  const set = commonSet();
  if (set.has(lower)) return true;
  const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/gu, "");
  return core.length >= 6 && core !== lower && set.has(core);
}
