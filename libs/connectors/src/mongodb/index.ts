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
      'SHA-1 of the collection options (validator, view pipeline, time series), index definitions, document count and sample size, read before sampling; matching collections are not re-sampled (views and collections without a count are always read)',
    profile: ['null_count', 'distinct_count', 'min', 'max', 'mean', 'stddev', 'string lengths', 'top_values (opt-in)'],
  },
  create: (config, context) => new MongoConnector(config, context),
};
