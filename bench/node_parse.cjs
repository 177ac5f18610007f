// Child process for the Node baseline: time dotenv.parse (the pinned oracle copy) on one file.
// Usage: node bench/node_parse.cjs PATH  ->  {"parse": s, "expand": 0, "load": 0, "total": s, "keys": n}
// Only the parse is timed (Buffer -> object), as inproc.py times only envcheck's work.
// dotenv-expand 12 is not timed: it copies the whole environment for every key, so it
// is quadratic (10k lines take seconds) and no fair linear baseline.
'use strict'
const fs = require('fs')
const path = require('path')
const dotenv = require(path.join(__dirname, '..', 'oracles', 'node_modules', 'dotenv'))

const src = fs.readFileSync(process.argv[2])
const start = process.hrtime.bigint()
const parsed = dotenv.parse(src)
const seconds = Number(process.hrtime.bigint() - start) / 1e9
process.stdout.write(
  JSON.stringify({ parse: seconds, expand: 0, load: 0, total: seconds, keys: Object.keys(parsed).length }) +
    '\n'
)
