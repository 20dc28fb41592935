export { default } from '@x/oauth1-testkit/redis-global-setup'
