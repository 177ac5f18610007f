// Oracle: what dotenv-flow 4.1 puts into process.env.
// Request: {"dir": "...", "node_env": "development" | null}; the process env is this script's own.
// Answer: {"env": [[key, value], ...] for keys the loaded files define, "files": [basenames]}.
'use strict'
const path = require('path')
const flow = require('dotenv-flow')

const req = JSON.parse(require('fs').readFileSync(0, 'utf8'))
const opts = { path: req.dir, silent: true }
if (req.node_env) opts.node_env = req.node_env
const files = flow.listFiles({ node_env: req.node_env || process.env.NODE_ENV, path: req.dir })
const result = flow.config(opts)
const env = []
for (const k of Object.keys(result.parsed || {})) env.push([k, process.env[k]])
process.stdout.write(JSON.stringify({ env, files: files.map((f) => path.basename(f)) }))
