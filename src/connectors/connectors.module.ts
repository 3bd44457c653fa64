import { Module } from '@nestjs/common';
import { ConnectorsService } from './connectors.service';

/** Wraps libs/connectors: the registry of source types, the outbound-address guard and per-source pools. */
@Module({
  providers: [ConnectorsService],
  exports: [ConnectorsService],
})
export class ConnectorsModule {}
