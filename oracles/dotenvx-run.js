// Oracle: what `dotenvx run` (the pinned @dotenvx/dotenvx) puts into the process environment.
// Request (stdin JSON): {"cases": [{"cwd": dir, "files": [...], "overload": bool,
//   "convention": "nextjs"|"flow"|null, "env": {...}}]}.  Each case is cli/actions/run.js's
//   own steps: conventions(convention) then the -f files, determine(), then the Run service
//   with process.env replaced by exactly "env" (Armor off: no network).
// Answer: {"results": [{"env": [[key, value], ...], "loaded": [file, ...],
//   "errors": [[file, code], ...]}]}
'use strict'
require('./dotenvx-guard.js')
const path = require('path')
const base = path.join(__dirname, 'node_modules', '@dotenvx', 'dotenvx', 'src', 'lib')
const Run = require(path.join(base, 'services', 'run'))
const conventions = require(path.join(base, 'helpers', 'conventions'))
const { determine } = require(path.join(base, 'helpers', 'envResolution'))

function resetEnv (env) {
  for (const key of Object.keys(process.env)) delete process.env[key]
  Object.assign(process.env, env)
}

async function runCase (c) {
  resetEnv(c.env || {})
  process.chdir(c.cwd)
  const fileEnvs = (c.files || []).map((value) => ({ type: 'envFile', value }))
  let envs = c.convention ? conventions(c.convention).concat(fileEnvs) : fileEnvs
  envs = determine(envs, process.env)
  const out = await new Run(envs, Boolean(c.overload), process.env, null, true).run()
  const errors = []
  for (const p of out.processedEnvs) {
    for (const e of p.errors || []) errors.push([p.filepath, e.code || String(e.name)])
  }
  return {
    env: Object.entries(out.afterEnv),
    loaded: out.processedEnvs.map((p) => p.filepath),
    errors
  }
}

async function main () {
  const req = JSON.parse(require('fs').readFileSync(0, 'utf8'))
  const results = []
  for (const c of req.cases) results.push(await runCase(c))
  process.stdout.write(JSON.stringify({ results }))
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack))
  process.exit(1)
})
