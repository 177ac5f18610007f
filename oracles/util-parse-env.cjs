// util.parseEnv oracle: {"texts": [...]} on stdin -> JSON list, one object per
// text, exactly as node:util parseEnv returns it (JSON keeps the key order).
"use strict";
const { parseEnv } = require("node:util");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const { texts } = JSON.parse(input);
  process.stdout.write(JSON.stringify(texts.map((text) => parseEnv(text))));
});
