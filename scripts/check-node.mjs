// Everything that runs code must run on the runtime GitHub gives node24 actions.
const major = Number(process.versions.node.split('.')[0])
if (major !== 24) {
  console.error(
    `Node ${process.versions.node} is running the checks, but the action runs on Node 24. ` +
      'Run them through npm (npm test), which puts the pinned node@24 devDependency first on PATH.'
  )
  process.exit(1)
}
console.log(`node ${process.versions.node}: ok`)
