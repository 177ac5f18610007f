// Oracle: dotenv.parse and dotenv-expand 12 as the pinned packages do them.
// Request (stdin JSON): {"text": "..."}, or {"paths": [...]} (see below), or {"texts": ["...", ...]},
//   optional "expand": true and "processEnv": {...} (default: {} , i.e. no process values).
// Answer: one result per text: {"parsed": [[key, value], ...]} in JS object key order,
//   plus "expanded" (same shape) and "processEnvAfter" when "expand" was asked.
'use strict'
const dotenv = require('dotenv')
const { expand } = require('dotenv-expand')

const req = JSON.parse(require('fs').readFileSync(0, 'utf8'))
if (req.paths) {
  // {"paths": [...], "processEnv": {...}, "expand": bool}: dotenv.config({path: paths}),
  // then optionally dotenv-expand; answer the final processEnv for the keys the files define.
  const processEnv = Object.assign({}, req.processEnv || {})
  const r = dotenv.config({ path: req.paths, processEnv, quiet: true })
  if (req.expand) expand({ parsed: r.parsed, processEnv })
  const env = Object.keys(r.parsed).map((k) => [k, processEnv[k]])
  process.stdout.write(JSON.stringify({ env }))
  process.exit(0)
}
const texts = req.texts !== undefined ? req.texts : [req.text]
const out = texts.map((text) => {
  const parsed = dotenv.parse(text)
  const result = { parsed: Object.entries(parsed) }
  if (req.expand) {
    const processEnv = Object.assign({}, req.processEnv || {})
    try {
      const r = expand({ parsed: Object.assign({}, parsed), processEnv })
      result.expanded = Object.entries(r.parsed)
      result.processEnvAfter = Object.entries(processEnv)
    } catch (err) {
      result.error = String(err && err.name)
    }
  }
  return result
})
process.stdout.write(JSON.stringify(req.texts !== undefined ? out : out[0]))
