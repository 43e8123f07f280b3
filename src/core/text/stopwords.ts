/**
 * English stop words: function words that carry no topic. They are dropped from documents and queries alike
 * (a query made only of them gets a clear message instead of results). Negations ("not", "no") are stop words
 * too: bag-of-words ranking cannot use them, and keeping them only rewards documents that happen to say "not".
 */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a about after again against all am an and any are as at be because been before being " +
    "between both but by can could did do does doing during each few for from further had has have " +
    "having he her here hers herself him himself his how i if in into is it its itself just me more most my " +
    "myself no nor not now of on once only or other our ours ourselves own same she should so " +
    "some such than that the their theirs them themselves then there these they this those through to too " +
    "until very was we were what when where which while who whom why will with would you your " +
    "yours yourself yourselves also may might must shall via upon whether within without"
  ).split(" "),
);
