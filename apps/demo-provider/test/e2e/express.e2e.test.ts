import { runDemoE2E } from './demo-e2e-suite.ts'

runDemoE2E('express')
