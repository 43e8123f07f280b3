import type { Context } from "hono";
import type { ImagesConfig } from "../../config/config.ts";
import type { ArxivId, DailyEntry } from "../../core/index.ts";
import type { AppEnv } from "../env.ts";
import { VoteButton } from "../views/community.tsx";
import type { CardPictures } from "../views/paper-card.tsx";
import type { Site } from "./site.tsx";

/** What a list page needs from the community module beyond the listing itself. */
export interface ListExtras {
  /** Papers an admin hid: left out of every list. */
  hidden: ReadonlySet<ArxivId>;
  /** The vote control of a card: a toggle for members; null for visitors, who see the plain count. */
  vote(paperId: ArxivId, count: number): ReturnType<typeof VoteButton> | null;
  /** Where a card's pictures come from (this site's copies by default); null where there is none. */
  pictures(entry: DailyEntry | null | undefined): CardPictures;
}

const NO_PICTURES: CardPictures = { thumbnail: null, avatar: null, organizationAvatar: null };

function hostAllowed(url: string, hosts: readonly string[]): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "https:" && hosts.includes(u.host.toLowerCase());
  } catch {
    return false;
  }
}

/**
 * Resolves the pictures daily entries name, as the configuration says: `local` links to the worker's copies
 * under `/images/` (one query for the whole list; a picture not fetched yet gets the placeholder), `source` to
 * the source's URL on an allowed host, `off` to nothing.
 */
export async function loadPictures(
  site: Site,
  entries: readonly (DailyEntry | null | undefined)[],
): Promise<ListExtras["pictures"]> {
  const images: ImagesConfig = site.deps.config.images;
  if (images.mode === "off") return () => NO_PICTURES;
  if (images.mode === "source") {
    const pick = (url: string | null | undefined) => (url && hostAllowed(url, images.hosts) ? url : null);
    return (entry) => ({
      thumbnail: pick(entry?.media?.thumbnail),
      avatar: pick(entry?.media?.submitterAvatar),
      organizationAvatar: pick(entry?.media?.organizationAvatar),
    });
  }
  const urls: string[] = [];
  for (const e of entries) {
    const m = e?.media;
    if (!m) continue;
    for (const u of [m.thumbnail, m.submitterAvatar, m.organizationAvatar]) if (u) urls.push(u);
  }
  const names = urls.length > 0 ? await site.deps.store.media.localNames(urls) : new Map<string, string>();
  const local = (url: string | null | undefined) => {
    const name = url ? names.get(url) : undefined;
    return name ? `/images/${name}` : null;
  };
  return (entry) => ({
    thumbnail: local(entry?.media?.thumbnail),
    avatar: local(entry?.media?.submitterAvatar),
    organizationAvatar: local(entry?.media?.organizationAvatar),
  });
}

/** One query for hidden papers, one for the member's votes when signed in, one for the cards' pictures. */
export async function loadListExtras(
  site: Site,
  c: Context<AppEnv>,
  ids: readonly ArxivId[],
  entries: readonly (DailyEntry | null | undefined)[] = [],
): Promise<ListExtras> {
  const { community } = site.deps.store;
  const user = c.get("user");
  const csrf = c.get("csrf");
  const [hidden, voted, pictures] = await Promise.all([
    ids.length > 0 ? community.hiddenAmong(ids) : new Set<ArxivId>(),
    user && ids.length > 0 ? community.votedBy(user.id, ids) : new Set<ArxivId>(),
    loadPictures(site, entries),
  ]);
  return {
    hidden,
    pictures,
    vote(paperId, count) {
      if (!user) return null;
      return (
        <VoteButton paperId={paperId} count={count} voted={voted.has(paperId)} user={user} csrf={csrf} />
      );
    },
  };
}
