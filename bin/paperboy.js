#!/usr/bin/env node
// The `paperboy` command: runs the TypeScript sources through tsx's loader, so there is no build step.
import { register } from "tsx/esm/api";

register();
const { run } = await import("../src/cli/main.ts");
process.exitCode = await run(process.argv);
