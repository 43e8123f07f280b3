import { type Kysely, type Migration, sql } from "kysely";
import { isPostgres, keyType } from "../migration-helpers.ts";

/**
 * The keyword index over papers' title, authors and abstract, kept in step with `papers` by triggers, so every
 * write path (ingest, bulk load, a manual fix) updates it in the same transaction and none has to know it.
 *
 * - SQLite: an FTS5 table, contentless (the text already lives in `papers`, so the index stores only the
 *   index) with deletes enabled, tokenized `porter unicode61 remove_diacritics 2`. Its rowids come from
 *   `paper_search_docs`, whose integer keys never change (a text-keyed table's rowid may on VACUUM).
 * - PostgreSQL: `paper_search` holds a stored tsvector per paper, title weight A and abstract C with the
 *   'english' configuration (stemmed, stop words dropped), authors weight B with 'simple' (names are not
 *   English words to stem), accents folded, behind a GIN index. A table of its own rather than a column on `papers`, so the
 *   many `select *` of papers never carry it.
 */
async function upSqlite(db: Kysely<unknown>): Promise<void> {
  await sql`create table paper_search_docs (doc_id integer primary key, arxiv_id text not null unique)`.execute(
    db,
  );
  await sql`create virtual table paper_search_fts using fts5(
      title, authors, abstract,
      content = '', contentless_delete = 1,
      tokenize = 'porter unicode61 remove_diacritics 2'
    )`.execute(db);
  // Authors are indexed as "First Last, First Last", read from the JSON list the papers row keeps.
  const authorsOf = (row: "new" | "p") =>
    sql.raw(`(select group_concat(value, ', ') from json_each(${row}.authors_json))`);
  await sql`create trigger paper_search_after_insert after insert on papers begin
      insert into paper_search_docs (arxiv_id) values (new.arxiv_id);
      insert into paper_search_fts (rowid, title, authors, abstract)
        values (last_insert_rowid(), new.title, ${authorsOf("new")}, new.abstract);
    end`.execute(db);
  await sql`create trigger paper_search_after_update after update of title, abstract, authors_json on papers
    when old.title is not new.title or old.abstract is not new.abstract or old.authors_json is not new.authors_json
    begin
      delete from paper_search_fts
        where rowid = (select doc_id from paper_search_docs where arxiv_id = new.arxiv_id);
      insert into paper_search_fts (rowid, title, authors, abstract)
        values ((select doc_id from paper_search_docs where arxiv_id = new.arxiv_id),
                new.title, ${authorsOf("new")}, new.abstract);
    end`.execute(db);
  await sql`create trigger paper_search_after_delete after delete on papers begin
      delete from paper_search_fts
        where rowid = (select doc_id from paper_search_docs where arxiv_id = old.arxiv_id);
      delete from paper_search_docs where arxiv_id = old.arxiv_id;
    end`.execute(db);
  // Papers stored before this migration.
  await sql`insert into paper_search_docs (arxiv_id) select arxiv_id from papers order by arxiv_id`.execute(
    db,
  );
  await sql`insert into paper_search_fts (rowid, title, authors, abstract)
      select d.doc_id, p.title, ${authorsOf("p")}, p.abstract
      from papers p join paper_search_docs d on d.arxiv_id = p.arxiv_id`.execute(db);
}

async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await sql`create table paper_search (
      arxiv_id ${keyType(db)} primary key references papers (arxiv_id) on delete cascade,
      document tsvector not null
    )`.execute(db);
  // Accents are folded away as the query parser and FTS5 (remove_diacritics) fold them, so "Núñez" and
  // "nunez" meet on every store. normalize() needs a UTF8 database, PostgreSQL's usual encoding.
  await sql`create function paper_search_fold(input text) returns text
      language sql immutable parallel safe
      as $$ select regexp_replace(normalize(input, NFKD), '[\\u0300-\\u036f]', '', 'g') $$`.execute(db);
  // One definition of a paper's document, used by the trigger and the backfill alike. The JSON punctuation
  // of authors_json is no word to the parser, so the names' words are what gets indexed.
  await sql`create function paper_search_document(title text, authors_json text, abstract text)
      returns tsvector language sql immutable parallel safe as $$
        select setweight(to_tsvector('english'::regconfig, paper_search_fold(title)), 'A')
            || setweight(to_tsvector('simple'::regconfig, paper_search_fold(authors_json)), 'B')
            || setweight(to_tsvector('english'::regconfig, paper_search_fold(abstract)), 'C')
      $$`.execute(db);
  await sql`create function paper_search_refresh() returns trigger language plpgsql as $$
      begin
        insert into paper_search (arxiv_id, document)
          values (new.arxiv_id, paper_search_document(new.title, new.authors_json, new.abstract))
          on conflict (arxiv_id) do update set document = excluded.document;
        return null;
      end
      $$`.execute(db);
  await sql`create trigger paper_search_after_insert after insert on papers
      for each row execute function paper_search_refresh()`.execute(db);
  await sql`create trigger paper_search_after_update after update of title, abstract, authors_json on papers
      for each row
      when (old.title is distinct from new.title or old.abstract is distinct from new.abstract
            or old.authors_json is distinct from new.authors_json)
      execute function paper_search_refresh()`.execute(db);
  // Deletes cascade through the foreign key. Backfill first, then build the index once.
  await sql`insert into paper_search (arxiv_id, document)
      select arxiv_id, paper_search_document(title, authors_json, abstract) from papers`.execute(db);
  await sql`create index paper_search_document_gin on paper_search using gin (document)`.execute(db);
}

export const searchMigrations: Record<string, Migration> = {
  "0003_search": {
    async up(db: Kysely<unknown>) {
      if (isPostgres(db)) await upPostgres(db);
      else await upSqlite(db);
      // Text matches are joined to papers by id, then filtered and sorted by date: with both in one index,
      // thousands of matches are checked without reading their (abstract-sized) rows.
      await db.schema
        .createIndex("papers_id_published_at")
        .on("papers")
        .columns(["arxiv_id", "published_at"])
        .execute();
    },
  },
};
