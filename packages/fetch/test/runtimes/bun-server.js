import { createApp } from './app.js'

const app = createApp(JSON.parse(Bun.argv[2] ?? '{"clients":[]}'))
const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  fetch: (request, srv) => app(request, { clientAddress: srv.requestIP(request)?.address }),
})
console.log(`listening ${server.port}`)
