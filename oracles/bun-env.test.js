// Bun env oracle for `bun test` (which loads the test files and sets NODE_ENV=test):
// `bun test <abs path>/oracles/bun-env.test.js`, cwd = the project.  Prints process.env as
// JSON on one stdout line starting with the marker below (bun test writes its report to stderr).
import { test } from "bun:test";

test("env", () => {
  process.stdout.write("\n@@bun-env@@" + JSON.stringify(process.env) + "\n");
});
