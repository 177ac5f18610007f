// Oracle: `deno run --env-file` (the pinned npm package deno / @deno/linux-x64-glibc), run for real.
// Request (stdin JSON): {"dir": "<scratch dir>", "cases": [{"args": [...], "env": {...}, "cwd": "..."}]}.
// Each case runs `deno run --allow-env <args> <dir>/print.js` with exactly `env` (plus DENO_DIR and
// NO_COLOR, and DENO_DISABLE_NODE_SHIM=1 so Deno does not rewrite PATH) as its environment.
// Answer: one {"status", "version", "env", "stderr"} per case; "env" is Deno.env.toObject().
// Or {"dir": ..., "texts": [...]}: Deno's own parser without substitution (node:util parseEnv,
// which calls deno_dotenv's parse_env_content_hook), one object per text, in one deno process.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const req = JSON.parse(fs.readFileSync(0, "utf8"));
const candidates = [
  path.join(__dirname, "node_modules", "deno", "deno"),
  path.join(__dirname, "node_modules", "@deno", "linux-x64-glibc", "deno"),
];
const bin = candidates.find((p) => fs.existsSync(p));
if (!bin) {
  process.stderr.write("deno binary missing: run `make oracles`\n");
  process.exit(2);
}
const base = { DENO_DIR: path.join(req.dir, "deno-dir"), NO_COLOR: "1", DENO_DISABLE_NODE_SHIM: "1" };

function parseTexts(texts) {
  const parser = path.join(req.dir, "parse.mjs");
  fs.writeFileSync(
    parser,
    'import { parseEnv } from "node:util";\n' +
      "const { texts } = JSON.parse(await new Response(Deno.stdin.readable).text());\n" +
      "const out = new TextEncoder().encode(JSON.stringify(texts.map((t) => parseEnv(t))));\n" +
      "for (let at = 0; at < out.length; ) at += Deno.stdout.writeSync(out.subarray(at));\n",
  );
  const r = spawnSync(bin, ["run", "-q", parser], {
    env: base,
    input: JSON.stringify({ texts }),
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0 || r.error) {
    throw new Error(`deno parseEnv failed (${r.status} ${r.error}): ${r.stderr}`);
  }
  return JSON.parse(r.stdout);
}

function runCases(cases) {
  const script = path.join(req.dir, "print.js");
  fs.writeFileSync(
    script,
    "console.log(JSON.stringify({version: Deno.version.deno, env: Deno.env.toObject()}));\n",
  );
  return cases.map((c) => {
    const env = { ...base, ...(c.env || {}) };
    const r = spawnSync(bin, ["run", "--allow-env", ...c.args, script], {
      env,
      cwd: c.cwd,
      encoding: "utf8",
    });
    const answer = { status: r.status, stderr: (r.stderr || "").slice(-500) };
    if (r.status === 0) Object.assign(answer, JSON.parse(r.stdout));
    return answer;
  });
}

process.stdout.write(JSON.stringify(req.texts ? parseTexts(req.texts) : runCases(req.cases)));
