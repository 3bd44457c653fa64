import { ConnectorDefinition } from '../core/types';
import { MONGODB_CONFIG_SPEC } from './config';
import { MongoConnector } from './mongodb.connector';

export const mongodbConnector: ConnectorDefinition = {
  type: 'mongodb',
  displayName: 'MongoDB',
  configSpec: MONGODB_CONFIG_SPEC,
  capabilities: {
    taskTypes: ['full_collection', 'incremental_collection', 'schema_only', 'data_profile'],
    incremental: 'fingerprint',
    changeSignal:
      'none: a document schema inferred from $sample has no server-side change signal, so incremental runs re-read every in-scope collection and compare fingerprints',
    profile: ['null_count', 'distinct_count', 'min', 'max', 'mean', 'stddev', 'string lengths', 'top_values (opt-in)'],
  },
  create: (config, context) => new MongoConnector(config, context),
};
