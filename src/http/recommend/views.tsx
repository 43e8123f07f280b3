/** The For-you list: each paper with its reason and the thumbs that feed the reader's profile. */
import type { Recommendation } from "../../search/recommend/index.ts";
import { PostForm } from "../accounts/views.tsx";

function ThumbButton(props: { id: string; thumb: "up" | "down"; csrf: string }) {
  const up = props.thumb === "up";
  return (
    <PostForm action={`/for-you/${props.id}/thumb`} csrf={props.csrf} class="inline">
      <input type="hidden" name="thumb" value={props.thumb} />
      <button type="submit" aria-label={up ? "More like this" : "Less like this"}>
        {up ? "▲ More like this" : "▼ Less like this"}
      </button>
    </PostForm>
  );
}

export function RecommendationList(props: { recs: readonly Recommendation[]; csrf: string }) {
  return (
    <ol class="for-you">
      {props.recs.map((r) => (
        <li>
          <a href={`/papers/${r.paper.id}`}>{r.paper.title}</a>
          <br />
          <small class="muted">
            {r.reason}
            {r.terms.length > 0 ? ` · matched: ${r.terms.join(", ")}` : ""}
          </small>
          <br />
          <ThumbButton id={r.paper.id} thumb="up" csrf={props.csrf} />
          <ThumbButton id={r.paper.id} thumb="down" csrf={props.csrf} />
        </li>
      ))}
    </ol>
  );
}
