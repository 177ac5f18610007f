// Vite loadEnv oracle.
// stdin: {"dir": ..., "mode": "development"} or {"dir": ..., "modes": [...]},
//        optional "prefixes" ("" = every key; default "").
// stdout: {"<mode>": {"env": {...}} | {"error": "..."}, ...}
// The process environment is whatever the caller started node with.  loadEnv
// writes VITE_USER_NODE_ENV / BROWSER / BROWSER_ARGS into process.env, so it
// is restored before each mode to keep the modes independent.
import { loadEnv } from "vite";

let input = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) input += chunk;
const req = JSON.parse(input);
const modes = req.modes ?? [req.mode];
const prefixes = req.prefixes ?? "";
const snapshot = { ...process.env };
const out = {};
for (const mode of modes) {
  for (const key of Object.keys(process.env)) if (!(key in snapshot)) delete process.env[key];
  Object.assign(process.env, snapshot);
  try {
    out[mode] = { env: loadEnv(mode, req.dir, prefixes) };
  } catch (err) {
    out[mode] = { error: String(err && err.message) };
  }
}
process.stdout.write(JSON.stringify(out));
