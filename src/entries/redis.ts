// `signalry/redis`: bridge transports over Redis pub/sub and Redis Streams (ioredis, an optional peer dependency).
export {
  type RedisConnection,
  redisPubSub,
  type RedisPubSubOptions,
  redisStreams,
  type RedisStreamsOptions,
} from '../bridge/redis'
