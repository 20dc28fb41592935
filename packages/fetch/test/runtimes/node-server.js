import { createApp } from './app.js'
import { serveFetch } from './node-bridge.js'

const app = createApp(JSON.parse(process.argv[2] ?? '{"clients":[]}'))
const { baseUrl } = await serveFetch(app)
console.log(`listening ${new URL(baseUrl).port}`)
