export { elasticsearchConnector, ElasticsearchConnector } from './elasticsearch.connector';
