// Records every module the process loads in $TRACE_IMPORTS_FILE: ES modules through a resolve hook, CommonJS ones
// (loaded with require or createRequire) by wrapping Module._load.
// Used as `node --import ./test/helpers/trace-imports.mjs dist/src/cli/main.js --help`.
import { appendFileSync } from "node:fs";
import Module, { register } from "node:module";

register(new URL("./import-hooks.mjs", import.meta.url), { data: { file: process.env.TRACE_IMPORTS_FILE } });

const file = process.env.TRACE_IMPORTS_FILE;
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (file) {
    try {
      appendFileSync(file, `${Module._resolveFilename(request, parent, isMain)}\n`);
    } catch {
      appendFileSync(file, `${request}\n`);
    }
  }
  return load.apply(this, arguments);
};
