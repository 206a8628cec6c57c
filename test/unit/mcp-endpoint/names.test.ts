import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  isShortened,
  readPlain,
  servedName,
  SERVED_NAME,
} from '../../../core/mcp-endpoint/names.js'
import { originAllowed } from '../../../core/mcp-endpoint/origin.js'

const serverName = fc.string({ minLength: 1, maxLength: 128 })
const toolName = fc.string({ minLength: 1, maxLength: 48 })

describe('servedName', () => {
  it('Should keep <server>__<tool> when it is a valid name as it stands', () => {
    expect(servedName('github', 'create_issue')).toBe('github__create_issue')
    expect(servedName('a-b_c', '_x')).toBe('a-b_c___x')
  })

  it('Should shorten with a hash suffix when the name is too long or has other characters', () => {
    expect(servedName('my.server', 'echo')).toBe('my_server__echo_55ffdba33e82')
    expect(servedName('s'.repeat(40), 't'.repeat(30))).toMatch(/^s{40}__t{9}_[0-9a-f]{12}$/)
  })

  it('Should shorten names a plain one could be mistaken for', () => {
    // `a__b` + `c` and `a` + `b__c` would both read a__b__c; a trailing _ in the server also misleads.
    expect(isShortened(servedName('a__b', 'c'))).toBe(true)
    expect(servedName('a', 'b__c')).toBe('a__b__c')
    expect(isShortened(servedName('a_', 'b'))).toBe(true)
    expect(isShortened(servedName('x', 'y_0123456789ab'))).toBe(true)
  })

  it('Should always give a valid name, the same one each time', () => {
    fc.assert(
      fc.property(serverName, toolName, (server, tool) => {
        const name = servedName(server, tool)
        expect(name).toMatch(SERVED_NAME)
        expect(servedName(server, tool)).toBe(name)
      }),
    )
  })

  it('Should give different pairs different names', () => {
    fc.assert(
      fc.property(serverName, toolName, serverName, toolName, (s1, t1, s2, t2) => {
        fc.pre(s1 !== s2 || t1 !== t2)
        expect(servedName(s1, t1)).not.toBe(servedName(s2, t2))
      }),
      { numRuns: 2000 },
    )
  })

  it('Should read a plain name back as the exact server and tool', () => {
    fc.assert(
      fc.property(serverName, toolName, (server, tool) => {
        const name = servedName(server, tool)
        const read = readPlain(name)
        if (isShortened(name)) expect(read).toBeUndefined()
        else expect(read).toEqual({ serverName: server, toolName: tool })
      }),
    )
  })
})

describe('originAllowed', () => {
  it('Should pass clients that send no Origin and pages of the same host', () => {
    expect(originAllowed(undefined, 'api.example.com')).toBe(true)
    expect(originAllowed('https://api.example.com', 'api.example.com')).toBe(true)
    expect(originAllowed('http://127.0.0.1:8283', '127.0.0.1:8283')).toBe(true)
  })

  it('Should refuse a page from another origin, a rebound name and a garbled Origin', () => {
    expect(originAllowed('https://evil.example', 'api.example.com')).toBe(false)
    expect(originAllowed('http://attacker.test:8283', '127.0.0.1:8283')).toBe(false)
    expect(originAllowed('null', '127.0.0.1:8283')).toBe(false)
  })
})
