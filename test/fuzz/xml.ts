import fc from "fast-check";

/**
 * A small XML tree for building feeds in tests and breaking them on purpose: entries are written from trees,
 * and mutations change one node of an entry (drop, repeat, rename, new text or attributes) before writing.
 */
export interface XmlNode {
  tag: string;
  attributes: [string, string][];
  /** Text (escaped when written), raw XML written as is, or child elements. */
  content: { text: string } | { raw: string } | { children: XmlNode[] };
}

export const escapeXml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);

export function el(
  tag: string,
  content: string | XmlNode[],
  attributes: Record<string, string> = {},
): XmlNode {
  return {
    tag,
    attributes: Object.entries(attributes),
    content: typeof content === "string" ? { text: content } : { children: content },
  };
}

export function writeXml(node: XmlNode): string {
  const attributes = node.attributes.map(([name, value]) => ` ${name}="${escapeXml(value)}"`).join("");
  const c = node.content;
  const inner = "text" in c ? escapeXml(c.text) : "raw" in c ? c.raw : c.children.map(writeXml).join("");
  return inner === "" ? `<${node.tag}${attributes}/>` : `<${node.tag}${attributes}>${inner}</${node.tag}>`;
}

/** Every node of a tree, depth first, with a function that replaces it (or removes it, given null). */
function nodesOf(root: XmlNode): { node: XmlNode; replace: (by: XmlNode[]) => void }[] {
  const out: { node: XmlNode; replace: (by: XmlNode[]) => void }[] = [];
  const walk = (parent: XmlNode) => {
    if (!("children" in parent.content)) return;
    const children = parent.content.children;
    for (const child of [...children]) {
      out.push({
        node: child,
        replace: (by) => {
          const i = children.indexOf(child);
          if (i !== -1) children.splice(i, 1, ...by);
        },
      });
      walk(child);
    }
  };
  walk(root);
  return out;
}

/** Values that break parsers: wrong types written as text, odd dates and ids, entities, markup, huge text. */
export const HOSTILE_VALUES = [
  ...["", " ", "\t\n", "0", "-1", "1e309", "null", "true", "[]", "{}", "NaN", "undefined", "__proto__"],
  ...["2405.15738", "2405.15738v0", "2405.15738v99999999999999999999", "2405.15738v2", "1313.0001"],
  ...["http://arxiv.org/abs/2405.15738v1", "http://arxiv.org/abs/hep-th/9901001v3", "oai:arXiv.org:"],
  ...["oai:arXiv.org:2405.15738", "oai:arXiv.org:2405.15738v2", "https://arxiv.org/api/errors#bad"],
  ...["2024-05-27", "2024-05-27T17:59:59Z", "2024-02-30", "2024-13-01T00:00:00Z", "not a date"],
  ...["Tue, 1 Nov 1994 18:57:48 GMT", "+275760-09-13T00:00:00Z", "-000001-01-01T00:00:00Z"],
  ...["0000-01-01T00:00:00Z", "Sat, 1 Jan 10000 00:00:00 GMT", "1 Jan 99999", "v1", "v0", "v", "V2"],
  ...["cs.LG", "CS.LG", "cs.", ".LG", "math.AG", "68T05", "cs.LG stat.ML", ",", "cs.LG,,math.AG", "I.2.6"],
  ...["<b>bold</b>", "<script>alert(1)</script>", "&amp;", "&lt;", "&#233;", "]]>", "<![CDATA[", "-->"],
  ...["<!DOCTYPE x>", "<!ENTITY e 'x'>", "\u00e9\u0301", "😀", "\ufeff", "\u202e", "\\'e", '{\\"o}'],
  "a".repeat(100_000),
  "word ".repeat(20_000),
];

/** Raw XML put where text belongs: entity references, CDATA, comments, stray markup (maybe ill-formed). */
export const RAW_FRAGMENTS = [
  ...["&#233;", "&#0;", "&#x1F600;", "&#xD800;", "&#x110000;", "&#99999999999999999999;", "&amp;#233;"],
  ...["&bogus;", "&constructor;", "&", "&#;", "<", ">", "]]>", "<![CDATA[<b>&amp;</b>]]>", "<![CDATA["],
  ...["<!-- comment -->", "<!--", "<?pi x?>", "<b>", "</b>", "<b/>", "<b>x</b>text", "<!DOCTYPE x>"],
  ...["<constructor>x</constructor>", "<__proto__/>", "<x:y xmlns:x='u'>t</x:y>", "<a b='1' b='2'/>"],
];

export type Mutation =
  | { kind: "drop" | "repeat" | "nest"; at: number }
  | { kind: "rename"; at: number; tag: string }
  | { kind: "text" | "cdata"; at: number; value: string }
  | { kind: "attribute"; at: number; name: string; value: string }
  | { kind: "attributeValue"; at: number; which: number; value: string }
  | { kind: "raw"; at: number; raw: string };

const RENAMES = ["foo", "id", "title", "entry", "record", "x:title", "arxiv:comment", "header", "version"];

/** Mutations that keep the document well formed: a parser must read the other entries whatever they do. */
export const wellFormedMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom("drop", "repeat", "nest"), at: fc.nat() }),
  fc.record({ kind: fc.constant("rename"), at: fc.nat(), tag: fc.constantFrom(...RENAMES) }),
  fc.record({
    kind: fc.constantFrom("text", "cdata"),
    at: fc.nat(),
    value: fc.oneof(fc.constantFrom(...HOSTILE_VALUES), fc.string({ maxLength: 12 })),
  }),
  fc.record({
    kind: fc.constant("attribute"),
    at: fc.nat(),
    name: fc.constantFrom("version", "status", "term", "href", "title", "type", "rel", "completeListSize"),
    value: fc.constantFrom(...HOSTILE_VALUES.slice(0, 60)),
  }),
  fc.record({
    kind: fc.constant("attributeValue"),
    at: fc.nat(),
    which: fc.nat(),
    value: fc.oneof(fc.constantFrom(...HOSTILE_VALUES.slice(0, 60)), fc.string({ maxLength: 8 })),
  }),
);

/** Anything, ill-formed XML included: the parser may refuse the document, but only with its typed error. */
export const anyMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: wellFormedMutation },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("raw"), at: fc.nat(), raw: fc.constantFrom(...RAW_FRAGMENTS) }),
  },
);

/** Characters XML cannot hold at all (most controls, lone surrogates) are dropped from generated text. */
const xmlSafe = (s: string) => s.replace(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, "");

export function mutate(root: XmlNode, mutations: readonly Mutation[]): XmlNode {
  const copy = structuredClone(root);
  for (const m of mutations) {
    const nodes = nodesOf(copy);
    const target = nodes[m.at % Math.max(1, nodes.length)];
    if (!target) continue;
    const { node, replace } = target;
    switch (m.kind) {
      case "drop":
        replace([]);
        break;
      case "repeat":
        replace([node, structuredClone(node)]);
        break;
      case "nest":
        replace([{ ...node, content: { children: [{ tag: "b", attributes: [], content: node.content }] } }]);
        break;
      case "rename":
        node.tag = m.tag;
        break;
      case "text":
        node.content = { text: xmlSafe(m.value) };
        break;
      case "cdata":
        node.content = { raw: `<![CDATA[${xmlSafe(m.value).replaceAll("]]>", "]]]]><![CDATA[>")}]]>` };
        break;
      case "attribute":
        node.attributes = [...node.attributes.filter(([n]) => n !== m.name), [m.name, xmlSafe(m.value)]];
        break;
      case "attributeValue": {
        // A new value for one of the node's own attributes (the node with attributes nearest after `at`).
        const withAttributes = nodes.filter((n) => n.node.attributes.length > 0);
        const owner = withAttributes[m.at % Math.max(1, withAttributes.length)]?.node;
        const attribute = owner?.attributes[m.which % owner.attributes.length];
        if (attribute) attribute[1] = xmlSafe(m.value);
        break;
      }
      case "raw":
        node.content = { raw: m.raw };
        break;
    }
  }
  return copy;
}
