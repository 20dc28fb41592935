import { runAdapterConformance } from '@x/oauth1-testkit'
import { makeServer } from './app.ts'

runAdapterConformance('koa', makeServer)
