// Loaded first by the dotenvx oracles (also `node -r ./dotenvx-guard.js` for the real CLI):
// dotenvx runs every $(...) of an env file through a shell.  The oracles must never run
// anything but a harmless `echo` of plain words, whatever a corpus file holds: any other
// command stops the oracle with exit 3 before it runs.
'use strict'
const cp = require('child_process')
const realExecSync = cp.execSync
const HARMLESS = /^echo [A-Za-z0-9 _.,:-]*$/
cp.execSync = function guardedExecSync (command, options) {
  if (typeof command !== 'string' || !HARMLESS.test(command)) {
    process.stderr.write('dotenvx oracle: refusing to run a $(...) command that is not a plain echo\n')
    process.exit(3)
  }
  return realExecSync(command, options)
}
