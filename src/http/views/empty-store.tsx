/**
 * The home page of a fresh install: everything needed to fill the store, on one screen, with commands that
 * work as written.
 */
export function EmptyStore() {
  return (
    <section class="notice">
      <h1>No papers yet</h1>
      <p>This Paperboy store is empty. Fill it in one of these ways, then reload this page.</p>
      <h2>Import files</h2>
      <p>
        Hugging Face daily-papers responses, arXiv's metadata snapshot or a Paperboy export (.json, .jsonl,
        .gz):
      </p>
      <pre>
        <code>npm run paperboy -- import path/to/2024-05-27.json path/to/arxiv-metadata.jsonl</code>
      </pre>
      <h2>Sync from the sources</h2>
      <p>The Hugging Face daily lists for a range of days, then arXiv papers of a category:</p>
      <pre>
        <code>
          {
            "npm run paperboy -- sync hf --from 2024-05-20 --to 2024-05-27\nnpm run paperboy -- sync arxiv --category cs.LG --since 2024-05-20"
          }
        </code>
      </pre>
      <h2>Keep it up to date</h2>
      <p>
        <code>npm start</code> runs the worker in the web server's process: on a first run it fetches the
        latest Hugging Face daily lists and the arXiv listings of <code>PAPERBOY_CATEGORIES</code>, then syncs
        on a schedule (<code>PAPERBOY_SCHEDULE_HF</code>, <code>PAPERBOY_SCHEDULE_ARXIV</code>). A server
        started with <code>--no-worker</code> needs one beside it:
      </p>
      <pre>
        <code>npm run paperboy -- worker</code>
      </pre>
      <p class="muted small">
        Every command has <code>--help</code>. <code>npm run paperboy -- status</code> shows what each source
        last did.
      </p>
    </section>
  );
}

/** Papers are stored but no source gave daily lists (e.g. only arXiv was imported). */
export function NoDailyLists(props: { papers: number }) {
  return (
    <section class="notice">
      <h1>No daily lists yet</h1>
      <p>
        The store holds {props.papers} papers, but none has been on a daily list. Daily lists come from
        Hugging Face:
      </p>
      <pre>
        <code>npm run paperboy -- sync hf --from 2024-05-20 --to 2024-05-27</code>
      </pre>
      <p>
        Meanwhile, <a href="/search?sort=date">browse the newest papers</a> or search them.
      </p>
    </section>
  );
}
