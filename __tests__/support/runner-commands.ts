// How the GitHub runner reads workflow commands in a step's output, ported from its
// ActionCommand parser: `::name props::data` when a line starts with it (after white space),
// else the legacy `##[name props]data` anywhere in the line. Only registered names count.
export const RUNNER_COMMANDS = new Set([
  'add-mask',
  'add-matcher',
  'remove-matcher',
  'warning',
  'error',
  'notice',
  'debug',
  'group',
  'endgroup',
  'echo',
  'save-state',
  'set-output',
  'set-env',
  'add-path',
  'stop-commands'
])

export interface RunnerCommand {
  name: string
  form: '::' | '##['
  data: string
}

/** The workflow command the runner reads in one line of output, if any. */
export function runnerCommand(line: string): RunnerCommand | undefined {
  return modernCommand(line) ?? legacyCommand(line)
}

function modernCommand(line: string): RunnerCommand | undefined {
  // .NET's TrimStart: white space only (a zero-width space is not white space there).
  const trimmed = line.replace(/^[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/, '')
  if (!trimmed.startsWith('::')) return undefined
  const end = trimmed.indexOf('::', 2)
  if (end < 0) return undefined
  const info = trimmed.slice(2, end)
  const name = info.split(' ')[0] ?? ''
  return RUNNER_COMMANDS.has(name) ? { name, form: '::', data: trimmed.slice(end + 2) } : undefined
}

function legacyCommand(line: string): RunnerCommand | undefined {
  const start = line.indexOf('##[')
  if (start < 0) return undefined
  const end = line.indexOf(']', start)
  if (end < 0) return undefined
  const info = line.slice(start + 3, end)
  const name = info.split(' ')[0] ?? ''
  return RUNNER_COMMANDS.has(name) ? { name, form: '##[', data: line.slice(end + 1) } : undefined
}

/** Every command the runner reads in a step's output, line by line. */
export function runnerCommands(output: string): RunnerCommand[] {
  return output.split(/\r?\n/).flatMap(line => {
    const command = runnerCommand(line)
    return command ? [command] : []
  })
}
