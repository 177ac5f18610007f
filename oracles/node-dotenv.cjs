// Oracle: dotenv.parse and dotenv-expand 12 as the pinned packages do them.
// Request (stdin JSON): {"text": "..."} or {"texts": ["...", ...]},
//   optional "expand": true and "processEnv": {...} (default: {} , i.e. no process values).
// Answer: one result per text: {"parsed": [[key, value], ...]} in JS object key order,
//   plus "expanded" (same shape) and "processEnvAfter" when "expand" was asked.
'use strict'
const dotenv = require('dotenv')
const { expand } = require('dotenv-expand')

const req = JSON.parse(require('fs').readFileSync(0, 'utf8'))
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
