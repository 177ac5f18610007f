// Oracle: what `dotenvx run` 2.x (the "dotenvx2" alias of @dotenvx/dotenvx) puts into the
// process environment.  Request (stdin JSON): {"cases": [{"cwd": dir, "files": [...],
//   "overload": bool, "env": {...}}]}.  Each case is cli/actions/run.js's own loading step
//   (services/validate.js, which run calls as prepareValidatedEnv) with the -f files and
//   processEnv exactly "env"; Armor, OS key stores, 1Password and Bitwarden off (no network,
//   no keychain).  Answer: {"version": "2.x.y", "results": [{"env": [[key, value], ...],
//   "loaded": [file, ...], "errors": [[file, code], ...]}]}
'use strict'
require('./dotenvx-guard.js')
const path = require('path')
const root = path.join(__dirname, 'node_modules', 'dotenvx2')
const validate = require(path.join(root, 'src', 'lib', 'services', 'validate'))
const { version } = require(path.join(root, 'package.json'))

async function runCase (c) {
  process.chdir(c.cwd)
  const processEnv = { ...(c.env || {}) }
  const envs = (c.files || []).map((value) => ({ type: 'envFile', value }))
  const options = { overload: Boolean(c.overload), armor: false, native: false, '1password': false, bitwarden: false }
  const out = await validate({ envs, options, processEnv, requireEnvfile: false })
  const errors = []
  for (const p of out.processedEnvs) {
    for (const e of p.errors || []) errors.push([p.filepath, e.code || String(e.name)])
  }
  return {
    env: Object.entries(out.processEnv),
    loaded: out.processedEnvs.map((p) => p.filepath),
    errors
  }
}

async function main () {
  const req = JSON.parse(require('fs').readFileSync(0, 'utf8'))
  const results = []
  for (const c of req.cases) results.push(await runCase(c))
  process.stdout.write(JSON.stringify({ version, results }))
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack))
  process.exit(1)
})
