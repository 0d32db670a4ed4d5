// The checks behind `npm run lint:workflows`, `npm run readme` and the release workflow: each
// catches what it is there for.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
// @ts-expect-error: plain ES module scripts without types
import * as workflows from '../scripts/check-workflows.mjs'
// @ts-expect-error: plain ES module scripts without types
import { actionRef, isThisAction, repositoryOf } from '../scripts/action-ref.mjs'
// @ts-expect-error: plain ES module scripts without types
import { releaseNotes, releaseProblems } from '../scripts/check-release.mjs'

const { checkMarkdown, pinProblems, readMetadata, yamlBlocks } = workflows

interface Problem {
  line: number
  column: number
  message: string
  kind: string
}

const metadata = readMetadata()
const manifest = { name: 'asc-latest-build-action', version: '0.1.0' }
const fence = (yaml: string): string => '```yaml\n' + yaml + '```\n'
const check = (markdown: string): Promise<Problem[]> => checkMarkdown(markdown, metadata, manifest)

const STEP = `- id: build
  uses: <owner>/<repo>@v1
  with:
    issuer-id: \${{ secrets.ASC_ISSUER_ID }}
    key-id: \${{ secrets.ASC_KEY_ID }}
    private-key: \${{ secrets.ASC_PRIVATE_KEY }}
    bundle-id: com.example.weather
`

describe("the README's yaml blocks", () => {
  it('finds each block and the line it starts on, indented ones too', () => {
    const markdown = `# Title\n\n${fence('a: 1\n')}\n1. Step:\n\n   \`\`\`yaml\n   b: 2\n   \`\`\`\n`
    expect(yamlBlocks(markdown)).toEqual([
      { line: 4, text: 'a: 1\n' },
      { line: 10, text: 'b: 2\n' }
    ])
  })

  it('pass when they are steps or workflows that use the action as action.yml says', async () => {
    const steps = `${STEP}- env:\n    VERSION: \${{ steps.build.outputs.version }}\n  run: echo "$VERSION"\n`
    expect(await check(fence(steps))).toEqual([])
  })

  it('fail on invalid YAML, with the README line: a colon and space in a plain run:', async () => {
    const problems = await check(`Intro\n\n${fence(`${STEP}- run: echo "$PLATFORM: build"\n`)}`)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ line: 11, kind: 'yaml' })
  })

  it('fail on an expression inside run:, naming script injection', async () => {
    const problems = await check(
      fence(`${STEP}- run: echo "\${{ steps.build.outputs.version }}"\n`)
    )
    expect(problems).toEqual([
      expect.objectContaining({ line: 9, column: 14, kind: 'script-injection' })
    ])
    expect(problems[0]!.message).toMatch(/env:.*script injection/)
  })

  it('fail on an input or output action.yml does not declare, and a missing required input', async () => {
    const workflow = `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - id: build
        uses: <owner>/<repo>@v1
        with:
          key-id: X
          platfrom: ios
      - env:
          NUMBER: \${{ steps.build.outputs.build-numbr }}
        run: echo "$NUMBER"
`
    const problems = await check(fence(workflow))
    expect(problems.map(problem => [problem.line, problem.kind])).toEqual([
      [8, 'action-input'],
      [11, 'action-input'],
      [13, 'action-output']
    ])
    expect(problems[0]!.message).toMatch(/required input "private-key"/)
    expect(problems[1]!.message).toMatch(/"platfrom" is not an input/)
    expect(problems[2]!.message).toMatch(/"build-numbr" is not an output/)
  })

  it('are linted by actionlint, with lines and columns of the README', async () => {
    const workflow = `jobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: nothing\n    steps:\n      - run: echo hi\n`
    const problems = await check(`# T\n\n${fence(workflow)}`)
    expect(problems).toEqual([
      expect.objectContaining({
        line: 5,
        kind: 'job-needs',
        message: expect.stringMatching(/nothing/)
      })
    ])
  })

  it('must be a workflow or a list of steps', async () => {
    expect(await check(fence('just: a mapping\n'))).toEqual([
      expect.objectContaining({ line: 2, kind: 'readme' })
    ])
  })

  it("of this repository's README all pass", async () => {
    const own = JSON.parse(readFileSync('package.json', 'utf8'))
    const readme = readFileSync('README.md', 'utf8')
    expect(yamlBlocks(readme).length).toBeGreaterThanOrEqual(7)
    expect(await checkMarkdown(readme, metadata, own)).toEqual([])
  })
})

describe("the repository's own workflows", () => {
  it('pin every action but this one by full commit SHA, with its version in a comment', () => {
    const sha = 'de0fac2e4500dabe0009e67214ff5f5447ce83dd'
    const text = [
      `      - uses: actions/checkout@${sha} # v6.0.2`,
      '      - uses: ./',
      '      - uses: actions/setup-node@v7',
      `      - uses: actions/checkout@${sha}`,
      `        uses: github/codeql-action/init@${sha} # v4.38.2`
    ].join('\n')
    expect(pinProblems(text).map((problem: Problem) => problem.line)).toEqual([3, 4])
  })

  it('have Dependabot watch npm and the actions', () => {
    const dependabot = parse(readFileSync('.github/dependabot.yml', 'utf8')) as {
      updates: { 'package-ecosystem': string }[]
    }
    expect(dependabot.updates.map(update => update['package-ecosystem']).sort()).toEqual([
      'github-actions',
      'npm'
    ])
  })

  it('mark dist/ as generated', () => {
    expect(readFileSync('.gitattributes', 'utf8')).toMatch(/^dist\/\*\* linguist-generated=true/m)
  })
})

describe('the uses: reference', () => {
  it('comes from the repository field of package.json when it names one', () => {
    expect(repositoryOf({ repository: 'octo-org/asc-latest-build' })).toBe(
      'octo-org/asc-latest-build'
    )
    expect(repositoryOf({ repository: 'github:octo-org/asc' })).toBe('octo-org/asc')
    expect(
      repositoryOf({ repository: { type: 'git', url: 'git+https://github.com/octo-org/asc.git' } })
    ).toBe('octo-org/asc')
    expect(repositoryOf({})).toBeNull()
    expect(actionRef({ version: '0.1.0' })).toBe('<owner>/<repo>@v1')
    expect(actionRef({ version: '2.3.0', repository: 'octo-org/asc' })).toBe('octo-org/asc@v2')
  })

  it('recognises this action by the placeholder, the repository or ./', () => {
    const own = { repository: 'octo-org/asc' }
    expect(isThisAction('<owner>/<repo>@v1', own)).toBe(true)
    expect(isThisAction('octo-org/asc@v3', own)).toBe(true)
    expect(isThisAction('./', own)).toBe(true)
    expect(isThisAction('actions/checkout@v7', own)).toBe(false)
  })
})

describe('the release check', () => {
  const changelog = '# Changelog\n\n## Unreleased\n\n## [1.2.3] - 2026-12-01\n\n- Things.\n'

  it('passes a full version that package.json and CHANGELOG.md name', () => {
    expect(releaseProblems('v1.2.3', { version: '1.2.3', changelog })).toEqual([])
  })

  it('refuses a tag that is not vX.Y.Z, a stale package.json and a missing changelog section', () => {
    expect(releaseProblems('v1', { version: '1.2.3', changelog })).toEqual([
      expect.stringMatching(/not a full version/)
    ])
    expect(releaseProblems('v1.2.4', { version: '1.2.3', changelog })).toEqual([
      expect.stringMatching(/package\.json says version 1\.2\.3/),
      expect.stringMatching(/CHANGELOG\.md has no "## 1\.2\.4" section/)
    ])
    expect(releaseProblems('v1.2.3', { version: '1.2.3', changelog: '## 1.2.30\n' })).toHaveLength(
      1
    )
  })

  it('refuses a 0.x release, which would move a major tag v0', () => {
    expect(
      releaseProblems('v0.1.0', { version: '0.1.0', changelog: '## [0.1.0] - 2026-12-01\n' })
    ).toEqual([
      expect.stringMatching(/^v0\.1\.0 is a 0\.x version: .*Release v1\.0\.0 or later\.$/)
    ])
  })

  it('takes the release notes of a pushed tag from its CHANGELOG section', () => {
    const text =
      '# Changelog\n\n## [1.2.4] - 2026-12-09\n\n- Newer.\n\n## [1.2.3] - 2026-12-01\n\n- Things.\n'
    expect(releaseNotes('v1.2.3', text)).toBe('- Things.')
    expect(releaseNotes('v1.2.4', text)).toBe('- Newer.')
    expect(releaseNotes('v1.2.5', text)).toBe('')
  })

  it('runs on a pushed vX.Y.Z tag and on a published release, and moves the major tag', () => {
    const release = parse(readFileSync('.github/workflows/release.yml', 'utf8')) as {
      on: { push: { tags: string[] }; release: { types: string[] } }
      jobs: { 'major-tag': { steps: Array<{ run?: string }> } }
    }
    // GitHub's tag filters: + repeats the character class before it.
    const filter = new RegExp(
      `^${release.on.push.tags[0]!.replace(/\./g, '\\.').replace(/\]\+/g, ']+')}$`
    )
    expect(['v1.0.0', 'v1.12.3'].filter(tag => filter.test(tag))).toEqual(['v1.0.0', 'v1.12.3'])
    expect(['v1', 'v1.2', 'v1.2.3-rc.1', 'release-1.2.3'].filter(tag => filter.test(tag))).toEqual(
      []
    )
    expect(release.on.release.types).toEqual(['published'])
    const runs = release.jobs['major-tag'].steps.map(step => step.run ?? '').join('\n')
    expect(runs).toContain('node scripts/check-release.mjs "$TAG"')
    expect(runs).toContain('git push --force origin "refs/tags/$major"')
    expect(runs).toContain('gh release create "$TAG" --verify-tag')
  })

  it('keeps action.yml publishable on the Marketplace', () => {
    const action = parse(readFileSync('action.yml', 'utf8')) as {
      name: string
      description: string
      branding: { icon: string; color: string }
    }
    // The release form refuses a description of 125 characters or more.
    expect(action.description.length).toBeLessThan(125)
    expect(action.name).toBe('App Store Connect Latest Build')
    expect([
      'white',
      'black',
      'yellow',
      'blue',
      'green',
      'orange',
      'red',
      'purple',
      'gray-dark'
    ]).toContain(action.branding.color)
    expect(action.branding.icon).toMatch(/^[a-z0-9-]+$/)
  })

  it('passes the repository as it is for its own version', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }
    expect(version).toBe('1.0.0')
    expect(
      releaseProblems(`v${version}`, { version, changelog: readFileSync('CHANGELOG.md', 'utf8') })
    ).toEqual([])
  })
})
