/** Tables of the media module, merged into `Database` (schema.ts). */

/**
 * One picture a source named (a daily entry's thumbnail or avatar), by its source URL: the bytes the worker
 * fetched, kept under their SHA-256 so pages link to `/images/<sha256>.<ext>`, or why they could not be used.
 */
export interface MediaImagesTable {
  url: string;
  /** Hex SHA-256 of the bytes; null when the fetch failed. */
  sha256: string | null;
  ext: string | null;
  content_type: string | null;
  bytes: Uint8Array | null;
  size: number | null;
  /** Why the picture is not kept (not an image, too large, not found...); null when it is. */
  error: string | null;
  fetched_at: string;
}

export interface MediaTables {
  media_images: MediaImagesTable;
}
