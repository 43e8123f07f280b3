export * from "./arxiv-id.ts";
export * from "./category.ts";
export * from "./dates.ts";
export * from "./errors.ts";
export * from "./merge.ts";
export * from "./paper.ts";
export * from "./text.ts";
