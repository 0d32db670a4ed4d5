// The baseline of the start-up benchmark: the action's runtime dependencies imported and
// evaluated, nothing else. Bundled by ncc exactly as src/index.ts is.
import * as core from '@actions/core'
import * as jose from 'jose'
import * as undici from 'undici'

if (process.env.BENCH_IMPORTS_PRINT === '1')
  console.log(Object.keys({ ...core, ...jose, ...undici }).length)
