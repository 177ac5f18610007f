// Oracle: what @next/env 16 hands a Next.js app.
// Request (stdin JSON), the process env is the one this script runs with:
//   {"dir": "...", "dev": true|false}  -> loadEnvConfig(dir, dev)
//   {"batches": [[{"path": ".env.local", "contents": "..."}, ...], ...]}
//       -> processEnv(files) for each list (highest priority first), env reset between.
// Answer: {"env": [[key, value], ...] for keys the files define, "loaded": [paths],
//          "failed": [paths Next.js logged "Failed to load env from"]} (a list for batches).
'use strict'
const nextEnv = require('@next/env')
const dotenv = require('dotenv')

const req = JSON.parse(require('fs').readFileSync(0, 'utf8'))

function run (call) {
  const failed = []
  const log = { info () {}, warn () {}, error (msg) { failed.push(require('path').basename(String(msg).replace(/^Failed to load env from /, ''))) } }
  const { combinedEnv, files } = call(log)
  const keys = new Set()
  for (const f of files) for (const k of Object.keys(dotenv.parse(f.contents))) keys.add(k)
  const env = []
  for (const k of keys) if (Object.prototype.hasOwnProperty.call(combinedEnv, k)) env.push([k, combinedEnv[k]])
  return { env, loaded: files.map((f) => f.path), failed }
}

let out
if (req.batches) {
  out = req.batches.map((files) => run((log) => {
    nextEnv.resetEnv()
    const copy = files.map((f) => ({ path: f.path, contents: f.contents, env: {} }))
    const [combinedEnv] = nextEnv.processEnv(copy, '', log, true)
    return { combinedEnv: Object.assign({}, combinedEnv), files: copy }
  }))
} else {
  out = run((log) => {
    const r = nextEnv.loadEnvConfig(req.dir, req.dev, log, true)
    return { combinedEnv: r.combinedEnv, files: r.loadedEnvFiles }
  })
}
process.stdout.write(JSON.stringify(out))
