import { jest } from '@jest/globals'

/**
 * Everything written to stdout from now on, where the runner reads its log and workflow
 * commands; nothing reaches the terminal. `jest.restoreAllMocks()` ends the capture.
 */
export function captureStdout(): string[] {
  const written: string[] = []
  jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    written.push(String(chunk))
    return true
  })
  return written
}
