export { MetricsCollector, type MetricsCollectorOptions } from './collector';
export { queueDepths, type QueueDepth, type QueueName } from './queues';
export { metricsRoute } from './route';
