/**
 * The (organization, server) pairs deleted while this runner ran, so a request still carrying a
 * stale record cannot start a deleted server again. Server ids are never reused, so nothing
 * expires; only the least recently deleted pairs fall out once `max` are held.
 */
export class DeletedServers {
  private readonly ids = new Set<string>()

  constructor(private readonly max: number) {}

  add(id: string) {
    this.ids.delete(id)
    this.ids.add(id)
    for (const oldest of this.ids) {
      if (this.ids.size <= this.max) break
      this.ids.delete(oldest)
    }
  }

  has(id: string): boolean {
    return this.ids.has(id)
  }
}
