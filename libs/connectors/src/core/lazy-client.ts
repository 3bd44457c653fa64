/**
 * The one client (pool, session, admin connection) a connector holds, opened on first use.
 * Connectors repeat the same three rules around it, so they live here once:
 * - the first caller opens it and later callers share that opening;
 * - a failed opening is not remembered, so the next call tries again (a refused host or a server
 *   that was down is not a permanent state);
 * - close() releases what was opened once and forgets it; closing again does nothing.
 */
export class LazyClient<T> {
  private opening?: Promise<T>;
  private opened?: T;

  constructor(
    /** Opens the client; the signal is the first caller's. */
    private readonly open: (signal?: AbortSignal) => Promise<T>,
    /** Releases an opened client; what it throws reaches the caller of close(). */
    private readonly release: (client: T) => Promise<void> | void,
    /** False when an opened client can no longer serve (it is then released and opened again). */
    private readonly usable: (client: T) => boolean = () => true,
  ) {}

  async get(signal?: AbortSignal): Promise<T> {
    if (this.opened !== undefined && !this.usable(this.opened)) await this.close();
    if (!this.opening) {
      const opening = (async () => this.open(signal))();
      this.opening = opening;
      opening.then(
        (client) => {
          if (this.opening === opening) this.opened = client;
        },
        () => {
          if (this.opening === opening) this.opening = undefined;
        },
      );
    }
    return this.opening;
  }

  async close(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    this.opened = undefined;
    if (!opening) return;
    const client = await opening.catch(() => undefined);
    if (client !== undefined) await this.release(client);
  }
}
