import { ConnectorDefinition } from '../core/types';
import { MINIO_CONFIG_SPEC, minioSettings } from './config';
import { MinioConnector } from './minio.connector';

export const minioConnector: ConnectorDefinition = {
  type: 'minio',
  displayName: 'MinIO / S3',
  configSpec: MINIO_CONFIG_SPEC,
  capabilities: {
    taskTypes: ['full_collection', 'incremental_collection', 'schema_only'],
    // Listing is the only way to see a prefix's content, so every run lists; the hash of keys,
    // sizes and ETags then spares unchanged prefixes their schema sample read.
    incremental: 'fingerprint',
    changeSignal: 'SHA-1 of the keys, sizes and ETags listed under each prefix',
    profile: [],
  },
  create: (config, context) => new MinioConnector(minioSettings(config), context),
};
