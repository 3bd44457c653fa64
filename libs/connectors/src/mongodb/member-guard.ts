import { isIP } from 'node:net';
import type { MongoClient, ServerDescription } from 'mongodb';
import { ConnectorError, ConnectorErrorCode } from '../core/errors';
import { AddressGuard } from '../core/types';

/** The host part of a driver address (`host:port`, `[v6]:port`). */
export function hostOfAddress(address: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) return bracketed[1];
  const colon = address.lastIndexOf(':');
  return colon > 0 && address.indexOf(':') === colon ? address.slice(0, colon) : address;
}

/** Every member a server's `hello` advertised, plus the server itself. */
function advertised(description: ServerDescription): string[] {
  return [
    description.address,
    ...description.hosts,
    ...description.passives,
    ...description.arbiters,
    ...(description.primary ? [description.primary] : []),
    ...(description.me ? [description.me] : []),
  ];
}

/**
 * Checks the replica-set members a server advertises as literal IP addresses, which Node connects
 * to without calling the driver's `lookup` (names are checked there). The driver has no
 * pre-connect hook, so the check runs on the SDAM events that carry the members: a new member
 * appears in a `hello` reply and is checked in the same turn. A new member is only selectable for
 * commands after its own monitor's `hello` round trip (unknown servers are never selected), and
 * monitors connect without credentials, so a refusal lands before any command or credential could
 * reach it: the client is closed then and every call fails with the refusal.
 */
export class MemberGuard {
  private readonly checked = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  private refusal?: ConnectorError;
  private readonly refused: Promise<never>;
  private signalRefused: (err: ConnectorError) => void = () => undefined;

  constructor(
    client: MongoClient,
    private readonly guard: AddressGuard,
    private readonly onRefused: () => void,
  ) {
    this.refused = new Promise<never>((_, reject) => {
      this.signalRefused = reject;
    });
    // Nobody may be waiting yet when a refusal arrives.
    this.refused.catch(() => undefined);
    client.on('serverDescriptionChanged', (event) => {
      for (const address of advertised(event.newDescription)) this.check(address);
    });
    client.on('serverOpening', (event) => this.check(event.address));
  }

  private check(address: string): void {
    const host = hostOfAddress(address);
    if (!isIP(host) || this.checked.has(host)) return;
    this.checked.add(host);
    const done = this.guard(host).then(
      () => undefined,
      (err: unknown) => this.refuse(host, err),
    );
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
  }

  private refuse(host: string, err: unknown): void {
    if (this.refusal) return;
    this.refusal =
      err instanceof ConnectorError
        ? err
        : new ConnectorError(
            ConnectorErrorCode.AddressRefused,
            `The replica-set member ${host} is refused by the outbound-address policy`,
          );
    this.signalRefused(this.refusal);
    this.onRefused();
  }

  /** Throws the refusal once any advertised member was refused; waits for checks in flight. */
  async assertAllowed(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    if (this.refusal) throw this.refusal;
  }

  /** Runs one driver call, failing as soon as a member is refused, even mid-call. */
  run<T>(call: () => Promise<T>): Promise<T> {
    if (this.refusal) return Promise.reject(this.refusal);
    // Start the call in this turn when nothing is pending, so the driver's own timers start now.
    if (this.pending.size > 0) return this.assertAllowed().then(() => this.race(call));
    return this.race(call);
  }

  private async race<T>(call: () => Promise<T>): Promise<T> {
    const pending = call();
    // The refusal may win the race; the call's own failure then has nobody to report to.
    pending.catch(() => undefined);
    const result = await Promise.race([pending, this.refused]);
    await this.assertAllowed();
    return result;
  }
}
