/** Tables of the community module, merged into `Database` (schema.ts). */
// biome-ignore lint/suspicious/noEmptyInterface: filled as the module grows
export interface CommunityTables {}
