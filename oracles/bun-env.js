// Bun env oracle: `bun [--env-file=F ...] oracles/bun-env.js`, run with the project as cwd.
// Bun loads the env files natively before any JavaScript runs, so there is nothing to call:
// this prints what the app sees, process.env, as JSON on stdout.  The caller controls the
// process environment completely (and compares the keys it did not set with the files).
process.stdout.write(JSON.stringify(process.env));
