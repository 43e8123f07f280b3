/**
 * A hand-made fixture in the layout arXiv documents for its per-category RSS 2.0 feeds
 * (https://info.arxiv.org/help/rss.html); no real RSS response is recorded in ../shared/data. One item per
 * announce type, one with LaTeX in its title, one without its own pubDate (dated by the channel), and two bad
 * items: an unreadable id and an unknown announce type.
 */
export const FEED = `<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">
  <channel>
    <title>cs.LG updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/cs.LG</link>
    <description>cs.LG updates on the arXiv.org e-print archive.</description>
    <atom:link href="http://rss.arxiv.org/rss/cs.LG" rel="self" type="application/rss+xml"/>
    <docs>http://www.rssboard.org/rss-specification</docs>
    <language>en-us</language>
    <lastBuildDate>Tue, 28 May 2024 00:00:00 -0400</lastBuildDate>
    <managingEditor>rss-help@arxiv.org</managingEditor>
    <pubDate>Tue, 28 May 2024 00:00:00 -0400</pubDate>
    <skipDays>
      <day>Saturday</day>
      <day>Sunday</day>
    </skipDays>
    <item>
      <title>ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models</title>
      <link>https://arxiv.org/abs/2405.15738</link>
      <description>arXiv:2405.15738v1 Announce Type: new 
Abstract: High-resolution Large Multimodal Models (LMMs) encounter the challenges of excessive visual tokens
and quadratic visual complexity.</description>
      <guid isPermaLink="false">oai:arXiv.org:2405.15738v1</guid>
      <category>cs.CV</category>
      <category>cs.CL</category>
      <pubDate>Tue, 28 May 2024 00:00:00 -0400</pubDate>
      <arxiv:announce_type>new</arxiv:announce_type>
      <dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>
      <dc:creator>Chunjiang Ge, Sijie Cheng, Ziming Wang, Jiale Yuan</dc:creator>
    </item>
    <item>
      <title>$\\mathcal{O}(n \\log n)$ Sorting with $k$-ary Heaps &amp; Friends</title>
      <link>https://arxiv.org/abs/2405.16001</link>
      <description>arXiv:2405.16001v1 Announce Type: cross 
Abstract: We show that $k$-ary heaps sort in $\\mathcal{O}(n \\log n)$ comparisons when $k &lt; n$.</description>
      <guid isPermaLink="false">oai:arXiv.org:2405.16001v1</guid>
      <category>cs.DS</category>
      <category>cs.LG</category>
      <pubDate>Tue, 28 May 2024 00:00:00 -0400</pubDate>
      <arxiv:announce_type>cross</arxiv:announce_type>
      <dc:rights>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</dc:rights>
      <dc:creator>Ada Lovelace, Jos&#233; Garc&#237;a</dc:creator>
    </item>
    <item>
      <title>Tree of Thoughts: Deliberate Problem Solving with Large Language Models</title>
      <link>https://arxiv.org/abs/2305.10601</link>
      <description>arXiv:2305.10601v3 Announce Type: replace 
Abstract: Language models are increasingly being deployed for general problem solving.</description>
      <guid isPermaLink="false">oai:arXiv.org:2305.10601v3</guid>
      <category>cs.CL</category>
      <category>cs.AI</category>
      <category>cs.LG</category>
      <pubDate>Tue, 28 May 2024 00:00:00 -0400</pubDate>
      <arxiv:announce_type>replace</arxiv:announce_type>
      <dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>
      <dc:creator>Shunyu Yao, Dian Yu, Jeffrey Zhao</dc:creator>
      <arxiv:journal_reference>NeurIPS 2023</arxiv:journal_reference>
      <arxiv:DOI>10.48550/arXiv.2305.10601</arxiv:DOI>
    </item>
    <item>
      <title>Variational Inference for Old-Style Archives</title>
      <link>https://arxiv.org/abs/math/0309136</link>
      <description>arXiv:math/0309136v2 Announce Type: replace-cross 
Abstract: An old-style identifier, announced again.</description>
      <guid isPermaLink="false">oai:arXiv.org:math/0309136v2</guid>
      <category>math.ST</category>
      <category>cs.LG</category>
      <arxiv:announce_type>replace-cross</arxiv:announce_type>
      <dc:creator>Carl Friedrich Gauss</dc:creator>
    </item>
    <item>
      <title>A Paper With A Broken Identifier</title>
      <link>https://arxiv.org/abs/not-an-id</link>
      <description>arXiv:not-an-id Announce Type: new 
Abstract: This item should be reported, not kept.</description>
      <guid isPermaLink="false">oai:arXiv.org:not-an-id</guid>
      <category>cs.LG</category>
      <pubDate>Tue, 28 May 2024 00:00:00 -0400</pubDate>
      <arxiv:announce_type>new</arxiv:announce_type>
      <dc:creator>Nobody</dc:creator>
    </item>
    <item>
      <title>A Withdrawn Paper</title>
      <link>https://arxiv.org/abs/2405.17000</link>
      <description>arXiv:2405.17000v2 Announce Type: withdrawn 
Abstract: Withdrawn.</description>
      <guid isPermaLink="false">oai:arXiv.org:2405.17000v2</guid>
      <category>cs.LG</category>
      <pubDate>Tue, 28 May 2024 00:00:00 -0400</pubDate>
      <arxiv:announce_type>withdrawn</arxiv:announce_type>
      <dc:creator>Somebody</dc:creator>
    </item>
  </channel>
</rss>
`;

/** The channel date of `FEED`, in UTC. */
export const LISTED = "2024-05-28T04:00:00.000Z";
