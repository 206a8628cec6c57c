/** Per-request values set by middleware. */
export interface Env {
  Variables: { organizationId: string }
}
