import { describe, expect, it } from 'vitest'
import { checkServerUrl } from '../../../core/net/url.js'

const strict = (url: string) => {
  const result = checkServerUrl(url, { allowPrivate: false })
  return result.ok ? 'ok' : result.reason
}

describe('checkServerUrl: Letta vectors (spec §6.2)', () => {
  it.each([
    ['', 'server_url cannot be empty'],
    ['ftp://x.com', "server_url must start with 'http://' or 'https://', got: 'ftp://x.com'"],
    ['http://localhost:8000', 'Blocked internal hostname: localhost'],
    ['https://a.svc/x', 'Blocked internal hostname: a.svc'],
    ['https://svc.cluster.local', 'Blocked internal hostname: svc.cluster.local'],
    ['https://printer.local', 'Blocked internal hostname: printer.local'],
    ['https://x.home.arpa', 'Blocked internal hostname: x.home.arpa'],
    ['https://metadata.google.internal/x', 'Blocked internal hostname: metadata.google.internal'],
    ['http://127.0.0.1:9', 'Non-public IP not allowed: 127.0.0.1'],
    ['http://[::1]/', 'Non-public IP not allowed: ::1'],
    ['http://10.1.2.3', 'Non-public IP not allowed: 10.1.2.3'],
    ['http://169.254.169.254/latest', 'Non-public IP not allowed: 169.254.169.254'],
    ['https://example.com/mcp', 'ok'],
    ['http://8.8.8.8', 'ok'],
  ])('%j → %s', (url, expected) => {
    expect(strict(url)).toBe(expected)
  })
})

describe('checkServerUrl: forms Letta lets through', () => {
  it.each([
    ['http://127.1/', 'Non-public IP not allowed: 127.0.0.1'],
    ['http://0x7f000001/', 'Non-public IP not allowed: 127.0.0.1'],
    ['http://2130706433/', 'Non-public IP not allowed: 127.0.0.1'],
    ['http://017700000001/', 'Non-public IP not allowed: 127.0.0.1'],
    ['http://0.0.0.0/', 'Non-public IP not allowed: 0.0.0.0'],
    ['http://[::ffff:127.0.0.1]/', 'Non-public IP not allowed: ::ffff:7f00:1'],
    ['http://[::ffff:a9fe:a9fe]/', 'Non-public IP not allowed: ::ffff:a9fe:a9fe'],
    ['http://[fd00:ec2::254]/', 'Non-public IP not allowed: fd00:ec2::254'],
    ['http://[fe80::1]/', 'Non-public IP not allowed: fe80::1'],
    ['http://100.64.0.1/', 'Non-public IP not allowed: 100.64.0.1'],
    ['http://192.168.1.1/', 'Non-public IP not allowed: 192.168.1.1'],
    ['http://172.16.0.1/', 'Non-public IP not allowed: 172.16.0.1'],
    ['http://LOCALHOST./', 'Blocked internal hostname: localhost.'],
    ['http://metadata/', 'Blocked internal hostname: metadata'],
    ['http://[::ffff:8.8.8.8]/', 'ok'],
  ])('%j → %s', (url, expected) => {
    expect(strict(url)).toBe(expected)
  })

  it('Should allow private targets when they are allowed', () => {
    expect(checkServerUrl('http://127.0.0.1:3001/mcp', { allowPrivate: true }).ok).toBe(true)
    expect(checkServerUrl('ftp://x', { allowPrivate: true }).ok).toBe(false)
  })
})

describe('checkServerUrl: IPv6 literals that embed or reach IPv4', () => {
  it.each([
    ['http://[::7f00:1]/', 'Non-public IP not allowed: ::7f00:1'],
    ['http://[::127.0.0.1]/', 'Non-public IP not allowed: ::7f00:1'],
    ['http://[::a9fe:a9fe]/', 'Non-public IP not allowed: ::a9fe:a9fe'],
    ['http://[::ffff:0:7f00:1]/', 'Non-public IP not allowed: ::ffff:0:7f00:1'],
    ['http://[::ffff:0:a00:1]/', 'Non-public IP not allowed: ::ffff:0:a00:1'],
    ['http://[2002:7f00:1::]/', 'Non-public IP not allowed: 2002:7f00:1::'],
    ['http://[2002:a9fe:a9fe::1]/', 'Non-public IP not allowed: 2002:a9fe:a9fe::1'],
    ['http://[fec0::1]/', 'Non-public IP not allowed: fec0::1'],
    [
      'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/',
      'Non-public IP not allowed: 2001:0:4136:e378:8000:63bf:3fff:fdd2',
    ],
    ['http://[::808:808]/', 'ok'],
    ['http://[2002:808:808::1]/', 'ok'],
    ['http://[2606:4700::1111]/', 'ok'],
  ])('%j → %s', (url, expected) => {
    expect(strict(url)).toBe(expected)
  })
})
