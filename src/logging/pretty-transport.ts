import type { TransportSingleOptions } from 'pino';

/**
 * Colourised one-line logs through pino-pretty for a person at a terminal in development;
 * undefined (plain JSON lines, for log shippers) everywhere else, including when output is piped.
 */
export function prettyTransport(
  nodeEnv: string,
  isTty: boolean = process.stdout.isTTY === true,
): TransportSingleOptions | undefined {
  if (nodeEnv !== 'development' || !isTty) return undefined;
  return {
    target: 'pino-pretty',
    options: {
      colorize: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,context',
      messageFormat: '{if context}[{context}] {end}{msg}',
    },
  };
}
