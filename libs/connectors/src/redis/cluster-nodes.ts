/** Parsing of `CLUSTER NODES`: one line per node, `<id> <ip:port@cport[,hostname]> <flags> <master> … <slots…>`. */

export interface ClusterMaster {
  id: string;
  host: string;
  port: number;
  slots: string[];
}

/** Masters that serve slots and are not marked failed; `fallbackHost` stands in for an empty address. */
export function parseClusterMasters(text: string, fallbackHost = '127.0.0.1'): ClusterMaster[] {
  const out: ClusterMaster[] = [];
  for (const line of text.split(/\r?\n/)) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 8) continue;
    const [id, address, flagText] = parts;
    const flags = flagText.split(',');
    if (!flags.includes('master') || flags.some((f) => f === 'fail' || f === 'noaddr' || f === 'handshake')) continue;
    const slots = parts.slice(8);
    if (slots.length === 0) continue;
    const hostPort = address.split('@')[0];
    const colon = hostPort.lastIndexOf(':');
    const host = hostPort.slice(0, colon) || fallbackHost;
    out.push({ id, host, port: Number(hostPort.slice(colon + 1)), slots });
  }
  return out;
}
