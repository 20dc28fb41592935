export { default } from '@x/oauth1-testkit/redis-cluster-global-setup'
