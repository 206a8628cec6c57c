/**
 * Secret values the tests register. After the whole run, the global teardown checks that none of
 * them appears in any table item, any log line or any API response (test/setup/audit.ts).
 * A test that registers a new secret adds it here.
 */
export const PLANTED_SECRETS = [
  's3cret-token-ABCD',
  'hdr-value-WXYZ',
  'env-secret-value-1234',
  's3cret-XYZ',
  'hdr-XYZ',
  'env-XYZ-plain',
  'another-token-7777',
  'fresh-header-9876',
  'client-token-0001',
  'client-header-0002',
  'client-env-0003',
  'victim-secret-1234',
  'fault-secret-9999',
  'key-123456789',
  'tok-0123456789',
] as const
