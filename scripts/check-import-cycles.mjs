// Fails when the modules of src/ import each other in a circle. Every import counts, types
// included: a cycle through a type is still two modules that cannot be read one after the
// other. Specifiers are resolved by TypeScript itself, as tsc resolves them (`./x.js` → x.ts).
import { readdirSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import ts from 'typescript'

const ROOT = resolve(process.argv[2] ?? 'src')
const options = {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext
}

/** The .ts files under a folder. */
function sourcesUnder(folder) {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter(entry => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map(entry => join(entry.parentPath, entry.name))
}

/** The files of the folder that a file imports or re-exports from. */
function importsOf(file) {
  const { importedFiles } = ts.preProcessFile(ts.sys.readFile(file), true, false)
  return importedFiles
    .map(({ fileName }) => ts.resolveModuleName(fileName, file, options, ts.sys).resolvedModule)
    .map(resolved => resolved?.resolvedFileName)
    .filter(
      target => target !== undefined && target.startsWith(ROOT) && !target.includes('node_modules')
    )
}

const graph = new Map(sourcesUnder(ROOT).map(file => [file, importsOf(file)]))

// Depth-first search: reaching a file that is still on the path closes a cycle.
const cycles = []
const done = new Set()
const path = []
function visit(file) {
  const at = path.indexOf(file)
  if (at !== -1) return void cycles.push([...path.slice(at), file])
  if (done.has(file)) return
  path.push(file)
  for (const target of graph.get(file) ?? []) visit(target)
  path.pop()
  done.add(file)
}
for (const file of [...graph.keys()].sort()) visit(file)

const name = file => relative(process.cwd(), file)
if (cycles.length > 0) {
  console.error(
    `Import cycles in ${name(ROOT)}/:\n- ${cycles.map(cycle => cycle.map(name).join(' → ')).join('\n- ')}\n` +
      'Move what both sides need into a module below them both.'
  )
  process.exit(1)
}
console.log(`No import cycle among the ${graph.size} modules of ${name(ROOT)}/`)
