import { FactoryProvider, InjectionToken, Type } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TransferAdapter, TransferKind } from './transfer-adapter';
import { TransferService } from './transfer.service';

/** Provides the shared transfer service under `token`, bound to one resource's adapter (itself a provider of the module). */
export function transferProvider<K extends TransferKind>(
  token: InjectionToken,
  adapter: Type<TransferAdapter<K>>,
): FactoryProvider<TransferService<K>> {
  return {
    provide: token,
    inject: [getDataSourceToken(), adapter],
    useFactory: (db: DataSource, bound: TransferAdapter<K>) => new TransferService(db, bound),
  };
}
