// Registers a resolve hook that appends every resolved module URL to $TRACE_IMPORTS_FILE.
// Used as `node --import ./test/helpers/trace-imports.mjs dist/src/cli/main.js --help`.
import { register } from "node:module";

register(new URL("./import-hooks.mjs", import.meta.url), { data: { file: process.env.TRACE_IMPORTS_FILE } });
