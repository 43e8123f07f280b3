/** The picture formats Paperboy keeps and serves, told apart by their first bytes, never by a declared type. */
export interface ImageKind {
  ext: "png" | "jpg" | "gif" | "webp";
  contentType: "image/png" | "image/jpeg" | "image/gif" | "image/webp";
}

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);

/**
 * The format of `bytes`, or null when they are none of PNG, JPEG, GIF or WebP. SVG is refused on purpose: it
 * is a document that can carry script, and the data's SVGs are generated placeholders the card draws itself.
 */
export function sniffImage(bytes: Uint8Array): ImageKind | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return { ext: "png", contentType: "image/png" };
  }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { ext: "jpg", contentType: "image/jpeg" };
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return { ext: "gif", contentType: "image/gif" };
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) {
    return { ext: "webp", contentType: "image/webp" };
  }
  return null;
}

/** The content types a server may declare for a picture we keep (`image/jpg` is a common misspelling). */
export function isImageContentType(value: string | null): boolean {
  const type = (value ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return ["image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp"].includes(type);
}
