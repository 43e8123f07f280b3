/**
 * Seeds a benchmark database fast, straight through better-sqlite3 in one transaction: synthetic papers (a
 * Zipf-like vocabulary so TF-IDF has something to learn), daily entries for trending, members with a few
 * upvotes and library items each, and one active daily subscription per member, all due.
 */
import Database from "better-sqlite3";

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function seedBench(
  path: string,
  options: { papers: number; subscribers: number; dueAt: string },
): void {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  const rand = rng(42);
  const vocabulary = Array.from({ length: 4000 }, (_, i) => `w${i.toString(36)}x`);
  const word = () => vocabulary[Math.floor(vocabulary.length * rand() ** 2.2)] as string;
  const sentence = (n: number) => Array.from({ length: n }, word).join(" ");
  const now = "2026-11-26T00:00:00.000Z";
  const ids: string[] = [];
  db.transaction(() => {
    const paper = db.prepare(
      `insert into papers (arxiv_id, title, abstract, authors_json, categories_json, primary_category, versions_json,
        latest_version, published_at, ai_keywords_json, sources_json, first_seen_at, last_updated_at)
       values (?, ?, ?, ?, '["cs.LG"]', 'cs.LG', '[]', 1, ?, '[]', '["arxiv-snapshot"]', ?, ?)`,
    );
    const daily = db.prepare(
      `insert into daily_entries (day, arxiv_id, source, upvotes, num_comments, first_seen_at, last_updated_at)
       values (?, ?, 'hf-daily', ?, 0, ?, ?)`,
    );
    const category = db.prepare(
      `insert into paper_categories (arxiv_id, category, is_primary) values (?, 'cs.LG', 1)`,
    );
    for (let i = 0; i < options.papers; i++) {
      const id = `2611.${String(10000 + i).padStart(5, "0")}`;
      const dayOffset = i % 10;
      const published = new Date(Date.parse("2026-11-25T12:00:00Z") - dayOffset * 86_400_000).toISOString();
      paper.run(id, sentence(9), sentence(150), JSON.stringify([`Author ${i % 500}`]), published, now, now);
      category.run(id);
      if (i % 3 === 0) daily.run(published.slice(0, 10), id, Math.floor(rand() * 100), now, now);
      ids.push(id);
    }
  })();
  db.transaction(() => {
    const user = db.prepare(
      `insert into users (id, email, name, password_hash, role, verified_at, created_at, updated_at)
       values (?, ?, ?, 'scrypt$bench', 'member', ?, ?, ?)`,
    );
    const vote = db.prepare(`insert or ignore into votes (arxiv_id, user_id, created_at) values (?, ?, ?)`);
    const saved = db.prepare(
      `insert or ignore into library_items (user_id, arxiv_id, saved_at) values (?, ?, ?)`,
    );
    const sub = db.prepare(
      `insert into digest_subscriptions (id, email, user_id, state, frequency, hour, weekday, time_zone, contents_json,
        email_enabled, hard_failures, next_due_at, created_at, confirmed_at, updated_at)
       values (?, ?, ?, 'active', 'daily', 8, 1, 'UTC', ?, 1, 0, ?, ?, ?, ?)`,
    );
    const contents = JSON.stringify({
      trending: 5,
      searches: [],
      categories: [],
      authors: [],
      recommendations: true,
    });
    for (let u = 0; u < options.subscribers; u++) {
      const id = `u${u}`;
      const email = `reader${u}@bench.example`;
      user.run(id, email, `Reader ${u}`, now, now, now);
      // Each reader leans to a slice of the papers, so models differ.
      const base = Math.floor(rand() * ids.length);
      for (let k = 0; k < 4; k++) vote.run(ids[(base + k * 7) % ids.length], id, now);
      saved.run(id, ids[(base + 3) % ids.length], now);
      sub.run(`s${u}`, email, id, contents, options.dueAt, now, now, now);
    }
  })();
  db.close();
}
