// Oracle: react-scripts 5.0.1 config/env.js (dotenv 10.0.0 + dotenv-expand 5.1.0).
// Needs the aliases "dotenv10": "npm:dotenv@10.0.0" and "dotenv-expand5": "npm:dotenv-expand@5.1.0".
// Request: {"dir": "...", "files": [names, highest priority first]}; NODE_ENV etc. come from
// this script's own environment.  Answer: {"env": [[key, value], ...]} for keys the files
// define, {"crash": "RangeError"} when react-scripts would crash, {"unavailable": true}.
'use strict'
const fs = require('fs')
const path = require('path')
let dotenv, dotenvExpand
try {
  dotenv = require('dotenv10')
  dotenvExpand = require('dotenv-expand5')
} catch (e) {
  process.stdout.write(JSON.stringify({ unavailable: true }))
  process.exit(0)
}
const req = JSON.parse(fs.readFileSync(0, 'utf8'))
const initial = Object.assign({}, process.env)

function load (one) {
  for (const k of Object.keys(process.env)) delete process.env[k]
  Object.assign(process.env, initial)
  const keys = new Set()
  try {
    for (const name of one.files) {
      const file = path.join(one.dir, name)
      if (fs.existsSync(file)) {
        for (const k of Object.keys(dotenv.parse(fs.readFileSync(file, 'utf8')))) keys.add(k)
        dotenvExpand(dotenv.config({ path: file }))
      }
    }
  } catch (e) {
    return { crash: e.name }
  }
  const env = []
  for (const k of keys) if (Object.prototype.hasOwnProperty.call(process.env, k)) env.push([k, process.env[k]])
  return { env }
}

// {"batch": [request, ...]} answers a list; the environment is reset between requests.
process.stdout.write(JSON.stringify(req.batch ? req.batch.map(load) : load(req)))
