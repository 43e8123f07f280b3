// Entry of the search engine's build thread (see build-thread.ts). Worker threads do not inherit the tsx
// loader that bin/paperboy.js registers, so this plain module registers it before loading the TypeScript.
import { register } from "tsx/esm/api";

register();
await import("./build-thread-entry.ts");
